/**
 * What the apply job reports back: an execution that ended (applied, observed, drift, refused,
 * failed) and an approved rollback that ran. The executor (shared/remediation) owns the RAM calls and
 * their ledger entries; here the task follows, so cards and the ledger tell the same story.
 */
import { answerersFor } from '../../people/relations.js';
import { showDay } from '../dates.js';
import type { ReviewTask, TaskExecution } from '../types.js';
import { audit, change, freshWindow, notify, ok, on, securityRef } from './common.js';

const NONE = { dueAt: null, deadlineAt: null, remindersSent: [] };

function note(task: ReviewTask, now: Date, text: string): ReviewTask['notes'] {
  return [...task.notes, { at: now.toISOString(), by: 'system', text }];
}

/** approved: the plan's execution ended. */
export const executionEnded = on('execution_ended', (task, event, { now, policy, directory }) => {
  const at = now.toISOString();
  const execution: TaskExecution = { id: event.executionId, mode: event.mode, appliedAt: null };
  const owners = answerersFor(task.ownership.owner, directory, policy.securityGroup);
  const data = { executionId: event.executionId, outcome: event.outcome, mode: event.mode, reason: event.reason };
  switch (event.outcome) {
    case 'observed': {
      // Observe mode: recorded once per execution; the task waits for enforce mode.
      if (task.execution?.id === event.executionId && task.execution.mode === 'observe') return ok(task, []);
      const next = change(task, { execution: { ...execution, wouldApply: event.wouldApply ?? [] } }, now);
      return ok(next, [audit('task.observed', task, next, { ...data, wouldApply: event.wouldApply ?? [] }), notify('update', task.ownership.owner)]);
    }
    case 'applied': {
      const next = change(task, { state: 'applied', assignees: owners, execution: { ...execution, appliedAt: at }, ...NONE }, now);
      return ok(next, [audit('task.applied', task, next, data), notify('update', task.ownership.owner)]);
    }
    case 'drift': {
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
    case 'failed': {
      const text = `${event.outcome === 'refused' ? 'not applied' : 'applying failed'}: ${event.reason ?? 'no reason recorded'}`;
      const security = answerersFor(securityRef(policy), directory, policy.securityGroup);
      const next = change(task, { state: 'failed', assignees: security, execution, ...NONE, notes: note(task, now, text) }, now);
      return ok(next, [
        audit('task.failed', task, next, data),
        notify('update', task.ownership.owner),
        { type: 'notify', kind: 'security', to: securityRef(policy), note: `Revocation ${event.outcome}: ${text}` },
      ]);
    }
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
    const next = change(task, { state: 'failed', assignees: answerersFor(securityRef(policy), directory, policy.securityGroup), notes: note(task, now, text) }, now);
    return ok(next, [audit('task.rollback_failed', task, next, data), notify('update', task.ownership.owner), { type: 'notify', kind: 'security', to: securityRef(policy), note: text }]);
  }
  if (event.remaining > 0) {
    // One step rolled back, others still applied: the revocation stays applied (and can be rolled back further).
    const text = `step ${(task.request?.step ?? 0) + 1} rolled back on ${showDay(now.toISOString())}; the other steps stay applied`;
    const next = change(task, { state: 'applied', assignees: owners, approvals: [], notes: note(task, now, text) }, now);
    return ok(next, [audit('task.rolled_back', task, next, data), notify('update', task.ownership.owner)]);
  }
  const execution = task.execution ? { ...task.execution, rolledBackAt: now.toISOString() } : null;
  const next = change(task, { state: 'rolled_back', assignees: [], execution }, now);
  return ok(next, [audit('task.rolled_back', task, next, data), notify('update', task.ownership.owner)]);
});
