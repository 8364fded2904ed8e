/**
 * Helpers every reporter shares, so counts, order and labels agree between formats.
 */
import { SEVERITIES, severityRank, type Finding, type Severity, type Subject } from '../domain/finding.js';
import type { ScanReport } from './types.js';

const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Highest severity first, then rule id, subject name and id (plain string order, like the rule
 * engine), so output is stable across runs and locales.
 */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      severityRank(b.severity) - severityRank(a.severity) ||
      byCodeUnit(a.rule, b.rule) ||
      byCodeUnit(a.subject.name, b.subject.name) ||
      byCodeUnit(a.subject.id, b.subject.id),
  );
}

/** Number of findings per severity (all statuses). */
export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { info: 0, low: 0, medium: 0, high: 0, critical: 0 };
  for (const finding of findings) counts[finding.severity] += 1;
  return counts;
}

/** Severities from highest to lowest. */
export const SEVERITIES_DESC: readonly Severity[] = [...SEVERITIES].reverse();

/** "5 findings: 1 critical, 2 high, 2 low" or "no findings". */
export function findingsSummary(findings: readonly Finding[]): string {
  if (findings.length === 0) return 'no findings';
  const counts = countBySeverity(findings);
  const parts = SEVERITIES_DESC.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`);
  return `${findings.length} finding${findings.length === 1 ? '' : 's'}: ${parts.join(', ')}`;
}

/**
 * How many findings should fail a `--fail-on <threshold>` run: status `fail` or `error` (a rule that
 * threw fails closed) at or above the threshold. `unknown` does not count: missing data is reported
 * as partial instead of failing the build on every throttled scan.
 */
export function severityAtLeast(findings: readonly Finding[], threshold: Severity): number {
  const min = severityRank(threshold);
  return findings.filter((f) => (f.status === 'fail' || f.status === 'error') && severityRank(f.severity) >= min).length;
}

/** "accessKey LTAI5t… (build-agent)": type, name, and the owning user of an access key. */
export function subjectLabel(subject: Subject): string {
  return `${subject.type} ${subject.name}${subject.user === undefined ? '' : ` (${subject.user})`}`;
}

/** "prod-main (1234567890)" — the configured display name, else the alias — or just the id. */
export function accountLabel(account: ScanReport['account']): string {
  const label = account.name ?? account.alias;
  return label === null || label === undefined ? account.id : `${label} (${account.id})`;
}

/** "2024-12-03 10:00 UTC"; the raw string if it is not a valid time. */
export function formatTime(iso: string): string {
  const time = new Date(iso);
  return Number.isNaN(time.getTime()) ? iso : `${time.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** "850 ms" or "4.2 s". */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

const SECRET_KEY = /secret/i;

/**
 * A copy with every value under a key named like "secret" replaced. Evidence is free-form rule data;
 * this keeps a careless rule from leaking a credential into a report. AccessKeyIds are not secrets.
 */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, child]) => [key, SECRET_KEY.test(key) ? '[redacted]' : redactSecrets(child)]),
    );
  }
  return value;
}

const DAY_MS = 86_400_000;

/** "activity: actiontrail · 2026-03-03 12:00 UTC → 2026-06-01 12:00 UTC · 123 events (3 new)". */
export function activityLine(activity: NonNullable<ScanReport['activity']>): string {
  if (activity.source === 'none') return 'activity: none (activity.source is none; usage-based rules report unknown)';
  const coverage = activity.coverage ? `${formatTime(activity.coverage.from)} → ${formatTime(activity.coverage.to)}` : 'no coverage';
  const added = activity.read ? ` (${activity.read.added} new)` : '';
  return `activity: ${activity.source} · ${coverage} · ${activity.events} event${activity.events === 1 ? '' : 's'}${added}`;
}

/**
 * What the reader must know about the activity behind the usage-based rules: a failed read, coverage
 * short of the lookback (those rules then say unknown, never "unused"), problems with the saved index.
 */
export function activityWarnings(activity: NonNullable<ScanReport['activity']>, scannedAt: string): string[] {
  if (activity.source === 'none') return [];
  const out: string[] = [];
  if (activity.error !== undefined) out.push(`activity read failed, the previous usage index was used: ${activity.error}`);
  const at = Date.parse(scannedAt);
  const c = activity.coverage;
  if (c === null) out.push('no activity coverage: usage-based rules report unknown');
  else if (Date.parse(c.from) > at - activity.lookbackDays * DAY_MS || Date.parse(c.to) < at) {
    const days = Math.floor((Date.parse(c.to) - Date.parse(c.from)) / DAY_MS);
    out.push(`activity covers ${days} day${days === 1 ? '' : 's'} up to ${formatTime(c.to)}, short of the ${activity.lookbackDays}-day lookback: usage-based rules may report unknown`);
  }
  return [...out, ...(activity.warnings ?? [])];
}
