/**
 * The JSON report: a documented public contract (key names and order are part of it), consumed by
 * CI pipelines and dashboards. Objects are rebuilt field by field so an extra property on a domain
 * object never leaks into the contract.
 */
import type { Finding, Subject } from '../domain/finding.js';
import { redactSecrets } from './summary.js';
import type { ScanActivity, ScanReport } from './types.js';

function subjectJson(subject: Subject): Record<string, string> {
  const out: Record<string, string> = { type: subject.type, id: subject.id, name: subject.name };
  if (subject.user !== undefined) out.user = subject.user;
  return out;
}

function findingJson(finding: Finding): Record<string, unknown> {
  return {
    rule: finding.rule,
    status: finding.status,
    severity: finding.severity,
    title: finding.title,
    subject: subjectJson(finding.subject),
    evidence: redactSecrets(finding.evidence),
    remediation: { summary: finding.remediation.summary, plan: finding.remediation.plan },
    fingerprint: finding.fingerprint,
    partial: finding.partial,
  };
}

function activityJson(activity: ScanActivity): Record<string, unknown> {
  const read = activity.read && {
    source: activity.read.source,
    window: { from: activity.read.window.from, to: activity.read.window.to },
    regions: activity.read.regions,
    pages: activity.read.pages,
    added: activity.read.added,
    duplicates: activity.read.duplicates,
    skipped: activity.read.skipped,
  };
  return {
    source: activity.source,
    coverage: activity.coverage && { from: activity.coverage.from, to: activity.coverage.to },
    events: activity.events,
    lookbackDays: activity.lookbackDays,
    read,
    ...(activity.error === undefined ? {} : { error: activity.error }),
    warnings: activity.warnings ?? [],
  };
}

/** The report as pretty-printed JSON (2 spaces, trailing newline). API call counts are sorted by action. */
export function renderJson(report: ScanReport): string {
  const apiCalls = Object.fromEntries(Object.entries(report.stats.apiCalls).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const out = {
    account: { id: report.account.id, alias: report.account.alias },
    scannedAt: report.scannedAt,
    partial: report.partial,
    partialReasons: report.partialReasons,
    findings: report.findings.map(findingJson),
    suppressed: report.suppressed.map((s) => ({
      rule: s.rule,
      subject: subjectJson(s.subject),
      reason: s.reason,
      fingerprint: s.fingerprint,
    })),
    ...(report.identities ? { identities: report.identities.map((i) => ({ type: i.type, name: i.name, class: i.class, basis: i.basis })) } : {}),
    stats: {
      apiCalls,
      totalApiCalls: report.stats.totalApiCalls,
      users: report.stats.users,
      durationMs: report.stats.durationMs,
      rulesRun: report.stats.rulesRun,
    },
    ...(report.activity ? { activity: activityJson(report.activity) } : {}),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}
