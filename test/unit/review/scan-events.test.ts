/** What scans tell a task: prompted, finding seen / gone / returned, waived, waiver expired. */
import { describe, expect, it } from 'vitest';
import { transition } from '../../../shared/review/machine.js';
import type { ReviewTask, TaskEvent, TransitionResult } from '../../../shared/review/types.js';
import { at, DEADLINE, directory, DUE, noMfa, NOW, policy, staleKey, task } from './builders.js';

function run(t: ReviewTask, event: TaskEvent, now = NOW): Extract<TransitionResult, { ok: true }> {
  const result = transition(t, event, now, policy, directory);
  if (!result.ok) throw new Error(result.refusal.message);
  return result;
}

describe('prompted', () => {
  const open = () => task({ state: 'open', dueAt: null, deadlineAt: null });

  it('starts the answer window and asks for the prompt', () => {
    const r = run(open(), { type: 'prompted', dueAt: DUE, deadlineAt: DEADLINE });
    expect(r.task).toMatchObject({ state: 'awaiting_owner', dueAt: DUE, deadlineAt: DEADLINE, remindersSent: [] });
    expect(r.effects).toContainEqual({ type: 'notify', kind: 'prompt', to: { kind: 'person', id: 'alice' } });
  });

  it('marks reminder points already behind it as sent (a short window sends no burst)', () => {
    const r = run(open(), { type: 'prompted', dueAt: DUE, deadlineAt: DEADLINE }, at('2024-12-02T08:00:00Z'));
    expect(r.task.remindersSent).toEqual(['2024-11-30T00:00:00.000Z', '2024-12-02T00:00:00.000Z']);
  });

  it('refuses a due date in the past or after the deadline', () => {
    expect(transition(open(), { type: 'prompted', dueAt: '2024-11-01T00:00:00Z', deadlineAt: DEADLINE }, NOW, policy, directory).ok).toBe(false);
    expect(transition(open(), { type: 'prompted', dueAt: DEADLINE, deadlineAt: DUE }, NOW, policy, directory).ok).toBe(false);
  });
});

describe('finding_seen', () => {
  it('is no change at all when the finding is the same, whatever its key order', () => {
    const reordered = JSON.parse(JSON.stringify({ ...noMfa, evidence: { path: noMfa.evidence.path, summary: noMfa.evidence.summary } }));
    expect(run(task(), { type: 'finding_seen', finding: reordered })).toEqual({ ok: true, task: task(), effects: [] });
  });

  it('refreshes the evidence with an audit entry but no notification', () => {
    const finding = { ...noMfa, evidence: { summary: 'console access, no MFA, last logon today' } };
    const r = run(task(), { type: 'finding_seen', finding }, at('2024-11-27T10:00:00Z'));
    expect(r.task).toMatchObject({ finding, updatedAt: '2024-11-27T10:00:00.000Z', state: 'awaiting_owner' });
    expect(r.effects.map((e) => e.type)).toEqual(['audit']);
  });

  it('updates the cards when the severity rose, not when it fell', () => {
    const rose = run(task(), { type: 'finding_seen', finding: { ...noMfa, severity: 'critical' } });
    expect(rose.task.severity).toBe('critical');
    expect(rose.effects).toContainEqual({ type: 'notify', kind: 'update', to: { kind: 'person', id: 'alice' }, note: 'severity rose from medium to critical' });
    const fell = run(task(), { type: 'finding_seen', finding: { ...noMfa, severity: 'low' } });
    expect(fell.effects.some((e) => e.type === 'notify')).toBe(false);
  });
});

describe('finding_gone', () => {
  it('resolves a snoozed task (the owner fixed it) and updates its cards', () => {
    const r = run(task({ state: 'snoozed', snoozedUntil: '2024-12-20T23:59:59.999Z' }), { type: 'finding_gone' });
    expect(r.task).toMatchObject({ state: 'resolved', assignees: [], snoozedUntil: null });
    expect(r.effects).toEqual([
      { type: 'audit', action: 'task.resolved', data: { assignees: [], from: 'snoozed', to: 'resolved' } },
      { type: 'notify', kind: 'update', to: { kind: 'person', id: 'alice' } },
    ]);
  });

  it('leaves a kept task kept', () => {
    expect(transition(task({ state: 'kept' }), { type: 'finding_gone' }, NOW, policy, directory)).toMatchObject({ ok: false, refusal: { code: 'invalid_state' } });
  });
});

describe('finding_returned', () => {
  it('reopens with the new evidence and no window, to be prompted again', () => {
    const resolved = task({ state: 'resolved', assignees: [], remindersSent: ['2024-11-30T00:00:00.000Z'] }, staleKey);
    const r = run(resolved, { type: 'finding_returned', finding: { ...staleKey, severity: 'critical' } });
    expect(r.task).toMatchObject({ state: 'open', severity: 'critical', assignees: ['alice'], dueAt: null, deadlineAt: null, remindersSent: [] });
    expect(r.effects).toEqual([{ type: 'audit', action: 'task.reopened', data: { from: 'resolved', to: 'open', assignees: ['alice'], dueAt: null, evidence: staleKey.evidence.summary } }]);
  });
});

describe('waivers', () => {
  it('waived silences the task and notes who waived it, why and until when', () => {
    const r = run(task(), { type: 'waived', by: 'sec1', reason: 'break-glass, SEC-12', until: '2025-03-01T00:00:00.000Z' });
    expect(r.task).toMatchObject({ state: 'waived', assignees: [], dueAt: null, notes: [{ by: 'sec1', text: 'waived until Sat 1 Mar: break-glass, SEC-12' }] });
    expect(r.effects[0]).toMatchObject({ type: 'audit', action: 'task.waived', data: { by: 'sec1', reason: 'break-glass, SEC-12' } });
  });

  it('waiver_expired reopens it for the owner', () => {
    const r = run(task({ state: 'waived', assignees: [] }), { type: 'waiver_expired' });
    expect(r.task).toMatchObject({ state: 'open', assignees: ['alice'] });
  });
});
