/** Owner and manager answers: who may answer, what each answer needs, where it leaves the task. */
import { describe, expect, it } from 'vitest';
import { transition } from '../../../shared/review/machine.js';
import type { ReviewTask, TaskEvent, TransitionResult } from '../../../shared/review/types.js';
import { answer, at, directory, DUE, noMfa, NOW, policy, staleKey, task, withSod } from './builders.js';

function run(t: ReviewTask, event: TaskEvent, now = NOW): Extract<TransitionResult, { ok: true }> {
  const result = transition(t, event, now, policy, directory);
  if (!result.ok) throw new Error(`refused: ${result.refusal.code}: ${result.refusal.message}`);
  return result;
}

function refusal(t: ReviewTask, event: TaskEvent, now = NOW) {
  const result = transition(t, event, now, policy, directory);
  return result.ok ? null : result.refusal;
}

const high = (patch: Partial<ReviewTask> = {}) => task(patch, staleKey);
const platform = (patch: Partial<ReviewTask> = {}) =>
  high({ ownership: { owner: { kind: 'group', name: 'platform' }, source: 'pattern', matched: 'build-*' }, assignees: ['dave', 'erin', 'frank'], ...patch });

describe('who may answer', () => {
  it('refuses someone who is not an assignee, naming who can', () => {
    expect(refusal(task(), answer(task(), 'keep', 'carol', { reason: 'x' }))).toEqual({ code: 'not_assignee', message: 'Only Alice can answer this now.' });
  });

  it('refuses attest/decline while the owner has not kept', () => {
    expect(refusal(task(), answer(task(), 'attest', 'alice'))?.code).toBe('invalid_state');
  });
});

describe('keep', () => {
  it('needs a non-blank reason', () => {
    expect(refusal(task(), answer(task(), 'keep', 'alice'))?.code).toBe('reason_required');
    expect(refusal(task(), answer(task(), 'keep', 'alice', { reason: '   ' }))?.code).toBe('reason_required');
  });

  it('keeps a medium finding at once and records the decision', () => {
    const t = task();
    const r = run(t, answer(t, 'keep', 'alice', { reason: 'break-glass user' }));
    expect(r.task).toMatchObject({ state: 'kept', assignees: [] });
    expect(r.effects.map((e) => e.type)).toEqual(['record-decision', 'audit', 'notify']);
    expect(r.effects[1]).toMatchObject({ type: 'audit', action: 'decision.recorded', data: { from: 'awaiting_owner', to: 'kept', action: 'keep', actor: 'alice', reason: 'break-glass user' } });
    expect(r.effects[2]).toEqual({ type: 'notify', kind: 'update', to: { kind: 'person', id: 'alice' } });
  });

  it("sends a high finding to the owner's manager for attestation", () => {
    const t = high();
    const r = run(t, answer(t, 'keep', 'alice', { reason: 'CI still uses it' }));
    expect(r.task).toMatchObject({ state: 'awaiting_attestation', assignees: ['bob'] });
    expect(r.effects).toContainEqual({ type: 'notify', kind: 'attestation', to: { kind: 'person', id: 'bob' } });
  });

  it('an owner who is also a manager of the owning group cannot self-attest; another manager must', () => {
    // frank manages erin and is a member of platform: he is an owner, so his keep waits for bob.
    const t = platform();
    const r = run(t, answer(t, 'keep', 'frank', { reason: 'ours, still used' }));
    expect(r.task).toMatchObject({ state: 'awaiting_attestation', assignees: ['bob'] });
  });

  it('falls back to the security group when the owner has no manager, never to the keeper', () => {
    const t = high({ ownership: { owner: { kind: 'person', id: 'nomad' }, source: 'email', matched: 'nomad@example.com' }, assignees: ['nomad'] });
    expect(run(t, answer(t, 'keep', 'nomad', { reason: 'x' })).task.assignees).toEqual(['sec1', 'sec2']);
    const sec = high({ ownership: { owner: { kind: 'group', name: 'security' }, source: 'orphaned', matched: null }, assignees: ['sec1', 'sec2'] });
    expect(run(sec, answer(sec, 'keep', 'sec1', { reason: 'x' })).task.assignees).toEqual(['sec2']);
  });

  it('refuses when nobody other than the keeper could attest', () => {
    const lone = { ...policy, securityGroup: 'nobody-here' };
    const t = high({ ownership: { owner: { kind: 'person', id: 'nomad' }, source: 'email', matched: null }, assignees: ['nomad'] });
    const r = transition(t, answer(t, 'keep', 'nomad', { reason: 'x' }), NOW, lone, directory);
    expect(r.ok ? null : r.refusal.code).toBe('not_allowed');
  });
});

