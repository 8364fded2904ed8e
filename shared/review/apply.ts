/**
 * The apply run (DESIGN "Functions": apply, every 10 minutes): approved plans → the executor →
 * tasks follow their executions; approved rollbacks → undone. Each task update is its own
 * compare-and-set transaction, built from the task and execution as they are inside it, and the task
 * side is re-derived from the executions on every run, so a crash between the executor's record and
 * the task's update is repaired by the next run.
 */
import { randomUUID } from 'node:crypto';
import { CloudError, RampartsError } from '../errors.js';
import { applyApproved, DEFAULT_LEASE_MS, LostClaimError, rollbackExecution } from '../remediation/index.js';
import { recordExecution } from '../remediation/session.js';
import type { ExecutionResult, ExecutorDeps, RollbackResult } from '../remediation/types.js';
import type { PlanExecution, StoreTx } from '../store/port.js';
import type { ReviewDeps } from './deps.js';
import { transition } from './machine.js';
import { collect, createOutbox, deliver, type DeliveryReport, type Outbox } from './outbox.js';
import { persist, withRetry } from './persist.js';
import type { ReviewTask, TaskEvent } from './types.js';

export interface ApplySummary {
  mode: 'observe' | 'enforce';
  /** What the executor did with each execution it looked at. */
  executions: ExecutionResult[];
  rollbacks: RollbackResult[];
  /** Tasks moved by this run, by what happened to them. */
  tasks: { applied: number; observed: number; drift: number; failed: number; rolledBack: number };
  /** RAM write calls made (0 in observe mode). */
  writes: number;
  messages: number;
  updated: number;
  failures: DeliveryReport['failures'];
}

type Executor = Omit<ExecutorDeps, 'store' | 'clock'>;
type Ended = Extract<TaskEvent, { type: 'execution_ended' }>;

/** How an execution that has ended reads to its task; null while it has not ended. */
function endedEvent(e: PlanExecution): Ended | null {
  if (e.state !== 'applied' && e.state !== 'observed' && e.state !== 'drift' && e.state !== 'refused' && e.state !== 'failed') return null;
  const wouldApply = e.steps.map((s) => s.wouldApply).filter((c): c is string => typeof c === 'string');
  const done = e.steps.filter((s) => s.status === 'done');
  const appliedAt = done.map((s) => s.doneAt).filter((d): d is string => d !== null).sort().at(-1) ?? null;
  return { type: 'execution_ended', executionId: e.id, outcome: e.state, mode: e.mode, reason: e.error, appliedAt, done: done.length, ...(e.state === 'observed' ? { wouldApply } : {}) };
}

/**
 * One task event in its own compare-and-set transaction; cards to update go to the outbox. The event
 * is built inside the transaction from the task (and execution) as they are now, never from an
 * earlier read, so a stale outcome cannot land on a newer approval.
 */
async function fire(deps: ReviewDeps, outbox: Outbox, taskId: string, event: (task: ReviewTask, tx: StoreTx) => Promise<TaskEvent | null>): Promise<ReviewTask | null> {
  const now = deps.clock.now();
  const written = await withRetry(() =>
    deps.store.tx(async (tx) => {
      const task = await tx.getTask(taskId);
      const e = task ? await event(task, tx) : null;
      if (!task || !e) return null;
      const result = transition(task, e, now, deps.policy, deps.directory);
      if (!result.ok || result.effects.length === 0) return null;
      const stored = await persist(tx, task, result.task, result.effects, now, 'system');
      return stored ? { before: task, task: stored, effects: result.effects } : 'conflict';
    }),
  );
  if (!written || written === 'conflict') return null;
  collect(outbox, written.before, written.task, written.effects, deps);
  return written.task;
}

/** Approved tasks with a plan but no execution (approved before an upgrade, say) get theirs. */
async function backfill(deps: ReviewDeps, approved: readonly ReviewTask[]): Promise<void> {
  for (const task of approved) {
    const plan = task.request?.plan ?? task.finding.remediation.plan;
    if (!plan) continue;
    try {
      await deps.store.tx(async (tx) => {
        if (!(await tx.getExecutionByTask(task.id))) await recordExecution(tx, { taskId: task.id, plan, now: deps.clock.now() });
      });
    } catch (err) {
      // Another run recorded it first (the store holds one live execution per task).
      if (!(err instanceof RampartsError && err.code === 'STORE_CONFLICT')) throw err;
    }
  }
}

/** Every approved task catches up with its latest execution (this run's, or one a crash left unreported). */
async function followExecutions(deps: ReviewDeps, approved: readonly ReviewTask[], outbox: Outbox, tasks: ApplySummary['tasks']): Promise<void> {
  for (const { id } of approved) {
    let ended: Ended | null = null;
    const moved = await fire(deps, outbox, id, async (task, tx) => {
      if (task.state !== 'approved') return null;
      const execution = await tx.getExecutionByTask(id);
      ended = execution ? endedEvent(execution) : null;
      return ended;
    });
    const outcome = (ended as Ended | null)?.outcome;
    if (!moved || !outcome) continue;
    tasks[outcome === 'refused' ? 'failed' : outcome] += 1;
  }
}

/**
 * Takes an approved rollback for this run: a lease on the task (compare-and-set), so concurrent runs
 * never undo the same plan twice. Returns the task as claimed, or null when it is not ours to run.
 */
