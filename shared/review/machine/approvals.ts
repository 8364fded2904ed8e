/**
 * The approval step: a change request (a revocation, or the rollback of an applied one — it restores
 * access, so it is approved the same way) waits for approvers: the owner's managers and the approvers
 * group, minus the requester. Separation of duties (shared/sod) is checked by the use case and
 * arrives on the event as a verdict, so this stays pure; here it only decides what that means.
 */
import { answerersFor, managerOf } from '../../people/relations.js';
import type { Directory } from '../../people/types.js';
import { addDays, showDay } from '../dates.js';
import { overduePoints, reminderPoints, type ReviewPolicy } from '../policy.js';
import type { ChangeRequest, ReviewTask, TaskEffect, TransitionResult } from '../types.js';
import { audit, change, freshWindow, notify, ok, on, person, refuse, securityRef } from './common.js';

/** Who may approve a request by `requester`: managers of the owner and the approvers group, never the requester. */
export function approversFor(task: ReviewTask, requester: string, policy: ReviewPolicy, directory: Directory): string[] {
  const ids = new Set([...managerOf(task.ownership.owner, directory), ...directory.membersOf(policy.approversGroup).map((p) => p.id)]);
  ids.delete(requester);
  if (ids.size > 0) return [...ids];
  return answerersFor(securityRef(policy), directory, policy.securityGroup).filter((id) => id !== requester);
}

/**
 * Moves a task into a waiting-for-approval state with its approvers, an answer window (reminders,
 * then escalation to security when they stay silent) and the request on record, and asks them.
 */
export function requestApproval(
  task: ReviewTask,
  next: ReviewTask,
  request: ChangeRequest,
  policy: ReviewPolicy,
  directory: Directory,
  now: Date,
): { task: ReviewTask; effects: TaskEffect[] } {
  const approvers = approversFor(task, request.by, policy, directory);
  return {
    task: { ...next, assignees: approvers, approvals: [], request, ...freshWindow(now, policy) },
    effects: approvers.map((id) => notify('approval', person(id))),
  };
}

const WHAT = { revocation: 'revocation', rollback: 'rollback' } as const;

