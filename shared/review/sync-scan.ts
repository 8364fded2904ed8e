import type { Finding } from '../domain/finding.js';
import { severityRank } from '../domain/finding.js';
import type { Ownership } from '../people/types.js';
import type { ScanReport } from '../report/types.js';
import { ALL_RULES } from '../rules/registry.js';
import { newTaskCounter } from './counts.js';
import { newId, type ReviewDeps } from './deps.js';
import { acceptedEvents } from './machine.js';
import { createOutbox, deliver, type DeliveryReport } from './outbox.js';
import { schedule } from './policy.js';
import { openTask, recordFinding, recordPresence, stepTask, waiverEvents, type SyncContext } from './sync-steps.js';
import { TASK_STATES, type ReviewTask } from './types.js';

export interface SyncScanOptions {
  /**
   * Ids of the rules this scan ran (enabled in config). A task is resolved only when its rule ran;
   * defaults to every registered rule. Rules with an `error`, `unknown` or partial finding in the
   * report never count as having run, whatever is passed.
   */
  rulesRun?: readonly string[];
}

export interface SyncScanSummary {
  opened: number;
  refreshed: number;
  resolved: number;
  reopened: number;
  waived: number;
  unwaived: number;
  /** Tasks sent to their owners (open → awaiting_owner). */
  promptedTasks: number;
  /** Prompt messages posted: one per recipient. */
  prompted: number;
  /** Existing messages re-rendered because their tasks changed. */
  updated: number;
  /** Findings the scan could not evaluate (unknown/error), newly reported to the security channel. */
  unevaluated: number;
  failures: DeliveryReport['failures'];
}

/** Rules whose verdicts are complete in this report: only their silence means "fixed". */
function rulesThatRan(report: ScanReport, rulesRun: readonly string[] | undefined): Set<string> {
  const ran = new Set(rulesRun ?? ALL_RULES.map((r) => r.id));
  for (const f of report.findings) if (f.status !== 'fail' || f.partial) ran.delete(f.rule);
  return ran;
}

/**
 * Unknown and error findings are not questions for an owner: one notice to the security channel
 * lists those not reported before (a cache key per fingerprint keeps it deduplicated across scans).
 */
async function noticeUnevaluated(deps: ReviewDeps, report: ScanReport, failures: DeliveryReport['failures']): Promise<number> {
  const candidates = report.findings.filter((f) => f.status !== 'fail');
  const fresh = await deps.store.tx(async (tx) => {
    const out: Finding[] = [];
    for (const f of candidates) if ((await tx.getCache(`notice:${f.fingerprint}`)) === null) out.push(f);
    return out;
  });
  if (fresh.length === 0) return 0;
  const lines = fresh.slice(0, 20).map((f) => `• [${f.status}] ${f.rule} on ${f.subject.type} ${f.subject.name}: ${f.evidence.summary}`);
  if (fresh.length > 20) lines.push(`… and ${fresh.length - 20} more (see the scan report)`);
  const severity = fresh.map((f) => f.severity).reduce((a, b) => (severityRank(b) > severityRank(a) ? b : a));
  const where = report.account.member ? `${report.account.name ?? report.account.alias ?? report.account.id} (${report.account.id})` : (report.account.alias ?? report.account.id);
  try {
    await deps.chat.notifySecurity({ title: `${fresh.length} finding(s) in ${where} could not be evaluated`, text: lines.join('\n'), severity });
  } catch (error) {
    failures.push({ to: 'security', error: error instanceof Error ? error.message : String(error) });
    return 0;
  }
  await deps.store.tx(async (tx) => {
    for (const f of fresh) await tx.setCache(`notice:${f.fingerprint}`, report.scannedAt);
  });
  return fresh.length;
}

/**
 * Brings the review tasks in line with a scan (DESIGN "Review workflow"): opens tasks for new
 * failing findings, refreshes the others, resolves tasks whose finding a complete scan no longer
 * reports, reopens returning ones, applies waivers (and config exclusions) — one compare-and-set
 * transaction per task — then sends one prompt per recipient and re-renders changed cards.
 */