async function claimRollback(deps: ReviewDeps, taskId: string, runner: string, leaseMs: number): Promise<ReviewTask | null> {
  const now = deps.clock.now();
  return deps.store.tx(async (tx) => {
    const task = await tx.getTask(taskId);
    const request = task?.request;
    if (!task || task.state !== 'rollback_approved' || !request || !task.execution) return null;
    const held = request.claim;
    if (held && held.by !== runner && new Date(held.until).getTime() > now.getTime()) return null;
    const claim = { by: runner, until: new Date(now.getTime() + leaseMs).toISOString() };
    const next = { ...task, request: { ...request, claim } };
    if (!(await tx.updateTask(next, task.version))) return null;
    await tx.appendAudit({ at: now.toISOString(), actor: 'system', action: 'rollback.claimed', subject: task.id, data: { executionId: task.execution.id, runner, until: claim.until, ...(held ? { takenOverFrom: held.by } : {}) } });
    return { ...next, version: task.version + 1 };
  });
}

function rollbackEvent(result: RollbackResult, after: PlanExecution | null): TaskEvent {
  const base = { type: 'rollback_ended' as const, executionId: result.executionId, remaining: after ? after.steps.filter((s) => s.status === 'done').length : 0 };
  if (result.outcome === 'observed') return { ...base, outcome: 'observed', reason: null, calls: result.steps.map((s) => s.reason ?? s.action) };
  if (result.outcome === 'failed') return { ...base, outcome: 'failed', reason: result.steps.filter((s) => s.outcome === 'failed').map((s) => s.reason ?? s.action).join('; ') };
  // Nothing left to undo counts as rolled back only when no step of the plan is applied any more.
  if (result.outcome === 'nothing-to-roll-back' && base.remaining > 0) return { ...base, outcome: 'failed', reason: 'the requested step is not applied, so nothing was rolled back' };
  return { ...base, outcome: 'rolled_back', reason: null };
}

async function rollbacks(deps: ReviewDeps, executor: ExecutorDeps, outbox: Outbox, summary: ApplySummary): Promise<void> {
  const approved = await deps.store.tx((tx) => tx.listTasks({ states: ['rollback_approved'] }));
  const runner = executor.runner ?? `run-${randomUUID()}`;
  for (const { id } of approved) {
    const task = await claimRollback(deps, id, runner, executor.leaseMs ?? DEFAULT_LEASE_MS);
    const executionId = task?.execution?.id;
    if (!task || !executionId) continue;
    const step = task.request?.step ?? null;
    let event: TaskEvent;
    try {
      const result = await rollbackExecution(executor, executionId, step === null ? {} : { step });
      summary.rollbacks.push(result);
      summary.writes += result.writes;
      event = rollbackEvent(result, await deps.store.tx((tx) => tx.getExecution(executionId)));
    } catch (err) {
      if (err instanceof LostClaimError) continue;
      const reason = err instanceof Error ? err.message : String(err);
      summary.rollbacks.push({ executionId, taskId: task.id, outcome: 'failed', steps: [], writes: 0 });
      summary.failures.push({ to: `rollback ${executionId}`, error: reason });
      // A request that can never run (a bad step, a missing execution) ends; a cloud error is retried next run.
      if (!(err instanceof RampartsError) || err instanceof CloudError || err.code === 'REMEDIATION_BUSY') continue;
      event = { type: 'rollback_ended', executionId, outcome: 'failed', remaining: 0, reason };
    }
    const moved = await fire(deps, outbox, task.id, async (current) => (current.state === 'rollback_approved' && current.execution?.id === executionId ? event : null));
    if (event.type !== 'rollback_ended' || !moved) continue;
    if (event.outcome === 'failed') {
      summary.tasks.failed += 1;
      if (event.reason) summary.failures.push({ to: `rollback ${executionId}`, error: event.reason });
    } else if (event.outcome === 'rolled_back') summary.tasks.rolledBack += 1;
  }
}

/**
 * Runs the executor over approved plans (at most `maxPerRun`), then moves their tasks, then runs
 * approved rollbacks, then updates cards. Rollbacks are not capped by `maxPerRun`: they restore access.
 */
export async function applyRun(deps: ReviewDeps, executor: Executor): Promise<ApplySummary> {
  const full: ExecutorDeps = { ...executor, runner: executor.runner ?? `run-${randomUUID()}`, store: deps.store, clock: deps.clock };
  const outbox = createOutbox();
  const summary: ApplySummary = {
    mode: executor.mode,
    executions: [],
    rollbacks: [],
    tasks: { applied: 0, observed: 0, drift: 0, failed: 0, rolledBack: 0 },
    writes: 0,
    messages: 0,
    updated: 0,
    failures: [],
  };
  // The executor never moves tasks, so one listing serves before and after it (each update re-reads the task).
  const approved = await deps.store.tx((tx) => tx.listTasks({ states: ['approved'] }));
  await backfill(deps, approved);
  summary.executions = await applyApproved(full);
  summary.writes += summary.executions.reduce((n, r) => n + r.writes, 0);
  await followExecutions(deps, approved, outbox, summary.tasks);
  await rollbacks(deps, full, outbox, summary);
  const delivery = await deliver(deps, outbox);
  summary.messages = delivery.posted;
  summary.updated = delivery.updated;
  summary.failures.push(...delivery.failures);
  return summary;
}
