/**
 * The weekly digest as data (DESIGN "What people see"): computed once from the store and the audit
 * ledger (shared/digest/model.ts), rendered for Slack, DingTalk and HTML by the renderers. Every count
 * is for the digest's week unless it says otherwise; "previous" figures are the mean of the 8 weeks before.
 */
import type { Severity } from '../domain/finding.js';

/** Half-open interval [from, to), ISO 8601. */
export interface DigestPeriod {
  from: string;
  to: string;
}

/** Open findings by severity at the end of one week (the trend chart). */
export interface WeekPoint {
  /** Start of the week, ISO 8601. */
  weekStart: string;
  open: Record<Severity, number>;
}

export interface RuleSeverityCount {
  rule: string;
  severity: Severity;
  count: number;
}

export interface OwnerLoad {
  /** Person id, or `group:<name>` for a group-owned task. */
  owner: string;
  name: string;
  open: number;
  /** Age in whole days of the owner's oldest open task. */
  oldestDays: number;
}

export interface OverdueTask {
  taskId: string;
  owner: string;
  subject: string;
  rule: string;
  severity: Severity;
  dueAt: string;
  daysOverdue: number;
}

export interface RiskyIdentity {
  /** e.g. "user alice" or "role ci-deployer in account prod (2000…)". */
  subject: string;
  /** Sum of severity weights of its open findings (critical 10, high 5, medium 2, low 1, info 0). */
  score: number;
  findings: number;
  highest: Severity;
}

export type ReviewerFlag = 'all-keep' | 'fast' | 'chronic-overdue';

export interface ReviewerQuality {
  person: string;
  name: string;
  /** Owner decisions (keep, revoke, snooze, not mine) and approvals over the last 9 weeks. */
  decisions: number;
  /** Keeps among their answers (an owner's keep or a manager's attest of one). */
  keeps: number;
  /** Median seconds from the prompt reaching them to their answer; null without timed answers. */
  medianSeconds: number | null;
  /** Weeks, of the last 9, that ended with a task of theirs (as an assignee) past due. */
  overdueWeeks: number;
  /**
   * Signals of rubber-stamping (thresholds in model.ts `RUBBER_STAMP`): `all-keep` — 10 or more keep-or-revoke
   * answers, every one a keep; `fast` — median answer under 10 s over 3 or more timed answers;
   * `chronic-overdue` — overdue at the end of 3 or more of the last 4 weeks.
   */
  flags: ReviewerFlag[];
}

export interface DigestModel {
  generatedAt: string;
  period: DigestPeriod;
  /** 9 points, oldest first: the 8 previous weeks, then this week. */
  trend: WeekPoint[];
  findings: {
    new: RuleSeverityCount[];
    resolved: RuleSeverityCount[];
    newTotal: number;
    resolvedTotal: number;
    previous: { new: number; resolved: number };
  };
  openTasks: {
    total: number;
    byOwner: OwnerLoad[];
    byAge: { under7Days: number; under30Days: number; under90Days: number; older: number };
  };
  overdue: OverdueTask[];
  decisions: {
    keep: number;
    revoke: number;
    /** keep ÷ (keep + revoke); null when neither. */
    keepRatio: number | null;
    previous: { keep: number; revoke: number };
  };
  revocations: { applied: number; rolledBack: number; failed: number; previous: { applied: number; rolledBack: number } };
  /** Mean days from a task's opening to its finding resolved or its revocation applied, for tasks closed in the period. */
  meanDaysToRemediate: { week: number | null; previous: number | null };
  /** Identities with findings whose owner could not be resolved (owned by the fallback group). */
  orphaned: Array<{ subject: string; rule: string; owner: string }>;
  topRisky: RiskyIdentity[];
  reviewers: ReviewerQuality[];
}
