/** `tick`: the reminder cadence, escalation, the deadline action and snooze expiry, with time passed in. */
import { describe, expect, it } from 'vitest';
import { transition } from '../../../shared/review/machine.js';
import { createReviewPolicy, overduePoints, type ReviewPolicy } from '../../../shared/review/policy.js';
import type { ReviewTask, TaskEffect } from '../../../shared/review/types.js';
import { at, directory, DUE, noMfa, NOW, policy, staleKey, task } from './builders.js';

const HOUR = 60 * 60 * 1000;

/** Ticks hourly from `from` to `to`, returning what happened and when. */
function simulate(start: ReviewTask, from: Date, to: Date, p: ReviewPolicy = policy) {
  let current = start;
  const log: Array<{ at: string; state: string; effects: TaskEffect[] }> = [];
  for (let t = from.getTime(); t <= to.getTime(); t += HOUR) {
    const result = transition(current, { type: 'tick' }, new Date(t), p, directory);
    if (!result.ok) throw new Error(result.refusal.message);
    if (result.effects.length > 0) log.push({ at: new Date(t).toISOString(), state: result.task.state, effects: result.effects });
    current = result.task;
  }
  return { task: current, log };
}

const auditsOf = (log: ReturnType<typeof simulate>['log']) =>
  log.map((e) => `${e.at.slice(0, 16)} ${e.effects.filter((x) => x.type === 'audit').map((x) => (x.type === 'audit' ? x.action : '')).join('+')}`);

describe('the cadence of a silent owner (defaults: -3, -1, 0 days, daily overdue, 7 days grace)', () => {
  it('reminds, escalates to the manager, reminds daily, then escalates to security at the deadline', () => {
    const { task: end, log } = simulate(task({ finding: staleKey, severity: 'high' }), NOW, at('2024-12-13T12:00:00Z'));
    expect(auditsOf(log)).toEqual([
      '2024-11-30T00:00 task.reminded', // Sat: 3 days before the due day
      '2024-12-02T00:00 task.reminded', // Mon: the day before
      '2024-12-03T00:00 task.reminded', // Tue: the due day
      '2024-12-04T00:00 task.escalated', // Wed: past due → bob
      '2024-12-05T00:00 task.reminded',
      '2024-12-06T00:00 task.reminded',
      '2024-12-07T00:00 task.reminded',
      '2024-12-08T00:00 task.reminded',
      '2024-12-09T00:00 task.reminded',
      '2024-12-10T00:00 task.reminded',
      '2024-12-11T00:00 task.deadline', // past Tue 10 Dec 23:59 → security
      '2024-12-12T00:00 task.reminded', // daily, now to security
      '2024-12-13T00:00 task.reminded',
    ]);
    expect(log[0]?.effects).toContainEqual({ type: 'notify', kind: 'reminder', to: { kind: 'person', id: 'alice' } });
    expect(log[3]?.effects).toContainEqual({ type: 'notify', kind: 'escalation', to: { kind: 'person', id: 'bob' }, note: 'no answer by Tue 3 Dec' });
    expect(log[3]?.effects).toContainEqual({ type: 'notify', kind: 'update', to: { kind: 'person', id: 'alice' } });
    expect(log[4]?.effects).toContainEqual({ type: 'notify', kind: 'reminder', to: { kind: 'person', id: 'bob' } });
    expect(log[10]?.effects).toContainEqual({ type: 'notify', kind: 'escalation', to: { kind: 'group', name: 'security' }, note: 'no decision by the deadline (Tue 10 Dec)' });
    expect(end).toMatchObject({ state: 'escalated', assignees: ['sec1', 'sec2'] });
  });

  it('sends at most one reminder per tick and records every point it passed', () => {
    const r = transition(task(), { type: 'tick' }, at('2024-12-03T12:00:00Z'), policy, directory);
    expect(r.ok && r.effects.filter((e) => e.type === 'notify')).toHaveLength(1);
    expect(r.ok && r.task.remindersSent).toEqual(['2024-11-30T00:00:00.000Z', '2024-12-02T00:00:00.000Z', '2024-12-03T00:00:00.000Z']);
    const again = r.ok ? transition(r.task, { type: 'tick' }, at('2024-12-03T13:00:00Z'), policy, directory) : null;
    expect(again).toMatchObject({ ok: true, effects: [] });
  });

  it('escalates to the security group when the owner has no manager', () => {
    const t = task({ ownership: { owner: { kind: 'person', id: 'nomad' }, source: 'email', matched: null }, assignees: ['nomad'] });
    const r = transition(t, { type: 'tick' }, at('2024-12-04T01:00:00Z'), policy, directory);
    expect(r.ok && r.task).toMatchObject({ state: 'escalated', assignees: ['sec1', 'sec2'] });
    expect(r.ok && r.effects).toContainEqual({ type: 'notify', kind: 'escalation', to: { kind: 'group', name: 'security' }, note: 'no answer by Tue 3 Dec' });
  });

  it('escalates to every manager of a group owner', () => {
    const t = task({ ownership: { owner: { kind: 'group', name: 'platform' }, source: 'pattern', matched: null }, assignees: ['dave', 'erin', 'frank'] });
    const r = transition(t, { type: 'tick' }, at('2024-12-04T01:00:00Z'), policy, directory);
    expect(r.ok && r.task.assignees).toEqual(['bob', 'frank']);
  });

  it('without overdueDaily, an escalated task waits quietly for the deadline', () => {
    const quiet = createReviewPolicy({ overdueDaily: false });
    const { log } = simulate(task(), at('2024-12-03T12:00:00Z'), at('2024-12-11T06:00:00Z'), quiet);
    expect(auditsOf(log)).toEqual(['2024-12-03T12:00 task.reminded', '2024-12-04T00:00 task.escalated', '2024-12-11T00:00 task.deadline']);
  });
});

