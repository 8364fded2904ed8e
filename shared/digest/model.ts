/**
 * The weekly digest, computed from what ramparts recorded: the audit ledger (every task's story: opened,
 * prompted, answered, applied, resolved — with times) replayed once in order, plus the tasks as they
 * stand now. The ledger is the source for anything "in a week" and for the trend (the state at each
 * past week's end is rebuilt, not guessed); the current tasks for what is open and overdue today.
 *
 * The week is the 7 days before `now`; "previous" is the mean of the 8 weeks before it.
 */
import type { Severity } from '../domain/finding.js';
import type { Directory } from '../people/types.js';
import { findingLabel } from '../review/status.js';
import type { ReviewTask } from '../review/types.js';
import type { AuditEntry, Store } from '../store/port.js';
import { AWAITING_STATES, openTasks, overdueTasks, ownerKey, SEVERITY_WEIGHT, topRisky } from './current.js';
import type { DigestModel, ReviewerFlag, ReviewerQuality, RuleSeverityCount, WeekPoint } from './types.js';

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
/** The digest's week plus the 8 it is compared with. */
export const DIGEST_WEEKS = 9;

/** Rubber-stamp thresholds (DESIGN "weekly digest"; issue 7). */
export const RUBBER_STAMP = {
  /** `all-keep`: at least this many keep-or-revoke answers, every one a keep. */
  allKeepMinItems: 10,
  /** `fast`: median seconds from the card reaching them to the answer below this… */
  fastMedianSeconds: 10,
  /** …over at least this many timed answers (one quick click is not a habit). */
  fastMinAnswers: 3,
  /** `chronic-overdue`: overdue at the end of at least this many of the last `chronicOf` weeks. */
  chronicWeeks: 3,
  chronicOf: 4,
} as const;

/** Answers that choose between keeping and removing access (the all-keep signal counts these). */
const KEEP_ANSWERS = new Set(['keep', 'attest']);
const REVOKE_ANSWERS = new Set(['revoke', 'decline']);
/** Ledger entries after which a card waits for someone's answer (the timer for "median answer"). */
const CARD_SENT = new Set(['task.prompted', 'task.escalated', 'approval.escalated', 'revocation.requested', 'rollback.requested', 'decision.recorded', 'approval.recorded']);
/** Answers recorded in the ledger. */
const ANSWERS = new Set(['decision.recorded', 'approval.recorded']);
/** Who is not a reviewer. */
const MACHINE_ACTORS = new Set(['system', 'scan']);

export interface DigestInput {
  /** The whole ledger, in seq order. */
  entries: AsyncIterable<AuditEntry> | Iterable<AuditEntry>;
  /** Every task as it stands now (all states). */
  tasks: readonly ReviewTask[];
  directory: Directory;
  now: Date;
  /** Rows in the top-risky table (default 5). */
  topRisky?: number;
}

/** Loads the ledger and the tasks from the store and computes the digest. */
export async function buildDigest(deps: { store: Store; directory: Directory; now: Date }): Promise<DigestModel> {
  const tasks = await deps.store.tx((tx) => tx.listTasks());
  return computeDigest({ entries: deps.store.readAudit(), tasks, directory: deps.directory, now: deps.now });
}

/** What the replay keeps per task. */
interface Track {
  rule: string;
  severity: Severity;
  /** The finding is in the account (opened or reopened, not resolved). */
  present: boolean;
  state: string;
  dueAt: string | null;
  assignees: string[];
  openedAt: number;
  /** When the last card went out on it (answer timing starts here). */
  cardAt: number | null;
  /** First remediation (applied, or the finding resolved). */
  closedAt: number | null;
}

/** Counts per week bucket (0 = oldest previous week, 8 = the digest's week). */
interface Bucket {
  opened: Map<string, number>;
  resolved: Map<string, number>;
  keep: number;
  revoke: number;
  applied: number;
  rolledBack: number;
  failed: number;
  remediationDays: number[];
}

interface Reviewer {
  decisions: number;
  keeps: number;
  items: number;
  seconds: number[];
  /** Per week-end snapshot (index as the buckets): had a task past due. */
  overdue: boolean[];
}

const emptyBucket = (): Bucket => ({ opened: new Map(), resolved: new Map(), keep: 0, revoke: 0, applied: 0, rolledBack: 0, failed: 0, remediationDays: [] });
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const isSeverity = (v: unknown): v is Severity => typeof v === 'string' && v in SEVERITY_WEIGHT;

