/**
 * The approval step: a revocation request waits for approvers — the owner's managers and the
 * approvers group, minus the requester. Separation of duties (shared/sod) is checked by the use case
 * and arrives on the event as a verdict, so this stays pure; here it only decides what that means.
 */
import { answerersFor, managerOf } from '../../people/relations.js';
import type { Directory } from '../../people/types.js';
import type { ReviewPolicy } from '../policy.js';
import type { ReviewTask, TaskEffect, TransitionResult } from '../types.js';
import { audit, change, notify, ok, on, person, refuse, securityRef } from './common.js';

/** Who may approve a request by `requester`: managers of the owner and the approvers group, never the requester. */
export function approversFor(task: ReviewTask, requester: string, policy: ReviewPolicy, directory: Directory): string[] {
  const ids = new Set([...managerOf(task.ownership.owner, directory), ...directory.membersOf(policy.approversGroup).map((p) => p.id)]);
  ids.delete(requester);
  if (ids.size > 0) return [...ids];
  return answerersFor(securityRef(policy), directory, policy.securityGroup).filter((id) => id !== requester);
}

/** Moves a task into awaiting_approval with its approvers and asks them. */
export function requestApproval(task: ReviewTask, next: ReviewTask, requester: string, policy: ReviewPolicy, directory: Directory): { task: ReviewTask; effects: TaskEffect[] } {
  const approvers = approversFor(task, requester, policy, directory);
  return { task: { ...next, assignees: approvers, approvals: [] }, effects: approvers.map((id) => notify('approval', person(id))) };
}

export const approvalAnswer = on('answer', (task, event, { now, policy, directory }) => {
  const { decision } = event;
  if (decision.action !== 'approve' && decision.action !== 'reject') {
    return refuse('invalid_state', `A revocation request is waiting for approval; only approve or reject is possible now, not ${decision.action.replace('_', ' ')}.`);
  }
  const record = (next: ReviewTask, action: string, extra: TaskEffect[] = []): TransitionResult =>
    ok(next, [
      { type: 'record-decision', decision },
      audit(action, task, next, { decisionId: decision.id, action: decision.action, actor: decision.actor, reason: decision.reason, via: decision.via }),
      notify('update', task.ownership.owner),
      ...extra,
    ]);
  if (decision.action === 'reject') {
    if (!task.assignees.includes(decision.actor)) return refuse('not_assignee', 'Only an approver of this request can reject it.');
    const reason = decision.reason?.trim();
    if (!reason) return refuse('reason_required', 'Rejecting a revocation needs a reason, so the requester knows why.');
    const next = change(task, { state: 'rejected', assignees: [], notes: [...task.notes, { at: now.toISOString(), by: decision.actor, text: `revocation rejected: ${reason}` }] }, now);
    return record(next, 'decision.recorded');
  }
  const sod = event.sod;
  if (!sod) return refuse('not_allowed', 'Approval checks did not run; nothing was recorded. Try again.');
  if (!sod.allowed) return refuse('not_allowed', sod.refusals.map((r) => r.message).join(' '));
  const approvals = [...(task.approvals ?? []), decision.actor];
  if (sod.needsMore) {
    // Privileged subject: a second, distinct approver (one from security) is still needed.
    const security = answerersFor(securityRef(policy), directory, policy.securityGroup).filter((id) => !approvals.includes(id));
    const next = change(task, { approvals, assignees: [...new Set([...task.assignees.filter((id) => id !== decision.actor), ...security])] }, now);
    return record(next, 'approval.recorded', [notify('approval', securityRef(policy), sod.needsMore.reason)]);
  }
  return record(change(task, { state: 'approved', approvals, assignees: [] }, now), 'decision.recorded');
});
