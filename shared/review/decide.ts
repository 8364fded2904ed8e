import type { StoreTx } from '../store/port.js';
import { newId, type ReviewDeps } from './deps.js';
import { transition } from './machine.js';
import { collect, createOutbox, deliver } from './outbox.js';
import { persist, withRetry } from './persist.js';
import { answerEvent } from './task.js';
import type { DecideInput, DecideOutcome, Decision, ReviewTask, TaskAction, TaskEffect, TaskState, TransitionRefusal } from './types.js';

/** Where each answer leaves the task: an answer found there again, by the same person, is a repeat. */
const RESULTS: Record<TaskAction, readonly TaskState[]> = {
  keep: ['kept', 'awaiting_attestation'],
  revoke: ['awaiting_approval'],
  snooze: ['snoozed'],
  not_mine: ['awaiting_owner'],
  attest: ['kept'],
  decline: ['awaiting_owner'],
  approve: ['approved', 'awaiting_approval', 'rollback_approved', 'rollback_requested'],
  reject: ['rejected', 'applied'],
  rollback: ['rollback_requested'],
};

/** True when the task already shows this actor's same answer (a retried callback or a double click). */
async function alreadyAnswered(tx: StoreTx, task: ReviewTask, input: DecideInput): Promise<boolean> {
  if (!RESULTS[input.action].includes(task.state)) return false;
  // Any earlier identical answer counts, not only the last one: answers in the same millisecond
  // (a fast double click) have equal timestamps and no reliable order.
  const decisions = await tx.listDecisions(task.id);
  // An approval or rejection answers the request open now, not an earlier one (a revocation before its rollback).
  const since = (input.action === 'approve' || input.action === 'reject') && task.request ? task.request.at : '';
  return decisions.some((d) => d.action === input.action && d.actor === input.actor && d.at >= since);
}

/**
 * A rollback must name something that is applied: the task's execution has a done step, and the
 * requested step (if any) is one of them. Checked here because the machine does not see executions.
 */
async function rollbackRefusal(tx: StoreTx, task: ReviewTask, step: number | null): Promise<TransitionRefusal | null> {
  if (!task.execution || (task.state !== 'applied' && task.state !== 'failed')) return null;
  const execution = await tx.getExecution(task.execution.id);
  const steps = execution?.steps ?? [];
  if (!steps.some((s) => s.status === 'done')) return { code: 'invalid_state', message: 'No step of this revocation is applied any more, so there is nothing to roll back.' };
  if (step === null) return null;
  if (!Number.isInteger(step) || step < 0 || step >= steps.length) return { code: 'not_allowed', message: `Step ${step + 1} does not exist: the plan has steps 1 to ${steps.length}.` };
  if (steps[step]?.status !== 'done') return { code: 'not_allowed', message: `Step ${step + 1} is not applied (${steps[step]?.status ?? 'unknown'}), so it cannot be rolled back.` };
  return null;
}

type Attempt =
  | { kind: 'done'; outcome: DecideOutcome }
  | { kind: 'conflict' }
  | { kind: 'written'; before: ReviewTask; task: ReviewTask; effects: TaskEffect[] };

function decisionOf(deps: ReviewDeps, input: DecideInput, now: Date): Decision {
  return {
    id: newId(deps),
    taskId: input.taskId,
    action: input.action,
    actor: input.actor,
    reason: input.reason?.trim() ? input.reason.trim() : null,
    until: input.until ?? null,
    at: now.toISOString(),
    via: input.via,
  };
}

/**
 * Records one answer (chat callback or CLI): the machine decides, then one transaction writes the
 * compare-and-set update, the decision and its ledger entries. A lost race is tried again on the
 * fresh task, where the same answer already recorded shows as `duplicate`. Cards are updated after
 * the commit, outside the transaction.
 */
export async function decide(deps: ReviewDeps, input: DecideInput): Promise<DecideOutcome> {
  const now = deps.clock.now();
  const decision = decisionOf(deps, input, now);
  const attempt = (): Promise<Attempt> =>
    deps.store.tx(async (tx): Promise<Attempt> => {
      const task = await tx.getTask(input.taskId);
      if (!task) return { kind: 'done', outcome: { status: 'not_found' } };
      const event = { ...answerEvent(task, decision, deps.directory), step: input.step ?? null };
      if (input.action === 'approve' && (task.state === 'awaiting_approval' || task.state === 'rollback_requested') && deps.approvalCheck) {
        // Separation of duties needs who requested it: the request on the task, else the last revoke on record, else the deadline (system).
        const revokes = (await tx.listDecisions(task.id)).filter((d) => d.action === 'revoke');
        const requestedBy = task.request?.by ?? revokes.sort((a, b) => (a.at < b.at ? -1 : 1)).at(-1)?.actor ?? 'system';
        event.sod = deps.approvalCheck(task, input.actor, requestedBy);
      }
      if ((input.action === 'approve' || input.action === 'reject') && input.request && input.request !== task.request?.at) {
        const now = task.request?.kind === 'rollback' ? 'a rollback request' : task.request ? 'a newer request' : 'no request';
        const refusal: TransitionRefusal = { code: 'invalid_state', message: `This card asked about an earlier request; the task now has ${now}. Answer on its newest card.` };
        return { kind: 'done', outcome: { status: 'refused', task, refusal } };
      }
      if (input.action === 'rollback') {
        const refusal = await rollbackRefusal(tx, task, input.step ?? null);
        if (refusal) return { kind: 'done', outcome: { status: 'refused', task, refusal } };
      }
      const result = transition(task, event, now, deps.policy, deps.directory);
      if (!result.ok) {
        const duplicate = await alreadyAnswered(tx, task, input);
        return { kind: 'done', outcome: duplicate ? { status: 'duplicate', task } : { status: 'refused', task, refusal: result.refusal } };
      }
      const stored = await persist(tx, task, result.task, result.effects, now, input.actor);
      return stored ? { kind: 'written', before: task, task: stored, effects: result.effects } : { kind: 'conflict' };
    });
  const result = await withRetry(async () => {
    const a = await attempt();
    return a.kind === 'conflict' ? 'conflict' : a;
  });
  if (result === 'conflict') {
    const task = await deps.store.tx((tx) => tx.getTask(input.taskId));
    if (!task) return { status: 'not_found' };
    return { status: 'refused', task, refusal: { code: 'invalid_state', message: 'The task kept changing while your answer was being recorded; look at the updated card and answer again if needed.' } };
  }
  if (result.kind === 'done') return result.outcome;
  const outbox = createOutbox();
  collect(outbox, result.before, result.task, result.effects, deps);
  await deliver(deps, outbox);
  return { status: 'recorded', task: result.task, decision };
}
