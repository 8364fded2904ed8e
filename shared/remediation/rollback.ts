import { RampartsError } from '../errors.js';
import type { ExecutionState } from '../store/port.js';
import { ExecutionSession } from './session.js';
import { handlerFor, type StepContext } from './steps/index.js';
import { clientsForPlan, type ExecutorDeps, type RollbackResult } from './types.js';

const ROLLBACK_FROM: ExecutionState[] = ['applied', 'failed', 'drift', 'refused', 'rolled_back', 'pending'];

/**
 * Undoes the done steps of an execution, in reverse order (or only `opts.step`): per step, record the
 * rollback intent, re-read — already in the original state counts as done — call the inverse once
 * (`EntityAlreadyExists.*` = done), read back, record. Idempotent: run twice, the second run finds
 * nothing left to undo. The execution becomes rolled_back once no step remains applied. Observe mode
 * records what it would call and writes nothing.
 */
export async function rollbackExecution(
  deps: Pick<ExecutorDeps, 'store' | 'clients' | 'clientsFor' | 'clock' | 'mode' | 'actor' | 'deleteKeyAfterInactiveDays'>,
  executionId: string,
  opts: { step?: number } = {},
): Promise<RollbackResult> {
  const execution = await deps.store.tx((tx) => tx.getExecution(executionId));
  if (!execution) throw new RampartsError('REMEDIATION_NOT_FOUND', `no plan execution ${executionId}: list them with ramparts status`);
  if (opts.step !== undefined && (opts.step < 0 || opts.step >= execution.plan.steps.length || !Number.isInteger(opts.step))) {
    throw new RampartsError('REMEDIATION_BAD_STEP', `plan execution ${executionId} has steps 0..${execution.plan.steps.length - 1}, not ${opts.step}`);
  }
  if (!ROLLBACK_FROM.includes(execution.state)) {
    throw new RampartsError('REMEDIATION_BUSY', `plan execution ${executionId} is ${execution.state}: wait until it ends, then roll back`);
  }
  const s = new ExecutionSession(deps.store, execution, deps.actor ?? 'system');
  const result: RollbackResult = { executionId, taskId: execution.taskId, outcome: 'rolled_back', steps: [], writes: 0 };
  const now = () => deps.clock.now();

  const indexes = execution.steps
    .map((rec, i) => ({ rec, i }))
    .filter(({ rec, i }) => (opts.step === undefined || opts.step === i) && (rec.status === 'done' || (rec.status === 'rolled_back' && opts.step === i)))
    .map(({ i }) => i)
    .reverse();
  if (indexes.length === 0) return { ...result, outcome: 'nothing-to-roll-back' };

  // The member's clients when the plan changed a member account (its apply role); our own otherwise.
  const clients = deps.mode === 'observe' ? deps.clients : await clientsForPlan(deps, execution.plan);
  for (const i of indexes) {
    const step = execution.plan.steps[i];
    const rec = s.current.steps[i];
    if (!step || !rec) continue;
    const h = handlerFor(step);
    if (rec.status === 'rolled_back') {
      result.steps.push({ step: i, action: step.action, outcome: 'already' });
      continue;
    }
    const ctx: StepContext = { clients, now: now(), deleteKeyAfterInactiveDays: deps.deleteKeyAfterInactiveDays, approvedAt: new Date(execution.createdAt) };
    const call = h.describeRollback(step);
    if (deps.mode === 'observe') {
      result.steps.push({ step: i, action: step.action, outcome: 'would-roll-back', reason: call });
      continue;
    }
    await s.saveStep(i, { rollbackIntentAt: now().toISOString() }, { at: now(), action: 'remediation.rollback.intent', data: { action: step.action, call } });
    let live = await h.read(ctx, step);
    let outcome: 'rolled_back' | 'already' = 'already';
    if (!h.rolledBack(step, live)) {
      result.writes++;
      try {
        await h.rollback(ctx, step);
      } catch (err) {
        // A lost response may hide a change that went through: the read-back decides.
        live = await h.read(ctx, step);
        if (!h.rolledBack(step, live)) {
          const reason = `${call} failed: ${err instanceof Error ? err.message : String(err)}`;
          await s.saveStep(i, { error: reason }, { at: now(), action: 'remediation.rollback.failed', data: { action: step.action, reason } });
          result.steps.push({ step: i, action: step.action, outcome: 'failed', reason });
          result.outcome = 'failed';
          continue;
        }
      }
      live = await h.read(ctx, step);
      if (!h.rolledBack(step, live)) {
        const reason = `read-back after ${call} does not show the original state: ${JSON.stringify(live)}`;
        await s.saveStep(i, { error: reason }, { at: now(), action: 'remediation.rollback.failed', data: { action: step.action, reason } });
        result.steps.push({ step: i, action: step.action, outcome: 'failed', reason });
        result.outcome = 'failed';
        continue;
      }
      outcome = 'rolled_back';
    }
    await s.saveStep(i, { status: 'rolled_back', rolledBackAt: now().toISOString(), error: null }, {
      at: now(),
      action: 'remediation.step.rolled_back',
      data: { action: step.action, call, verified: live, alreadyInPlace: outcome === 'already' },
    });
    result.steps.push({ step: i, action: step.action, outcome });
  }

  if (deps.mode === 'observe') return { ...result, outcome: 'observed' };
  if (s.current.steps.every((r) => r.status !== 'done') && s.current.state !== 'rolled_back') {
    await s.save((e) => ({ ...e, state: 'rolled_back', leaseUntil: null }), { at: now(), action: 'remediation.rolled_back', data: { steps: indexes } });
  }
  return result;
}