describe('revoke', () => {
  it('requests a revocation (nothing applied) and waits for approval', () => {
    const t = task();
    const r = run(t, answer(t, 'revoke', 'alice', { reason: 'left the team' }));
    // Approvers: the owner's manager (bob) plus the approvers group (none here), never the requester.
    expect(r.task).toMatchObject({ state: 'awaiting_approval', assignees: ['bob'], approvals: [] });
    expect(r.effects).toContainEqual({ type: 'request-revocation', requestedBy: 'alice', reason: 'left the team' });
    expect(r.effects).toContainEqual({ type: 'notify', kind: 'approval', to: { kind: 'person', id: 'bob' } });
  });
});

describe('approval', () => {
  const requested = () => run(task(), answer(task(), 'revoke', 'alice', { reason: 'left the team' })).task;

  it('approves when separation of duties allows it, recording the approver', () => {
    const t = requested();
    const r = transition(t, withSod(answer(t, 'approve', 'bob'), { allowed: true, needsMore: null }), NOW, policy, directory);
    expect(r.ok && r.task).toMatchObject({ state: 'approved', approvals: ['bob'], assignees: [] });
    expect(r.ok && r.effects).toContainEqual(expect.objectContaining({ type: 'record-decision' }));
  });

  it('refuses with every separation-of-duties reason, changing nothing', () => {
    const t = requested();
    const sod = { allowed: false as const, refusals: [{ code: 'self-approval' as const, message: 'You requested this revocation.' }, { code: 'owner' as const, message: 'You own it.' }] };
    const r = transition(t, withSod(answer(t, 'approve', 'alice'), sod), NOW, policy, directory);
    expect(r).toEqual({ ok: false, refusal: { code: 'not_allowed', message: 'You requested this revocation. You own it.' } });
  });

  it('refuses an approval whose checks did not run (fail closed)', () => {
    const t = requested();
    expect(transition(t, answer(t, 'approve', 'bob'), NOW, policy, directory)).toMatchObject({ ok: false, refusal: { code: 'not_allowed' } });
  });

  it('keeps waiting, with the security group asked, when a privileged subject needs a second approver', () => {
    const t = requested();
    const sod = { allowed: true as const, needsMore: { code: 'privileged-needs-two' as const, reason: 'a second approver from security is needed' } };
    const r = transition(t, withSod(answer(t, 'approve', 'bob'), sod), NOW, policy, directory);
    expect(r.ok && r.task).toMatchObject({ state: 'awaiting_approval', approvals: ['bob'] });
    expect(r.ok && r.task.assignees).toEqual(expect.arrayContaining(['sec1', 'sec2']));
    expect(r.ok && r.task.assignees).not.toContain('bob');
  });

  it('rejects with a reason, by an approver only', () => {
    const t = requested();
    expect(transition(t, answer(t, 'reject', 'bob'), NOW, policy, directory)).toMatchObject({ ok: false, refusal: { code: 'reason_required' } });
    expect(transition(t, answer(t, 'reject', 'carol', { reason: 'no' }), NOW, policy, directory)).toMatchObject({ ok: false, refusal: { code: 'not_assignee' } });
    const r = transition(t, answer(t, 'reject', 'bob', { reason: 'the key is still used by billing' }), NOW, policy, directory);
    expect(r.ok && r.task).toMatchObject({ state: 'rejected', assignees: [] });
  });
});

describe('snooze', () => {
  const snooze = (until: string | null, now = NOW) => transition(task(), answer(task(), 'snooze', 'alice', { until }), now, policy, directory);

  it('takes a date (end of that day) up to maxSnoozeDays away', () => {
    const r = snooze('2024-12-20');
    expect(r.ok && r.task).toMatchObject({ state: 'snoozed', snoozedUntil: '2024-12-20T23:59:59.999Z' });
    // 90 days after Tue 26 Nov is Mon 24 Feb: the whole day is allowed, the next one is not.
    expect(snooze('2025-02-24').ok).toBe(true);
    expect(snooze('2025-02-25')).toMatchObject({ ok: false, refusal: { code: 'bad_date', message: expect.stringContaining('Mon 24 Feb') } });
  });

  it('refuses a missing, unreadable or past date', () => {
    for (const until of [null, 'next week', '2024-11-26T09:00:00Z', '2024-11-01']) {
      expect(snooze(until)).toMatchObject({ ok: false, refusal: { code: 'bad_date' } });
    }
  });
});