export async function computeDigest(input: DigestInput): Promise<DigestModel> {
  const to = input.now.getTime();
  const start = to - DIGEST_WEEKS * WEEK_MS;
  const weekEnds = Array.from({ length: DIGEST_WEEKS }, (_, i) => start + (i + 1) * WEEK_MS);
  const buckets = Array.from({ length: DIGEST_WEEKS }, emptyBucket);
  const trend: WeekPoint[] = [];
  const tracks = new Map<string, Track>();
  const reviewers = new Map<string, Reviewer>();
  const reviewer = (id: string): Reviewer => {
    let r = reviewers.get(id);
    if (!r) reviewers.set(id, (r = { decisions: 0, keeps: 0, items: 0, seconds: [], overdue: Array<boolean>(DIGEST_WEEKS).fill(false) }));
    return r;
  };

  let next = 0;
  const snapshotUntil = (at: number) => {
    for (; next < weekEnds.length && weekEnds[next]! <= at; next++) {
      const end = weekEnds[next]!;
      const open: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
      for (const t of tracks.values()) {
        if (t.present) open[t.severity]++;
        if (AWAITING_STATES.has(t.state) && t.dueAt !== null && Date.parse(t.dueAt) < end) {
          for (const id of t.assignees) reviewer(id).overdue[next] = true;
        }
      }
      trend.push({ weekStart: new Date(end - WEEK_MS).toISOString(), open });
    }
  };

  for await (const e of input.entries) {
    const at = Date.parse(e.at);
    if (Number.isNaN(at) || at >= to) continue;
    snapshotUntil(at);
    const bucket = at >= start ? buckets[Math.floor((at - start) / WEEK_MS)] : undefined;
    const d = e.data;

    if (e.action === 'task.opened') {
      const severity = isSeverity(d.severity) ? d.severity : 'info';
      tracks.set(e.subject, { rule: str(d.rule) ?? 'unknown', severity, present: true, state: 'open', dueAt: null, assignees: [], openedAt: at, cardAt: null, closedAt: null });
      if (bucket) inc(bucket.opened, `${str(d.rule) ?? 'unknown'}\u0000${severity}`);
    }
    const t = tracks.get(e.subject);
    if (!t) continue; // entries about something other than a review task (or from before its opening)

    // audit() always records the move as from → to (shared/review/machine/common.ts).
    if (typeof d.from === 'string' && typeof d.to === 'string') t.state = d.to;
    if ('dueAt' in d) t.dueAt = typeof d.dueAt === 'string' ? d.dueAt : null;
    if (Array.isArray(d.assignees)) t.assignees = d.assignees.filter((a): a is string => typeof a === 'string');

    switch (e.action) {
      case 'task.refreshed': {
        const to = (d.severity as { to?: unknown } | undefined)?.to;
        if (isSeverity(to)) t.severity = to;
        break;
      }
      case 'task.resolved':
      case 'finding.gone': // gone while its task was past review (kept, applied…): fixed all the same
        t.present = false;
        if (bucket) inc(bucket.resolved, `${t.rule}\u0000${t.severity}`);
        close(t, at, bucket);
        break;
      case 'task.reopened':
      case 'finding.returned':
        t.present = true;
        break;
      case 'task.applied':
        if (bucket) bucket.applied++;
        close(t, at, bucket);
        break;
      case 'task.rolled_back':
        if (bucket) bucket.rolledBack++;
        break;
      case 'task.failed':
        if (bucket) bucket.failed++;
        break;
    }

    if (ANSWERS.has(e.action)) {
      const actor = str(d.actor) ?? e.actor;
      const action = str(d.action) ?? '';
      if (bucket && action === 'keep') bucket.keep++;
      if (bucket && action === 'revoke') bucket.revoke++;
      if (bucket && !MACHINE_ACTORS.has(actor) && d.via !== 'system') {
        const r = reviewer(actor);
        r.decisions++;
        if (KEEP_ANSWERS.has(action)) r.keeps++;
        if (KEEP_ANSWERS.has(action) || REVOKE_ANSWERS.has(action)) r.items++;
        if (t.cardAt !== null && at >= t.cardAt) r.seconds.push((at - t.cardAt) / 1000);
      }
    }
    if (CARD_SENT.has(e.action)) t.cardAt = at;
  }
  snapshotUntil(to);

  // A kept or applied task whose finding has since gone is no risk (the ledger knows; the task's state does not).
  const present = (t: ReviewTask) => tracks.get(t.id)?.present ?? true;
  const week = buckets[DIGEST_WEEKS - 1]!;
  const previous = buckets.slice(0, DIGEST_WEEKS - 1);
  const prevMean = (f: (b: Bucket) => number) => mean(previous.map(f)) ?? 0;
  const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

  return {
    generatedAt: input.now.toISOString(),
    period: { from: new Date(to - WEEK_MS).toISOString(), to: input.now.toISOString() },
    trend,
    findings: {
      new: ruleCounts(week.opened),
      resolved: ruleCounts(week.resolved),
      newTotal: sum(week.opened),
      resolvedTotal: sum(week.resolved),
      previous: { new: prevMean((b) => sum(b.opened)), resolved: prevMean((b) => sum(b.resolved)) },
    },
    openTasks: openTasks(input.tasks, input.directory, to),
    overdue: overdueTasks(input.tasks, input.directory, to),
    decisions: {
      keep: week.keep,
      revoke: week.revoke,
      keepRatio: week.keep + week.revoke === 0 ? null : week.keep / (week.keep + week.revoke),
      previous: { keep: prevMean((b) => b.keep), revoke: prevMean((b) => b.revoke) },
    },
    revocations: {
      applied: week.applied,
      rolledBack: week.rolledBack,
      failed: week.failed,
      previous: { applied: prevMean((b) => b.applied), rolledBack: prevMean((b) => b.rolledBack) },
    },
    meanDaysToRemediate: { week: mean(week.remediationDays), previous: mean(previous.flatMap((b) => b.remediationDays)) },
    orphaned: input.tasks
      .filter((t) => t.ownership.source === 'orphaned' && t.state !== 'resolved' && present(t))
      .map((t) => ({ subject: findingLabel(t.finding), rule: t.finding.rule, owner: ownerKey(t.ownership.owner) }))
      .sort((a, b) => a.subject.localeCompare(b.subject) || a.rule.localeCompare(b.rule)),
    topRisky: topRisky(input.tasks.filter(present), input.topRisky ?? 5),
    reviewers: reviewerRows(reviewers, input.directory),
  };
}

