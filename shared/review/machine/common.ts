import type { Directory, OwnerRef } from '../../people/types.js';
import { reminderPoints, schedule, type ReviewPolicy } from '../policy.js';
import type { ReviewTask, TaskEffect, TaskEvent, TransitionRefusal, TransitionResult } from '../types.js';

/** What every handler gets besides the task and the event. The directory is config data, read only. */
export interface MachineContext {
  now: Date;
  policy: ReviewPolicy;
  directory: Directory;
}

export type EventType = TaskEvent['type'];
export type EventOf<K extends EventType> = Extract<TaskEvent, { type: K }>;
export type Handler = (task: ReviewTask, event: TaskEvent, ctx: MachineContext) => TransitionResult;

function isEvent<K extends EventType>(event: TaskEvent, type: K): event is EventOf<K> {
  return event.type === type;
}

/** Types a table cell: the handler only ever sees the event it is registered for. */
export function on<K extends EventType>(type: K, fn: (task: ReviewTask, event: EventOf<K>, ctx: MachineContext) => TransitionResult): Handler {
  return (task, event, ctx) =>
    isEvent(event, type) ? fn(task, event, ctx) : refuse('invalid_state', `internal: a ${event.type} event reached the ${type} handler`);
}

export function ok(task: ReviewTask, effects: TaskEffect[]): TransitionResult {
  return { ok: true, task, effects };
}

export function refuse(code: TransitionRefusal['code'], message: string): TransitionResult {
  return { ok: false, refusal: { code, message } };
}

/** A copy with `patch` applied and `updatedAt` set; never touches `version` (the store bumps it). */
export function change(task: ReviewTask, patch: Partial<Omit<ReviewTask, 'version' | 'id'>>, now: Date): ReviewTask {
  return { ...task, ...patch, updatedAt: now.toISOString() };
}

/**
 * Audit data always names the move, and who must answer by when whenever that changed, so the ledger
 * alone tells the task's story (the digest rebuilds past weeks' overdue reviewers from it).
 */
export function audit(action: string, before: ReviewTask, after: ReviewTask, data: Record<string, unknown> = {}): TaskEffect {
  const changed: Record<string, unknown> = {};
  if (before.assignees.join('\u0000') !== after.assignees.join('\u0000')) changed.assignees = after.assignees;
  if (before.dueAt !== after.dueAt) changed.dueAt = after.dueAt;
  return { type: 'audit', action, data: { from: before.state, to: after.state, ...changed, ...data } };
}

export function notify(kind: Extract<TaskEffect, { type: 'notify' }>['kind'], to: OwnerRef, note?: string): TaskEffect {
  return note === undefined ? { type: 'notify', kind, to } : { type: 'notify', kind, to, note };
}

export function person(id: string): OwnerRef {
  return { kind: 'person', id };
}

export function securityRef(policy: ReviewPolicy): OwnerRef {
  return { kind: 'group', name: policy.securityGroup };
}

/** True when the task is already owned by the security group (nobody further to pass it to). */
export function ownedBySecurity(task: ReviewTask, policy: ReviewPolicy): boolean {
  const { owner } = task.ownership;
  return owner.kind === 'group' && owner.name === policy.securityGroup;
}

/**
 * A new answer window from `now`: due date, deadline, and the reminder points already behind us
 * marked as sent (a short window must not fire a burst of late reminders on the next tick).
 */
export function freshWindow(
  now: Date,
  policy: ReviewPolicy,
): Pick<ReviewTask, 'dueAt' | 'deadlineAt' | 'remindersSent' | 'snoozedUntil'> {
  const { dueAt, deadlineAt } = schedule(now, policy);
  return { dueAt, deadlineAt, snoozedUntil: null, remindersSent: pastPoints(dueAt, now, policy) };
}

export function pastPoints(dueAt: string, now: Date, policy: ReviewPolicy): string[] {
  return reminderPoints(dueAt, policy).filter((p) => new Date(p).getTime() <= now.getTime());
}

/** No answer window: the task waits for nobody (or for a scan event). */
export const NO_WINDOW: Pick<ReviewTask, 'dueAt' | 'deadlineAt' | 'remindersSent' | 'snoozedUntil'> = {
  dueAt: null,
  deadlineAt: null,
  snoozedUntil: null,
  remindersSent: [],
};

/** JSON with sorted keys: a finding read back from JSONB has its keys reordered but is the same finding. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
}

export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}
