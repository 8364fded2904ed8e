import { newTaskCounter } from './counts.js';
import type { ReviewDeps } from './deps.js';
import { transition } from './machine.js';
import { collect, createOutbox, deliver, type DeliveryReport } from './outbox.js';
import { persist, withRetry } from './persist.js';
import type { TaskState } from './types.js';

/** States with a timer: the due date and deadline, the daily overdue reminder, the fix-by date, the approvers' window. */
export const TICKING_STATES: readonly TaskState[] = ['awaiting_owner', 'escalated', 'snoozed', 'awaiting_approval', 'rollback_requested'];

export interface RemindSummary {
  /** Tasks looked at. */
  checked: number;
  reminded: number;
  escalated: number;
  /** Deadline actions taken (request-revocation, escalate-to-security or none). */
  deadlines: number;
  snoozesExpired: number;
  /** New messages posted: at most one per recipient per run. */
  messages: number;
  /** Existing messages re-rendered. */
  updated: number;
  failures: DeliveryReport['failures'];
}

/**
 * The hourly run (DESIGN "Functions": remind): ticks every task with a timer, each in its own
 * compare-and-set transaction, then sends what came due, grouped into one message per recipient.
 */
export async function remind(deps: ReviewDeps): Promise<RemindSummary> {
  const now = deps.clock.now();
  const tasks = await deps.store.tx((tx) => tx.listTasks({ states: [...TICKING_STATES] }));
  const outbox = createOutbox();
  const counter = newTaskCounter();
  for (const { id } of tasks) {
    const written = await withRetry(() =>
      deps.store.tx(async (tx) => {
        const task = await tx.getTask(id);
        if (!task) return null;
        const result = transition(task, { type: 'tick' }, now, deps.policy, deps.directory);
        if (!result.ok || result.effects.length === 0) return null;
        const stored = await persist(tx, task, result.task, result.effects, now, 'system');
        return stored ? { before: task, task: stored, effects: result.effects } : 'conflict';
      }),
    );
    if (!written || written === 'conflict') continue;
    collect(outbox, written.before, written.task, written.effects, deps);
    counter.add(written.effects);
  }
  const delivery = await deliver(deps, outbox);
  return {
    checked: tasks.length,
    reminded: counter.get('task.reminded'),
    escalated: counter.get('task.escalated'),
    deadlines: counter.get('task.deadline'),
    snoozesExpired: counter.get('task.snooze_expired'),
    messages: delivery.posted,
    updated: delivery.updated,
    failures: delivery.failures,
  };
}
