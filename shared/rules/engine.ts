import {
  fingerprint,
  FINDING_STATUSES,
  severityRank,
  type Finding,
  type FindingAccount,
  type FindingStatus,
  type Severity,
  type SubjectType,
} from '../domain/finding.js';
import { isPartial, type AccountSnapshot } from '../domain/snapshot.js';
import { matchesGlob } from '../policy/wildcard.js';
import { accountSubject } from './lib/subjects.js';
import { ALL_RULES } from './registry.js';
import type { Rule, RuleResult, UsageIndex } from './types.js';

/** Per-rule overrides from configuration. */
export interface RuleConfigEntry {
  enabled?: boolean;
  /** Replaces the rule's severity for all its findings, including per-subject overrides. */
  severity?: Severity;
  /** Parsed with the rule's own schema; invalid params make the rule an `error` finding. */
  params?: unknown;
}

/** Accepted findings: `pattern` is a glob (`*`, `?`) on the subject name (and an access key's user). */
export interface Exclusion {
  pattern: string;
  types?: readonly SubjectType[];
  /** Rule ids (globs allowed); all rules when absent. */
  rules?: readonly string[];
  reason: string;
}

/** What {@link runRules} needs; `now` is passed in, never read from the clock. */
export interface RunRulesInput {
  snapshot: AccountSnapshot;
  usage?: UsageIndex;
  now: Date;
  /** Defaults to {@link ALL_RULES}. */
  rules?: readonly Rule[];
  ruleConfig?: Readonly<Partial<Record<string, RuleConfigEntry>>>;
  exclusions?: readonly Exclusion[];
  /** The member account of a multi-account scan: stamped on every finding and part of its fingerprint. */
  account?: FindingAccount;
}

/** Findings to report, findings accepted by an exclusion (kept for the audit trail), and counts. */
export interface RunRulesOutput {
  /** Sorted by severity (highest first), then rule id, then subject name. */
  findings: Finding[];
  suppressed: Array<{ finding: Finding; reason: string }>;
  stats: { rulesRun: number; byStatus: Record<FindingStatus, number> };
}

function compareFindings(a: Finding, b: Finding): number {
  const bySeverity = severityRank(b.severity) - severityRank(a.severity);
  if (bySeverity !== 0) return bySeverity;
  for (const [x, y] of [[a.rule, b.rule], [a.subject.name, b.subject.name], [a.subject.id, b.subject.id]] as const) {
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

function exclusionFor(finding: Finding, exclusions: readonly Exclusion[]): Exclusion | undefined {
  // An error finding is a bug or bad config in ramparts itself: never hidden (fail closed).
  if (finding.status === 'error') return undefined;
  const names = [finding.subject.name, ...(finding.subject.type === 'accessKey' && finding.subject.user ? [finding.subject.user] : [])];
  return exclusions.find(
    (e) =>
      (!e.types || e.types.includes(finding.subject.type)) &&
      (!e.rules || e.rules.some((r) => matchesGlob(r, finding.rule))) &&
      names.some((name) => matchesGlob(e.pattern, name)),
  );
}

/** Runs one rule; a throw (or invalid params) becomes its single `error` result. */
function evaluateRule(rule: Rule, input: RunRulesInput, config: RuleConfigEntry | undefined): RuleResult[] | Error {
  try {
    const params: unknown = rule.params.parse(config?.params ?? {});
    return rule.evaluate({ snapshot: input.snapshot, usage: input.usage, now: input.now, params });
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

/**
 * Runs the rules over a snapshot: applies config (enabled, severity, params), turns a throwing rule
 * into an `error` finding on the account, marks findings of rules whose required parts are incomplete
 * `partial` (adding one `unknown` account finding per such rule, since subjects missing from the
 * snapshot cannot be judged), drops every plan when the snapshot is partial, and applies exclusions.
 */
export function runRules(input: RunRulesInput): RunRulesOutput {
  const snapshotPartial = isPartial(input.snapshot);
  const account = accountSubject(input.snapshot);
  const findings: Finding[] = [];
  const suppressed: RunRulesOutput['suppressed'] = [];
  let rulesRun = 0;
  for (const rule of input.rules ?? ALL_RULES) {
    const config = input.ruleConfig?.[rule.id];
    if (config?.enabled === false) continue;
    rulesRun += 1;
    // A part with no status at all counts as not collected (fail closed).
    const missing = rule.requires.filter((part) => !input.snapshot.parts[part]?.complete);
    const outcome = evaluateRule(rule, input, config);
    const make = (status: FindingStatus, r: Omit<RuleResult, 'status'>, partial: boolean): Finding => {
      const proposed = status === 'fail' && !partial && !snapshotPartial ? (r.plan ?? null) : null;
      const plan = proposed && input.account ? { ...proposed, account: input.account.id } : proposed;
      return {
        rule: rule.id,
        status,
        severity: config?.severity ?? r.severity ?? rule.severity,
        title: rule.title,
        subject: r.subject,
        evidence: r.evidence,
        remediation: { summary: plan?.summary ?? rule.remediation, plan },
        fingerprint: fingerprint(rule.id, r.subject, input.account?.id),
        partial,
        ...(input.account ? { account: { ...input.account } } : {}),
      };
    };
    const produced: Finding[] = [];
    if (outcome instanceof Error) {
      produced.push(make('error', { subject: account, evidence: { summary: `rule failed: ${outcome.message}`, error: outcome.message } }, false));
    } else {
      for (const r of outcome) produced.push(make(r.status, r, missing.length > 0));
      if (missing.length > 0 && !outcome.some((r) => r.subject.type === 'account')) {
        const why = missing.map((p) => `${p}${input.snapshot.parts[p]?.error ? ` (${input.snapshot.parts[p]?.error})` : ''}`);
        const summary = `not fully evaluated: snapshot parts not collected completely: ${why.join(', ')}`;
        produced.push(make('unknown', { subject: account, evidence: { summary, parts: missing } }, true));
      }
    }
    for (const finding of produced) {
      const exclusion = exclusionFor(finding, input.exclusions ?? []);
      if (exclusion) suppressed.push({ finding, reason: exclusion.reason });
      else findings.push(finding);
    }
  }
  findings.sort(compareFindings);
  const byStatus = Object.fromEntries(FINDING_STATUSES.map((s) => [s, 0])) as Record<FindingStatus, number>;
  for (const f of findings) byStatus[f.status] += 1;
  return { findings, suppressed, stats: { rulesRun, byStatus } };
}
