import { isMember } from '../people/relations.js';
import type { ReviewDeps } from './deps.js';
import { transition } from './machine.js';
import { collect, createOutbox, deliver } from './outbox.js';
import { persist, withRetry } from './persist.js';
import type { ReviewTask, TransitionRefusal } from './types.js';

export interface WaiveInput {
  taskId: string;
  /** Person id; must be in the security group (a waiver overrides the owner's review). */
  by: string;
  reason: string;
  /** Last day (ISO date) the waiver applies; null = until revoked. */
  until: string | null;
}

export type WaiveOutcome = { status: 'waived'; task: ReviewTask } | { status: 'refused'; refusal: TransitionRefusal } | { status: 'not_found' };

/**
 * Records a waiver (reason, owner, expiry) for a task's finding and moves the task to `waived` in one
 * transaction with its ledger entry. Later scans keep it waived until the waiver expires, then reopen
 * it (the `waiver_expired` event in syncScan).
 */
export async function waive(deps: ReviewDeps, input: WaiveInput): Promise<WaiveOutcome> {
  if (!isMember(input.by, { kind: 'group', name: deps.policy.securityGroup }, deps.directory)) {
    return { status: 'refused', refusal: { code: 'not_allowed', message: `only members of the ${deps.policy.securityGroup} group may waive a finding` } };
  }
  if (!input.reason.trim()) return { status: 'refused', refusal: { code: 'reason_required', message: 'a waiver needs a reason' } };
  const now = deps.clock.now();
  const expiresAt = input.until === null ? null : new Date(`${input.until}T23:59:59.999Z`);
  if (expiresAt !== null && (Number.isNaN(expiresAt.getTime()) || expiresAt <= now)) {
    return { status: 'refused', refusal: { code: 'bad_date', message: `--until ${input.until} must be a future date (YYYY-MM-DD)` } };
  }
  const result = await withRetry(() =>
    deps.store.tx(async (tx) => {
      const task = await tx.getTask(input.taskId);
      if (!task) return { status: 'not_found' as const };
      const t = transition(task, { type: 'waived', by: input.by, reason: input.reason.trim(), until: expiresAt?.toISOString() ?? null }, now, deps.policy, deps.directory);
      if (!t.ok) return { status: 'refused' as const, refusal: t.refusal };
      await tx.upsertWaiver({ fingerprint: task.fingerprint, reason: input.reason.trim(), owner: input.by, createdAt: now.toISOString(), expiresAt: expiresAt?.toISOString() ?? null });
      const stored = await persist(tx, task, t.task, t.effects, now, input.by);
      return stored ? { status: 'written' as const, before: task, task: stored, effects: t.effects } : ('conflict' as const);
    }),
  );
  if (result === 'conflict') return { status: 'refused', refusal: { code: 'invalid_state', message: 'the task changed meanwhile; try again' } };
  if (result.status !== 'written') return result;
  const outbox = createOutbox();
  collect(outbox, result.before, result.task, result.effects, deps);
  await deliver(deps, outbox);
  return { status: 'waived', task: result.task };
}
