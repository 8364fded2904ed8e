/** Handlers for `tick` (the hourly remind run): reminders, escalation, deadline action, snooze expiry. */
import { requestApproval } from './approvals.js';
import { answerersFor, managerOf } from '../../people/relations.js';
import { showDay } from '../dates.js';
import { overduePoints, reminderPoints } from '../policy.js';
import type { ReviewTask, TaskEffect, TransitionResult } from '../types.js';
import { audit, change, freshWindow, notify, ok, on, person, securityRef, type MachineContext } from './common.js';

const reached = (iso: string | null, now: Date): boolean => iso !== null && new Date(iso).getTime() <= now.getTime();

/** Nothing is scheduled in this state. */
export const idle = on('tick', (task) => ok(task, []));

/**
 * At most one reminder per tick: every point reached is recorded, so a remind run that was down for
 * a day sends one reminder, not a burst.
 */
function remindAt(task: ReviewTask, points: string[], recipients: TaskEffect[], now: Date): TransitionResult {
  const due = points.filter((p) => reached(p, now) && !task.remindersSent.includes(p));
  const latest = due.at(-1);
  if (latest === undefined) return ok(task, []);
  const next = change(task, { remindersSent: [...task.remindersSent, ...due] }, now);
  return ok(next, [audit('task.reminded', task, next, { point: latest, skipped: due.length - 1 }), ...recipients]);
}

/** Owner silent past the due date: the manager(s) decide instead, or the security group if none. */
function escalate(task: ReviewTask, { now, policy, directory }: MachineContext): TransitionResult {
  const managers = managerOf(task.ownership.owner, directory);
  const assignees = managers.length > 0 ? managers : answerersFor(securityRef(policy), directory, policy.securityGroup);
  const to = managers.length > 0 ? managers.map(person) : [securityRef(policy)];
  // The escalation itself is today's nudge: the first daily overdue reminder comes tomorrow.
  const overdue = task.dueAt ? overduePoints(task.dueAt, now).filter((p) => !task.remindersSent.includes(p)) : [];
  const next = change(task, { state: 'escalated', assignees, remindersSent: [...task.remindersSent, ...overdue] }, now);
  return ok(next, [
    audit('task.escalated', task, next, { dueAt: task.dueAt, assignees }),
    ...to.map((ref) => notify('escalation', ref, `no answer by ${task.dueAt ? showDay(task.dueAt) : 'the due date'}`)),
    notify('update', task.ownership.owner),
  ]);
}

/**
 * The per-rule deadline action. It can only *request* a revocation (the approval stage decides);
 * `deadlineAt` is recorded in `remindersSent` so it fires once.
 */
function deadline(task: ReviewTask, { now, policy, directory }: MachineContext): TransitionResult {
  const action = policy.deadlineAction(task.finding.rule);
  const marker = task.deadlineAt ?? now.toISOString();
  // Like the escalation, the deadline's own notice is today's nudge: today's overdue point counts as sent.
  const overdue = task.dueAt ? overduePoints(task.dueAt, now).filter((p) => !task.remindersSent.includes(p)) : [];
  const fired = { remindersSent: [...task.remindersSent, ...overdue, marker] };
  const day = showDay(marker);
  if (action === 'request-revocation') {
    const request = { kind: 'revocation' as const, by: 'system', at: now.toISOString(), reason: `no decision by the deadline (${day})`, plan: task.finding.remediation.plan };
    const asked = requestApproval(task, change(task, { ...fired, state: 'awaiting_approval', snoozedUntil: null }, now), request, policy, directory, now);
    return ok(asked.task, [
      audit('task.deadline', task, asked.task, { deadlineAction: action, deadlineAt: task.deadlineAt }),
      { type: 'request-revocation', requestedBy: 'system', reason: `no decision by the deadline (${day})` },
      notify('update', task.ownership.owner),
      ...asked.effects,
    ]);
  }
  if (action === 'escalate-to-security') {
    const security = securityRef(policy);
    const next = change(task, { ...fired, state: 'escalated', assignees: answerersFor(security, directory, policy.securityGroup) }, now);
    return ok(next, [
      audit('task.deadline', task, next, { deadlineAction: action, deadlineAt: task.deadlineAt, assignees: next.assignees }),
      notify('escalation', security, `no decision by the deadline (${day})`),
      notify('update', task.ownership.owner),
    ]);
  }
  const next = change(task, fired, now);
  return ok(next, [audit('task.deadline', task, next, { deadlineAction: action, deadlineAt: task.deadlineAt })]);
}

function deadlineDue(task: ReviewTask, now: Date): boolean {
  return reached(task.deadlineAt, now) && task.deadlineAt !== null && !task.remindersSent.includes(task.deadlineAt);
}

/** Runs `second` on the result of `first`, concatenating effects (escalation and deadline in one tick). */
function then(first: TransitionResult, second: (task: ReviewTask) => TransitionResult): TransitionResult {
  if (!first.ok) return first;
  const rest = second(first.task);
  return rest.ok ? ok(rest.task, [...first.effects, ...rest.effects]) : first;
}

export const tickAwaitingOwner = on('tick', (task, _event, ctx) => {
  const { now, policy } = ctx;
  if (!task.dueAt) return ok(task, []);
  if (now.getTime() > new Date(task.dueAt).getTime()) {
    const escalated = escalate(task, ctx);
    return deadlineDue(task, now) ? then(escalated, (t) => deadline(t, ctx)) : escalated;
  }
  return remindAt(task, reminderPoints(task.dueAt, policy), [notify('reminder', task.ownership.owner)], now);
});

export const tickEscalated = on('tick', (task, _event, ctx) => {
  const { now, policy } = ctx;
  if (deadlineDue(task, now)) return deadline(task, ctx);
  if (!policy.overdueDaily || !task.dueAt) return ok(task, []);
  return remindAt(task, overduePoints(task.dueAt, now), task.assignees.map((id) => notify('reminder', person(id))), now);
});

/** The fix-by date passed and the finding is still there (a scan would have resolved it): ask again. */
export const tickSnoozed = on('tick', (task, _event, { now, policy, directory }) => {
  if (!reached(task.snoozedUntil, now)) return ok(task, []);
  const until = task.snoozedUntil ?? now.toISOString();
  const next = change(
    task,
    { state: 'awaiting_owner', assignees: answerersFor(task.ownership.owner, directory, policy.securityGroup), ...freshWindow(now, policy) },
    now,
  );
  return ok(next, [
    audit('task.snooze_expired', task, next, { snoozedUntil: until, dueAt: next.dueAt }),
    notify('prompt', next.ownership.owner, `the fix-by date ${showDay(until)} has passed and the finding is still there`),
  ]);
});