describe('not mine', () => {
  it('hands the task to the security group with a fresh window and the note', () => {
    const t = task({ remindersSent: ['2024-11-30T00:00:00.000Z'] });
    const later = at('2024-12-01T09:00:00Z');
    const r = run(t, answer(t, 'not_mine', 'alice', { reason: 'that is the data team' }), later);
    expect(r.task).toMatchObject({
      state: 'awaiting_owner',
      ownership: { owner: { kind: 'group', name: 'security' }, source: 'orphaned', matched: null },
      assignees: ['sec1', 'sec2'],
      dueAt: '2024-12-08T23:59:59.999Z',
      deadlineAt: '2024-12-15T23:59:59.999Z',
      remindersSent: [],
      notes: [{ at: later.toISOString(), by: 'alice', text: 'not mine: that is the data team' }],
    });
    expect(r.effects).toContainEqual({ type: 'notify', kind: 'prompt', to: { kind: 'group', name: 'security' }, note: 'Alice says this is not theirs: that is the data team' });
    expect(r.effects).toContainEqual({ type: 'notify', kind: 'update', to: { kind: 'person', id: 'alice' } });
  });

  it('needs no note, but cannot pass on what the security group already owns', () => {
    const t = task();
    expect(run(t, answer(t, 'not_mine', 'alice')).task.notes.at(-1)?.text).toBe('not mine');
    const sec = task({ ownership: { owner: { kind: 'group', name: 'security' }, source: 'orphaned', matched: null }, assignees: ['sec1'] });
    expect(refusal(sec, answer(sec, 'not_mine', 'sec1'))?.code).toBe('not_allowed');
  });
});

describe('attestation', () => {
  const waiting = () => high({ state: 'awaiting_attestation', assignees: ['bob'] });

  it('attest by the manager keeps it', () => {
    const r = run(waiting(), answer(waiting(), 'attest', 'bob'));
    expect(r.task).toMatchObject({ state: 'kept', assignees: [] });
    expect(r.effects[0]).toMatchObject({ type: 'record-decision', decision: { action: 'attest', actor: 'bob' } });
  });

  it('refuses the owner, an owner answer, and a decline without reason', () => {
    expect(refusal(waiting(), answer(waiting(), 'attest', 'alice'))?.code).toBe('not_assignee');
    expect(refusal(waiting(), answer(waiting(), 'keep', 'bob', { reason: 'x' }))?.code).toBe('invalid_state');
    expect(refusal(waiting(), answer(waiting(), 'decline', 'bob'))?.code).toBe('reason_required');
  });

  it('decline sends it back to the owner with the reason and a fresh window', () => {
    const r = run(waiting(), answer(waiting(), 'decline', 'bob', { reason: 'rotate it instead' }));
    expect(r.task).toMatchObject({ state: 'awaiting_owner', assignees: ['alice'], dueAt: DUE, notes: [{ by: 'bob', text: 'keep declined: rotate it instead' }] });
    expect(r.effects).toContainEqual({ type: 'notify', kind: 'prompt', to: { kind: 'person', id: 'alice' }, note: 'Bob declined the keep: rotate it instead' });
  });
});

describe('escalated: the manager answers like an owner', () => {
  const escalated = () => high({ state: 'escalated', assignees: ['bob'] });

  it("a manager's keep counts as attested", () => {
    expect(run(escalated(), answer(escalated(), 'keep', 'bob', { reason: 'needed for release' })).task.state).toBe('kept');
  });

  it('the silent owner can no longer answer; the manager can revoke or snooze', () => {
    expect(refusal(escalated(), answer(escalated(), 'keep', 'alice', { reason: 'x' }))?.code).toBe('not_assignee');
    expect(run(escalated(), answer(escalated(), 'revoke', 'bob')).task.state).toBe('awaiting_approval');
    expect(run(escalated(), answer(escalated(), 'snooze', 'bob', { until: '2024-12-01' })).task.state).toBe('snoozed');
  });

  it('a medium finding kept by an owner needs no attestation', () => {
    const t = task({ finding: noMfa });
    expect(run(t, answer(t, 'keep', 'alice', { reason: 'x' })).task.state).toBe('kept');
  });
});