export async function syncScan(deps: ReviewDeps, report: ScanReport, ownership: (finding: Finding) => Ownership, opts: SyncScanOptions = {}): Promise<SyncScanSummary> {
  const now = deps.clock.now();
  const ctx: SyncContext = { deps, now, outbox: createOutbox(), counter: newTaskCounter() };
  const failing = report.findings.filter((f) => f.status === 'fail');
  await deps.store.tx((tx) =>
    tx.recordScan({
      id: newId(deps),
      accountId: report.account.id,
      startedAt: report.scannedAt,
      finishedAt: new Date(new Date(report.scannedAt).getTime() + report.stats.durationMs).toISOString(),
      partial: report.partial,
      findingCount: report.findings.length,
      apiCalls: report.stats.totalApiCalls,
    }),
  );

  for (const finding of failing) {
    await stepTask(
      ctx,
      async (tx) => {
        const was = await recordFinding(tx, finding, report.scannedAt, 'open');
        const task = await tx.getTaskByFingerprint(finding.fingerprint);
        // Back while its task is past review (a resolved task records its own reopening).
        if (task && was === 'gone' && task.state !== 'resolved') await recordPresence(tx, task, 'returned', now);
        // A new fingerprint is inserted here, in the same transaction; nothing further to step.
        if (!task) await openTask(ctx, tx, finding, ownership(finding));
        return task;
      },
      async (tx, task) => [
        task.state === 'resolved' ? { type: 'finding_returned', finding } : { type: 'finding_seen', finding },
        ...waiverEvents(task, await tx.getWaiver(finding.fingerprint), now),
      ],
    );
  }

  // A config exclusion is a waiver kept in config: the finding is still there, so it is waived, not resolved.
  for (const s of report.suppressed) {
    await stepTask(ctx, (tx) => tx.getTaskByFingerprint(s.fingerprint), async () => [{ type: 'waived', by: 'config', reason: s.reason, until: null }]);
  }

  if (!report.partial) {
    const ran = rulesThatRan(report, opts.rulesRun);
    const present = new Set([...report.findings.map((f) => f.fingerprint), ...report.suppressed.map((s) => s.fingerprint)]);
    const goneStates = TASK_STATES.filter((s) => acceptedEvents(s).includes('finding_gone'));
    // Only this account's tasks: a member's scan says nothing about the other members (or a single-account scan's tasks).
    const scope = report.account.member ? report.account.id : undefined;
    const candidates = await deps.store.tx((tx) => tx.listTasks({ states: goneStates }));
    const absent = (t: ReviewTask) => t.finding.account?.id === scope && !present.has(t.fingerprint) && ran.has(t.finding.rule);
    for (const task of candidates.filter(absent)) {
      await stepTask(
        ctx,
        async (tx) => {
          await recordFinding(tx, task.finding, report.scannedAt, 'gone');
          return tx.getTask(task.id);
        },
        async () => [{ type: 'finding_gone' }],
      );
    }
    // Gone while past review (kept, applied…): no task changes, but the findings table and the ledger say so, once.
    const settled = TASK_STATES.filter((s) => s !== 'resolved' && !goneStates.includes(s));
    for (const task of (await deps.store.tx((tx) => tx.listTasks({ states: settled }))).filter(absent)) {
      await deps.store.tx(async (tx) => {
        if ((await recordFinding(tx, task.finding, report.scannedAt, 'gone')) === 'open') await recordPresence(tx, task, 'gone', now);
      });
    }
  }

  const { dueAt, deadlineAt } = schedule(now, deps.policy);
  const open = await deps.store.tx((tx) => tx.listTasks({ states: ['open'] }));
  for (const { id } of open) await stepTask(ctx, (tx) => tx.getTask(id), async () => [{ type: 'prompted', dueAt, deadlineAt }]);

  const delivery = await deliver(deps, ctx.outbox, async (tx, recipientId, kind) =>
    kind === 'prompt' ? (await tx.listTasks({ states: ['awaiting_owner'], assignee: recipientId })).map((t) => t.id) : [],
  );
  const failures = [...delivery.failures];
  const unevaluated = await noticeUnevaluated(deps, report, failures);
  const count = ctx.counter.get;
  return {
    opened: count('task.opened'),
    refreshed: count('task.refreshed'),
    resolved: count('task.resolved'),
    reopened: count('task.reopened'),
    waived: count('task.waived'),
    unwaived: count('task.waiver_expired'),
    promptedTasks: count('task.prompted'),
    prompted: delivery.posted,
    updated: delivery.updated,
    unevaluated,
    failures,
  };
}