describe('deadline actions (per rule)', () => {
  const after = at('2024-12-11T00:30:00Z');
  // Every daily reminder up to the deadline day already went out.
  const escalated = (finding = noMfa) => task({ finding, state: 'escalated', assignees: ['bob'], remindersSent: overduePoints(DUE, at('2024-12-10T12:00:00Z')) });

  it('request-revocation asks for a revocation as "system" and never applies anything', () => {
    const r = transition(escalated(), { type: 'tick' }, after, policy, directory);
    // The approvers (the owner's manager) are asked; the request itself is by "system".
    expect(r.ok && r.task).toMatchObject({ state: 'awaiting_approval', assignees: ['bob'] });
    expect(r.ok && r.effects).toContainEqual({ type: 'request-revocation', requestedBy: 'system', reason: 'no decision by the deadline (Tue 10 Dec)' });
    expect(r.ok && r.effects).toContainEqual({ type: 'notify', kind: 'approval', to: { kind: 'person', id: 'bob' } });
  });

  it('none stays where it is with an audit entry, once', () => {
    const unused = { ...noMfa, rule: 'ram.access-key-unused' };
    const r = transition(escalated(unused), { type: 'tick' }, after, policy, directory);
    expect(r.ok && r.task.state).toBe('escalated');
    expect(r.ok && r.effects).toEqual([{ type: 'audit', action: 'task.deadline', data: { from: 'escalated', to: 'escalated', deadlineAction: 'none', deadlineAt: '2024-12-10T23:59:59.999Z' } }]);
    const next = r.ok ? transition(r.task, { type: 'tick' }, at('2024-12-11T01:30:00Z'), policy, directory) : null;
    expect(next).toMatchObject({ ok: true, effects: [] });
  });

  it('an owner silent past both due date and deadline is escalated and handled in one tick', () => {
    const r = transition(task(), { type: 'tick' }, after, policy, directory);
    expect(r.ok && r.task.state).toBe('awaiting_approval');
    expect(r.ok && r.effects.filter((e) => e.type === 'audit').map((e) => e.type === 'audit' && e.action)).toEqual(['task.escalated', 'task.deadline']);
  });
});

describe('snooze expiry', () => {
  const snoozed = () => task({ state: 'snoozed', snoozedUntil: '2024-12-20T23:59:59.999Z', dueAt: DUE, remindersSent: ['x'] });

  it('does nothing before the fix-by date', () => {
    expect(transition(snoozed(), { type: 'tick' }, at('2024-12-20T23:00:00Z'), policy, directory)).toMatchObject({ ok: true, effects: [] });
  });

  it('asks the owner again with a fresh due date once it passed', () => {
    const now = at('2024-12-21T00:30:00Z');
    const r = transition(snoozed(), { type: 'tick' }, now, policy, directory);
    expect(r.ok && r.task).toMatchObject({ state: 'awaiting_owner', snoozedUntil: null, dueAt: '2024-12-28T23:59:59.999Z', remindersSent: [] });
    expect(r.ok && r.effects).toContainEqual({ type: 'notify', kind: 'prompt', to: { kind: 'person', id: 'alice' }, note: 'the fix-by date Fri 20 Dec has passed and the finding is still there' });
  });
});