/** The first remediation of a task counts once, in the week it happened. */
function close(t: Track, at: number, bucket: Bucket | undefined): void {
  if (t.closedAt !== null) return;
  t.closedAt = at;
  bucket?.remediationDays.push((at - t.openedAt) / DAY_MS);
}

function inc(m: Map<string, number>, key: string): void {
  m.set(key, (m.get(key) ?? 0) + 1);
}

function mean(xs: readonly number[]): number | null {
  return xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length;
}

function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function ruleCounts(m: Map<string, number>): RuleSeverityCount[] {
  return [...m.entries()]
    .map(([key, count]) => {
      const [rule, severity] = key.split('\u0000') as [string, Severity];
      return { rule, severity, count };
    })
    .sort((a, b) => SEVERITY_WEIGHT[b.severity] - SEVERITY_WEIGHT[a.severity] || b.count - a.count || a.rule.localeCompare(b.rule));
}

function reviewerRows(reviewers: Map<string, Reviewer>, directory: Directory): ReviewerQuality[] {
  const rows: ReviewerQuality[] = [];
  for (const [person, r] of reviewers) {
    const medianSeconds = median(r.seconds);
    const overdueWeeks = r.overdue.filter(Boolean).length;
    const recent = r.overdue.slice(-RUBBER_STAMP.chronicOf).filter(Boolean).length;
    const flags: ReviewerFlag[] = [];
    if (r.items >= RUBBER_STAMP.allKeepMinItems && r.keeps === r.items) flags.push('all-keep');
    if (medianSeconds !== null && r.seconds.length >= RUBBER_STAMP.fastMinAnswers && medianSeconds < RUBBER_STAMP.fastMedianSeconds) flags.push('fast');
    if (recent >= RUBBER_STAMP.chronicWeeks) flags.push('chronic-overdue');
    if (r.decisions === 0 && overdueWeeks === 0) continue;
    rows.push({ person, name: directory.byId(person)?.name ?? person, decisions: r.decisions, keeps: r.keeps, medianSeconds, overdueWeeks, flags });
  }
  return rows.sort((a, b) => b.flags.length - a.flags.length || b.decisions - a.decisions || a.person.localeCompare(b.person));
}
