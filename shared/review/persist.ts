import { recordExecution } from '../remediation/session.js';
import type { StoreTx } from '../store/port.js';
import type { ReviewTask, TaskEffect } from './types.js';

/**
 * Executes the store-side effects of a transition inside the caller's transaction: decision rows
 * and ledger entries land with the state change or not at all (DESIGN "The flow").
 */
export async function writeEffects(tx: StoreTx, task: ReviewTask, effects: readonly TaskEffect[], now: Date, actor: string): Promise<void> {
  const at = now.toISOString();
  for (const effect of effects) {
    if (effect.type === 'record-decision') {
      await tx.insertDecision(effect.decision);
    } else if (effect.type === 'audit') {
      const by = typeof effect.data['actor'] === 'string' ? effect.data['actor'] : actor;
      await tx.appendAudit({ at, actor: by, action: effect.action, subject: task.id, data: { fingerprint: task.fingerprint, ...effect.data } });
    } else if (effect.type === 'request-revocation') {
      // The approval stage picks the request up from the task's state; the ledger says who asked and what for.
      await tx.appendAudit({
        at,
        actor: effect.requestedBy,
        action: 'revocation.requested',
        subject: task.id,
        data: { fingerprint: task.fingerprint, reason: effect.reason, plan: task.finding.remediation.plan?.summary ?? null },
      });
    } else if (effect.type === 'create-execution') {
      // Exactly the plan on the approvers' cards, recorded with the approval: the apply job runs it.
      const plan = task.request?.plan ?? task.finding.remediation.plan;
      if (plan) await recordExecution(tx, { taskId: task.id, plan, actor, now });
    }
  }
}

/**
 * Compare-and-set write of a transition result plus its effects. Returns the stored task (version
 * bumped as the store did), or null when someone else changed the task first (nothing written).
 */
export async function persist(
  tx: StoreTx,
  before: ReviewTask,
  after: ReviewTask,
  effects: readonly TaskEffect[],
  now: Date,
  actor: string,
): Promise<ReviewTask | null> {
  if (!(await tx.updateTask(after, before.version))) return null;
  await writeEffects(tx, after, effects, now, actor);
  return { ...after, version: before.version + 1 };
}

/** Runs a compare-and-set step, once more if it lost the race (FC retries and double clicks). */
export async function withRetry<T>(step: () => Promise<T | 'conflict'>): Promise<T | 'conflict'> {
  const first = await step();
  return first === 'conflict' ? step() : first;
}
