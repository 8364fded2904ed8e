/**
 * The apply run (DESIGN "Functions": apply, every 10 minutes): approved plans → the executor →
 * tasks follow their executions; approved rollbacks → undone. Each task update is its own
 * compare-and-set transaction, and the task side is re-derived from the executions on every run, so a
 * crash between the executor's record and the task's update is repaired by the next run.
 */
import { applyApproved, rollbackExecution } from '../remediation/index.js';
import { recordExecution } from '../remediation/session.js';
import type { ExecutionResult, ExecutorDeps, RollbackResult } from '../remediation/types.js';
import type { PlanExecution } from '../store/port.js';
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

/** How an execution that has ended reads to its task; null while it has not ended. */
function endedEvent(e: PlanExecution): Extract<TaskEvent, { type: 'execution_ended' }> | null {
  if (e.state !== 'applied' && e.state !== 'observed' && e.state !== 'drift' && e.state !== 'refused' && e.state !== 'failed') return null;
  const wouldApply = e.steps.map((s) => s.wouldApply).filter((c): c is string => typeof c === 'string');
  return { type: 'execution_ended', executionId: e.id, outcome: e.state, mode: e.mode, reason: e.error, ...(e.state === 'observed' ? { wouldApply } : {}) };
}

/** One task event in its own compare-and-set transaction; cards to update go to the outbox. */
async function fire(deps: ReviewDeps, outbox: Outbox, taskId: string, event: (task: ReviewTask) => TaskEvent | null): Promise<ReviewTask | null> {
  const now = deps.clock.now();
  const written = await withRetry(() =>
    deps.store.tx(async (tx) => {
      const task = await tx.getTask(taskId);
      const e = task ? event(task) : null;
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
async function backfill(deps: ReviewDeps): Promise<void> {
  const approved = await deps.store.tx((tx) => tx.listTasks({ states: ['approved'] }));
  for (const task of approved) {
    const plan = task.finding.remediation.plan;
    if (!plan) continue;
    await deps.store.tx(async (tx) => {
      if (!(await tx.getExecutionByTask(task.id))) await recordExecution(tx, { taskId: task.id, plan, now: deps.clock.now() });
    });
  }
}

/** Every approved task catches up with its latest execution (this run's, or one a crash left unreported). */
async function followExecutions(deps: ReviewDeps, outbox: Outbox, tasks: ApplySummary['tasks']): Promise<void> {
  const approved = await deps.store.tx((tx) => tx.listTasks({ states: ['approved'] }));
  for (const { id } of approved) {
    const execution = await deps.store.tx((tx) => tx.getExecutionByTask(id));
    const event = execution ? endedEvent(execution) : null;
    if (!event) continue;
    if (!(await fire(deps, outbox, id, () => event))) continue;
    const outcome = event.outcome === 'refused' ? 'failed' : event.outcome;
    tasks[outcome] += 1;
  }
}

async function rollbacks(deps: ReviewDeps, executor: ExecutorDeps, outbox: Outbox, summary: ApplySummary): Promise<void> {
  const approved = await deps.store.tx((tx) => tx.listTasks({ states: ['rollback_approved'] }));
  for (const task of approved) {
    const executionId = task.execution?.id;
    if (!executionId) continue;
    const step = task.request?.step ?? undefined;
    let result: RollbackResult;
    try {
      result = await rollbackExecution(executor, executionId, step === undefined || step === null ? {} : { step });
    } catch (err) {
      // A cloud error or a busy execution: the task stays approved and the next run tries again.
      summary.rollbacks.push({ executionId, taskId: task.id, outcome: 'failed', steps: [], writes: 0 });
      summary.failures.push({ to: `rollback ${executionId}`, error: err instanceof Error ? err.message : String(err) });
      continue;
    }
    summary.rollbacks.push(result);
    summary.writes += result.writes;
    const after = await deps.store.tx((tx) => tx.getExecution(executionId));
    const remaining = after ? after.steps.filter((s) => s.status === 'done').length : 0;
    const failed = result.steps.filter((s) => s.outcome === 'failed').map((s) => s.reason ?? s.action);
    const event: TaskEvent =
      result.outcome === 'observed'
        ? { type: 'rollback_ended', executionId, outcome: 'observed', remaining, reason: null, calls: result.steps.map((s) => s.reason ?? s.action) }
        : result.outcome === 'failed'
          ? { type: 'rollback_ended', executionId, outcome: 'failed', remaining, reason: failed.join('; ') }
          : { type: 'rollback_ended', executionId, outcome: 'rolled_back', remaining, reason: null };
    const moved = await fire(deps, outbox, task.id, () => event);
    if (moved?.state === 'rolled_back' || (moved?.state === 'applied' && event.outcome === 'rolled_back')) summary.tasks.rolledBack += 1;
  }
}

/**
 * Runs the executor over approved plans (at most `maxPerRun`), then moves their tasks, then runs
 * approved rollbacks, then updates cards. Rollbacks are not capped by `maxPerRun`: they restore access.
 */
export async function applyRun(deps: ReviewDeps, executor: Executor): Promise<ApplySummary> {
  const full: ExecutorDeps = { ...executor, store: deps.store, clock: deps.clock };
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
  await backfill(deps);
  summary.executions = await applyApproved(full);
  summary.writes += summary.executions.reduce((n, r) => n + r.writes, 0);
  await followExecutions(deps, outbox, summary.tasks);
  await rollbacks(deps, full, outbox, summary);
  const delivery = await deliver(deps, outbox);
  summary.messages = delivery.posted;
  summary.updated = delivery.updated;
  summary.failures.push(...delivery.failures);
  return summary;
}
