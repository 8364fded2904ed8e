/**
 * What the apply job reports back: an execution that ended (applied, observed, drift, refused,
 * failed) and an approved rollback that ran. The executor (shared/remediation) owns the RAM calls and
 * their ledger entries; here the task follows, so cards and the ledger tell the same story.
 */
import { answerersFor } from '../../people/relations.js';
import { showDay } from '../dates.js';
import type { ReviewTask, TaskExecution, TransitionResult } from '../types.js';
import { audit, change, freshWindow, notify, ok, on, securityRef } from './common.js';

const NONE = { dueAt: null, deadlineAt: null, remindersSent: [] };

function note(task: ReviewTask, now: Date, text: string): ReviewTask['notes'] {
  return [...task.notes, { at: now.toISOString(), by: 'system', text }];
}

/** The request with the apply run's rollback lease let go (the rollback ended, one way or another). */
function released(task: ReviewTask): ReviewTask['request'] {
  return task.request ? { ...task.request, claim: null } : null;
}

/** approved: the plan's execution ended. */
export const executionEnded = on('execution_ended', (task, event, { now, policy, directory }) => {
  const done = event.done ?? 0;
  const execution: TaskExecution = { id: event.executionId, mode: event.mode, appliedAt: done > 0 ? (event.appliedAt ?? now.toISOString()) : null };
  const owners = answerersFor(task.ownership.owner, directory, policy.securityGroup);
  const data = { executionId: event.executionId, outcome: event.outcome, mode: event.mode, reason: event.reason, stepsApplied: done };
  const failed = (text: string): TransitionResult => {
    const security = answerersFor(securityRef(policy), directory, policy.securityGroup);
    const next = change(task, { state: 'failed', assignees: security, execution, ...NONE, notes: note(task, now, text) }, now);
    return ok(next, [
      audit('task.failed', task, next, data),
      notify('update', task.ownership.owner),
      { type: 'notify', kind: 'security', to: securityRef(policy), note: `Revocation ${event.outcome}: ${text}` },
    ]);
  };
  switch (event.outcome) {
    case 'observed': {
      // Observe mode: recorded once per execution; the task waits for enforce mode.
      if (task.execution?.id === event.executionId && task.execution.mode === 'observe') return ok(task, []);
      const next = change(task, { execution: { ...execution, wouldApply: event.wouldApply ?? [] } }, now);
      return ok(next, [audit('task.observed', task, next, { ...data, wouldApply: event.wouldApply ?? [] }), notify('update', task.ownership.owner)]);
    }
    case 'applied': {
      const next = change(task, { state: 'applied', assignees: owners, execution: { ...execution, appliedAt: event.appliedAt ?? now.toISOString() }, ...NONE }, now);
      return ok(next, [audit('task.applied', task, next, data), notify('update', task.ownership.owner)]);
    }
    case 'drift': {
      // Earlier steps went through: the task keeps them on record (roll back or finish by hand), not back to review.
      if (done > 0) return failed(`partially applied (${done} of the plan's steps) — ${event.reason ?? 'the live state changed'}; roll the applied steps back or finish by hand`);
      // Only what was shown is applied: the owner reviews the identity as it is now.
      const text = `not applied — ${event.reason ?? 'the live state changed since the approval'}; please review again`;
      const next = change(
        task,
        { state: 'awaiting_owner', assignees: owners, approvals: [], request: null, execution: null, ...freshWindow(now, policy), notes: note(task, now, text) },
        now,
      );
      return ok(next, [audit('task.drift', task, next, data), notify('prompt', task.ownership.owner, text)]);
    }
    case 'refused':
    case 'failed':
      return failed(`${event.outcome === 'refused' ? 'not applied' : done > 0 ? `partially applied (${done} of the plan's steps), then failed` : 'applying failed'}: ${event.reason ?? 'no reason recorded'}`);
  }
});

/** rollback_approved: the apply job ran the rollback. */
export const rollbackEnded = on('rollback_ended', (task, event, { now, policy, directory }) => {
  const data = { executionId: event.executionId, outcome: event.outcome, remaining: event.remaining, reason: event.reason, step: task.request?.step ?? null };
  const owners = answerersFor(task.ownership.owner, directory, policy.securityGroup);
  if (event.outcome === 'observed') {
    const text = `observe mode: the rollback would call ${(event.calls ?? []).join('; ') || 'nothing'}`;
    if (task.notes.at(-1)?.text === text) return ok(task, []);
    const next = change(task, { notes: note(task, now, text) }, now);
    return ok(next, [audit('task.rollback_observed', task, next, data), notify('update', task.ownership.owner)]);
  }
  if (event.outcome === 'failed') {
    const text = `rollback failed: ${event.reason ?? 'no reason recorded'}`;
    const next = change(
      task,
      { state: 'failed', assignees: answerersFor(securityRef(policy), directory, policy.securityGroup), request: released(task), notes: note(task, now, text) },
      now,
    );
    return ok(next, [audit('task.rollback_failed', task, next, data), notify('update', task.ownership.owner), { type: 'notify', kind: 'security', to: securityRef(policy), note: text }]);
  }
  if (event.remaining > 0) {
    // One step rolled back, others still applied: the task returns to where it was (and can be rolled back further).
    const text = `step ${(task.request?.step ?? 0) + 1} rolled back on ${showDay(now.toISOString())}; the other steps stay applied`;
    const back = task.request?.from === 'failed' ? { state: 'failed' as const, assignees: answerersFor(securityRef(policy), directory, policy.securityGroup) } : { state: 'applied' as const, assignees: owners };
    const next = change(task, { ...back, approvals: [], request: released(task), notes: note(task, now, text) }, now);
    return ok(next, [audit('task.rolled_back', task, next, data), notify('update', task.ownership.owner)]);
  }
  const execution = task.execution ? { ...task.execution, rolledBackAt: now.toISOString() } : null;
  const next = change(task, { state: 'rolled_back', assignees: [], execution, request: released(task) }, now);
  return ok(next, [audit('task.rolled_back', task, next, data), notify('update', task.ownership.owner)]);
});