/** awaiting_approval and rollback_requested: approve (SoD-checked) or reject with a reason. */
export const approvalAnswer = on('answer', (task, event, { now, policy, directory }) => {
  const { decision } = event;
  const kind = task.state === 'rollback_requested' ? 'rollback' : 'revocation';
  if (decision.action !== 'approve' && decision.action !== 'reject') {
    return refuse('invalid_state', `A ${WHAT[kind]} request is waiting for approval; only approve or reject is possible now, not ${decision.action.replace('_', ' ')}.`);
  }
  const record = (next: ReviewTask, action: string, extra: TaskEffect[] = []): TransitionResult =>
    ok(next, [
      { type: 'record-decision', decision },
      audit(action, task, next, { decisionId: decision.id, action: decision.action, actor: decision.actor, reason: decision.reason, via: decision.via, request: kind }),
      notify('update', task.ownership.owner),
      ...extra,
    ]);
  const settled = { dueAt: null, deadlineAt: null, remindersSent: [] };
  if (decision.action === 'reject') {
    if (!task.assignees.includes(decision.actor)) return refuse('not_assignee', `Only an approver of this request can reject it.`);
    const reason = decision.reason?.trim();
    if (!reason) return refuse('reason_required', `Rejecting a ${WHAT[kind]} needs a reason, so the requester knows why.`);
    const note = { at: now.toISOString(), by: decision.actor, text: `${WHAT[kind]} rejected: ${reason}` };
    // A rejected rollback leaves the revocation as it was (an applied card keeps its rollback button while the window lasts).
    const back =
      kind === 'rollback'
        ? task.request?.from === 'failed'
          ? { state: 'failed' as const, assignees: answerersFor(securityRef(policy), directory, policy.securityGroup) }
          : { state: 'applied' as const, assignees: answerersFor(task.ownership.owner, directory, policy.securityGroup) }
        : { state: 'rejected' as const, assignees: [] };
    return record(change(task, { ...back, ...settled, notes: [...task.notes, note] }, now), 'decision.recorded');
  }
  if (kind === 'rollback') {
    const closed = rollbackWindowClosed(task, policy, now);
    if (closed) return refuse('not_allowed', closed);
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
  if (kind === 'rollback') return record(change(task, { state: 'rollback_approved', approvals, assignees: [], ...settled }, now), 'decision.recorded');
  // The plan as the approvers saw it is recorded with the approval, in the same transaction.
  const plan = (task.request?.plan ?? task.finding.remediation.plan) ? [{ type: 'create-execution' } as const] : [];
  return record(change(task, { state: 'approved', approvals, assignees: [], ...settled }, now), 'decision.recorded', plan);
});

/**
 * applied (and failed, which may have applied some steps): the owner asks to roll the revocation back,
 * within `rollbackWindowDays` of when it was applied. The request goes to approvers like a revocation.
 */
export const rollbackRequest = on('answer', (task, event, { now, policy, directory }) => {
  const { decision } = event;
  if (decision.action !== 'rollback') {
    return refuse('invalid_state', `The revocation was ${task.state === 'failed' ? 'attempted' : 'applied'}; the only answer now is to request a rollback, not ${decision.action.replace('_', ' ')}.`);
  }
  const owners = answerersFor(task.ownership.owner, directory, policy.securityGroup);
  if (!owners.includes(decision.actor)) return refuse('not_assignee', 'Only the owner of this identity can request a rollback (it restores access).');
  if (!task.execution?.appliedAt) return refuse('invalid_state', 'Nothing of this revocation was applied, so there is nothing to roll back.');
  const closed = rollbackWindowClosed(task, policy, now);
  if (closed) return refuse('not_allowed', closed);
  const reason = decision.reason?.trim() ? decision.reason.trim() : null;
  if (!reason) return refuse('reason_required', 'A rollback restores access: give the reason (for example "the key is still used by the billing export").');
  const from = task.state === 'failed' ? 'failed' : 'applied';
  const request: ChangeRequest = { kind: 'rollback', by: decision.actor, at: now.toISOString(), reason, step: event.step ?? null, from };
  const asked = requestApproval(task, change(task, { state: 'rollback_requested' }, now), request, policy, directory, now);
  return ok(asked.task, [
    { type: 'record-decision', decision },
    audit('rollback.requested', task, asked.task, { decisionId: decision.id, actor: decision.actor, reason, step: request.step, executionId: task.execution.id, via: decision.via }),
    notify('update', task.ownership.owner),
    ...asked.effects,
  ]);
});

const reached = (iso: string, now: Date): boolean => new Date(iso).getTime() <= now.getTime();

/** Why a rollback may no longer be asked for or approved (counted from when the change was applied), or null. */
export function rollbackWindowClosed(task: ReviewTask, policy: ReviewPolicy, now: Date): string | null {
  const since = task.execution?.appliedAt;
  if (!since) return null;
  const closes = addDays(new Date(since), policy.rollbackWindowDays);
  if (now.getTime() <= closes.getTime()) return null;
  return `The rollback window closed on ${showDay(closes.toISOString())} (${policy.rollbackWindowDays} days after it was applied); ask the security team to restore access by hand.`;
}

/**
 * The approvers' clock: reminders before the due date like an owner's, then once past it the security
 * group is told and joins the assignees (a silent approver must not park a revocation forever), then
 * daily overdue reminders to everyone who may answer.
 */
export const tickApproval = on('tick', (task, _event, { now, policy, directory }) => {
  if (!task.dueAt) return ok(task, []);
  const dueAt = task.dueAt;
  // Like an owner's window: escalation once the due time has passed (a reminder point may fall on it).
  const pastDue = now.getTime() > new Date(dueAt).getTime();
  if (!pastDue) {
    const due = reminderPoints(dueAt, policy).filter((p) => reached(p, now) && !task.remindersSent.includes(p));
    if (due.length === 0) return ok(task, []);
    const next = change(task, { remindersSent: [...task.remindersSent, ...due] }, now);
    return ok(next, [audit('approval.reminded', task, next, { point: due.at(-1) }), ...task.assignees.map((id) => notify('reminder', person(id)))]);
  }
  if (!task.remindersSent.includes(dueAt)) {
    const requester = task.request?.by ?? null;
    const security = answerersFor(securityRef(policy), directory, policy.securityGroup).filter((id) => id !== requester);
    const overdue = overduePoints(dueAt, now).filter((p) => !task.remindersSent.includes(p));
    const next = change(task, { assignees: [...new Set([...task.assignees, ...security])], remindersSent: [...task.remindersSent, dueAt, ...overdue] }, now);
    const silent = task.assignees.map((id) => directory.byId(id)?.name ?? id).join(', ') || 'nobody';
    const note = `approval requested ${showDay(task.request?.at ?? task.updatedAt)} is still waiting for ${silent}`;
    return ok(next, [
      audit('approval.escalated', task, next, { dueAt, silent: task.assignees, assignees: next.assignees }),
      ...security.map((id) => notify('escalation', person(id), note)),
      { type: 'notify', kind: 'security', to: securityRef(policy), note: `A ${task.request?.kind ?? 'revocation'} request has had no answer from ${silent} since ${showDay(dueAt)}.` },
    ]);
  }
  if (!policy.overdueDaily) return ok(task, []);
  const overdue = overduePoints(dueAt, now).filter((p) => !task.remindersSent.includes(p));
  if (overdue.length === 0) return ok(task, []);
  const next = change(task, { remindersSent: [...task.remindersSent, ...overdue] }, now);
  return ok(next, [audit('approval.reminded', task, next, { point: overdue.at(-1), overdue: true }), ...task.assignees.map((id) => notify('reminder', person(id)))]);
});
