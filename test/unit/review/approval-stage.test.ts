/**
 * The approval stage and what follows it (issue 4): revocation and rollback requests, approve/reject,
 * the approvers' clock, the apply job reporting executions and rollbacks back to the task.
 */
import { describe, expect, it } from 'vitest';
import type { SodVerdict } from '../../../shared/sod/types.js';
import { transition } from '../../../shared/review/machine.js';
import { createReviewPolicy, schedule, type ReviewPolicy } from '../../../shared/review/policy.js';
import { answerEvent } from '../../../shared/review/task.js';
import type { ChangeRequest, ReviewTask, TaskEffect, TaskEvent, TransitionResult } from '../../../shared/review/types.js';
import { answer, at, decision, deepFreeze, directory, DUE, noMfa, NOW, policy, staleKey, task, withSod } from './builders.js';

type Ok = Extract<TransitionResult, { ok: true }>;
type ExecutionEnded = Extract<TaskEvent, { type: 'execution_ended' }>;
type RollbackEnded = Extract<TaskEvent, { type: 'rollback_ended' }>;

const HOUR = 60 * 60 * 1000;
const ALLOWED: SodVerdict = { allowed: true, needsMore: null };
const SECURITY = { kind: 'group', name: 'security' } as const;
const to = (id: string) => ({ kind: 'person', id }) as const;
const EXEC = 'exec-1';
/** The plan's call as the executor would describe it in observe mode. */
const CALL = 'UpdateLoginProfile(UserName=ops-wu, MFABindRequired=true)';

/**
 * Runs one transition and checks the machine's invariants on the way: the input is frozen (a handler
 * that mutates it throws), the version never moves, and a change always comes with an audit entry.
 */
function run(t: ReviewTask, event: TaskEvent, now = NOW, p: ReviewPolicy = policy): Ok {
  const before = deepFreeze(structuredClone(t));
  const result = transition(before, event, now, p, directory);
  if (!result.ok) throw new Error(`refused: ${result.refusal.code}: ${result.refusal.message}`);
  expect(result.task.version).toBe(t.version);
  const changed = JSON.stringify(result.task) !== JSON.stringify(before);
  expect(result.effects.some((e) => e.type === 'audit')).toBe(changed);
  if (!changed) expect(result.effects).toEqual([]);
  return result;
}

function refusal(t: ReviewTask, event: TaskEvent, now = NOW, p: ReviewPolicy = policy) {
  const result = transition(deepFreeze(structuredClone(t)), event, now, p, directory);
  return result.ok ? null : result.refusal;
}

const audits = (effects: readonly TaskEffect[]) => effects.flatMap((e) => (e.type === 'audit' ? [e.action] : []));
const notifies = (effects: readonly TaskEffect[]) => effects.filter((e) => e.type === 'notify');

/** An answer event with a plan step (the `rollback` of one step). */
function rollback(t: ReviewTask, actor: string, reason: string | null, step?: number | null): TaskEvent {
  const event = answerEvent(t, decision('rollback', actor, { reason }), directory);
  return step === undefined ? event : { ...event, step };
}

const approve = (t: ReviewTask, actor: string, sod: SodVerdict = ALLOWED) => withSod(answer(t, 'approve', actor), sod);
const reject = (t: ReviewTask, actor: string, reason: string | null) => answer(t, 'reject', actor, { reason });

/** alice (owner of noMfa, manager bob) asked to revoke at NOW: waiting for bob. */
const requested = (patch: Partial<ReviewTask> = {}, finding = noMfa) => {
  const t = task(patch, finding);
  return run(t, answer(t, 'revoke', 'alice', { reason: 'left the team' })).task;
};
const approvedTask = (finding = noMfa) => {
  const t = requested({}, finding);
  return run(t, approve(t, 'bob')).task;
};
const ended = (outcome: ExecutionEnded['outcome'], patch: Partial<ExecutionEnded> = {}): ExecutionEnded => ({
  type: 'execution_ended',
  executionId: EXEC,
  outcome,
  mode: outcome === 'observed' ? 'observe' : 'enforce',
  reason: null,
  ...patch,
});
const APPLIED_AT = at('2024-11-27T03:00:00Z');
const appliedTask = () => run(approvedTask(), ended('applied'), APPLIED_AT).task;
const rollbackRequested = (step?: number | null, now = at('2024-11-28T09:00:00Z')) => {
  const t = appliedTask();
  return run(t, rollback(t, 'alice', 'still used by the billing export', step), now).task;
};
const rollbackApproved = (step?: number | null) => {
  const t = rollbackRequested(step);
  return run(t, approve(t, 'bob'), at('2024-11-28T10:00:00Z')).task;
};
const rolledBack = (outcome: RollbackEnded['outcome'], remaining = 0, patch: Partial<RollbackEnded> = {}): RollbackEnded => ({
  type: 'rollback_ended',
  executionId: EXEC,
  outcome,
  remaining,
  reason: null,
  ...patch,
});

describe('revocation request (revoke by the owner)', () => {
  const later = at('2024-11-27T15:00:00Z');

  it('records the request and opens an answer window for the approvers', () => {
    const t = task();
    const r = run(t, answer(t, 'revoke', 'alice', { reason: 'left the team' }), later);
    const { dueAt, deadlineAt } = schedule(later, policy);
    expect(dueAt).toBe('2024-12-04T23:59:59.999Z');
    expect(r.task).toMatchObject({
      state: 'awaiting_approval',
      request: { kind: 'revocation', by: 'alice', at: later.toISOString(), reason: 'left the team' },
      approvals: [],
      assignees: ['bob'],
      dueAt,
      deadlineAt,
      remindersSent: [],
    });
    expect(audits(r.effects)).toEqual(['decision.recorded']);
    expect(r.effects).toContainEqual({ type: 'request-revocation', requestedBy: 'alice', reason: 'left the team' });
    expect(notifies(r.effects).filter((e) => e.kind === 'approval')).toEqual([{ type: 'notify', kind: 'approval', to: to('bob') }]);
  });

  it('asks the managers and the approvers group, each once', () => {
    const withApprovers = createReviewPolicy({ approversGroup: 'platform' });
    const t = task();
    const r = run(t, answer(t, 'revoke', 'alice'), NOW, withApprovers);
    expect(r.task.assignees).toEqual(['bob', 'dave', 'erin', 'frank']);
    expect(notifies(r.effects).filter((e) => e.kind === 'approval').map((e) => e.to)).toEqual(['bob', 'dave', 'erin', 'frank'].map(to));
  });

  it('never asks the requester to approve their own request', () => {
    // frank is a member of platform (the owner and the approvers group) and the manager of erin.
    const withApprovers = createReviewPolicy({ approversGroup: 'platform' });
    const t = task({ ownership: { owner: { kind: 'group', name: 'platform' }, source: 'pattern', matched: 'ops-*' }, assignees: ['dave', 'erin', 'frank'] });
    const r = run(t, answer(t, 'revoke', 'frank'), NOW, withApprovers);
    expect(r.task.assignees).toEqual(['bob', 'dave', 'erin']);
    expect(r.task.request).toMatchObject({ kind: 'revocation', by: 'frank', reason: null });
    expect(notifies(r.effects).filter((e) => e.kind === 'approval').map((e) => e.to)).toEqual(['bob', 'dave', 'erin'].map(to));
  });

  it('falls back to the security group (minus the requester) when there is no manager or approver', () => {
    const sec = task({ ownership: { owner: SECURITY, source: 'orphaned', matched: null }, assignees: ['sec1', 'sec2'] });
    expect(run(sec, answer(sec, 'revoke', 'sec1')).task.assignees).toEqual(['sec2']);
  });
});

describe('approve', () => {
  it('approves with a plan: create-execution in the same transition, window cleared', () => {
    const t = requested();
    const r = run(t, approve(t, 'bob'), at('2024-11-27T08:00:00Z'));
    expect(r.task).toMatchObject({ state: 'approved', approvals: ['bob'], assignees: [], dueAt: null, deadlineAt: null, remindersSent: [] });
    expect(r.task.request).toEqual(t.request);
    expect(r.effects).toContainEqual({ type: 'create-execution' });
    expect(r.effects).toContainEqual(expect.objectContaining({ type: 'record-decision', decision: expect.objectContaining({ action: 'approve', actor: 'bob' }) }));
    expect(r.effects).toContainEqual({ type: 'notify', kind: 'update', to: to('alice') });
    expect(r.effects.find((e) => e.type === 'audit')).toMatchObject({ action: 'decision.recorded', data: { from: 'awaiting_approval', to: 'approved', action: 'approve', actor: 'bob', request: 'revocation' } });
  });

  it('approves without a plan: nothing to execute', () => {
    expect(staleKey.remediation.plan).toBeNull();
    const t = requested({}, staleKey);
    const r = run(t, approve(t, 'bob'));
    expect(r.task.state).toBe('approved');
    expect(r.effects.map((e) => e.type)).not.toContain('create-execution');
  });

  it('a privileged subject keeps waiting for a second approver from security, then is approved', () => {
    const t = requested();
    const needsMore: SodVerdict = { allowed: true, needsMore: { code: 'privileged-needs-two', reason: 'a second approver from security is needed' } };
    const first = run(t, approve(t, 'bob', needsMore));
    expect(first.task).toMatchObject({ state: 'awaiting_approval', approvals: ['bob'], assignees: ['sec1', 'sec2'], dueAt: t.dueAt });
    expect(audits(first.effects)).toEqual(['approval.recorded']);
    expect(first.effects).toContainEqual({ type: 'notify', kind: 'approval', to: SECURITY, note: 'a second approver from security is needed' });
    expect(first.effects.map((e) => e.type)).not.toContain('create-execution');

    const second = run(first.task, approve(first.task, 'sec1'));
    expect(second.task).toMatchObject({ state: 'approved', approvals: ['bob', 'sec1'], assignees: [] });
    expect(second.effects).toContainEqual({ type: 'create-execution' });
  });

  it('refuses with every separation-of-duties message, and without a verdict (fail closed)', () => {
    const t = requested();
    const refused: SodVerdict = {
      allowed: false,
      refusals: [
        { code: 'self-approval', message: 'You requested this revocation.' },
        { code: 'not-manager-or-approver', message: 'Only a manager or an approver can approve.' },
      ],
    };
    expect(refusal(t, approve(t, 'alice', refused))).toEqual({ code: 'not_allowed', message: 'You requested this revocation. Only a manager or an approver can approve.' });
    expect(refusal(t, answer(t, 'approve', 'bob'))?.code).toBe('not_allowed');
  });

  it('accepts nothing but approve or reject while waiting', () => {
    const t = requested();
    for (const action of ['keep', 'revoke', 'rollback', 'attest'] as const) {
      expect(refusal(t, answer(t, action, 'bob', { reason: 'x' }))?.code).toBe('invalid_state');
    }
  });
});

describe('reject', () => {
  it('needs a reason and an approver of the request', () => {
    const t = requested();
    expect(refusal(t, reject(t, 'bob', null))?.code).toBe('reason_required');
    expect(refusal(t, reject(t, 'bob', '   '))?.code).toBe('reason_required');
    expect(refusal(t, reject(t, 'carol', 'no'))?.code).toBe('not_assignee');
    expect(refusal(t, reject(t, 'alice', 'changed my mind'))?.code).toBe('not_assignee');
  });

  it('rejects a revocation with the reason on record', () => {
    const t = requested();
    const when = at('2024-11-27T08:00:00Z');
    const r = run(t, reject(t, 'bob', ' the key is still used by billing '), when);
    expect(r.task).toMatchObject({ state: 'rejected', assignees: [], dueAt: null, deadlineAt: null, remindersSent: [] });
    expect(r.task.notes).toEqual([{ at: when.toISOString(), by: 'bob', text: 'revocation rejected: the key is still used by billing' }]);
    expect(r.effects).toContainEqual({ type: 'notify', kind: 'update', to: to('alice') });
    expect(r.effects.map((e) => e.type)).not.toContain('create-execution');
  });

  it('rejecting a rollback leaves the revocation applied, with its owner able to ask again', () => {
    const t = rollbackRequested();
    const when = at('2024-11-29T08:00:00Z');
    const r = run(t, reject(t, 'bob', 'rotate the key instead'), when);
    expect(r.task).toMatchObject({ state: 'applied', assignees: ['alice'], dueAt: null, deadlineAt: null, remindersSent: [], execution: t.execution });
    expect(r.task.notes.at(-1)).toEqual({ at: when.toISOString(), by: 'bob', text: 'rollback rejected: rotate the key instead' });
    expect(r.effects.find((e) => e.type === 'audit')).toMatchObject({ data: { from: 'rollback_requested', to: 'applied', request: 'rollback' } });
    expect(run(r.task, rollback(r.task, 'alice', 'billing export broke'), when).task.state).toBe('rollback_requested');
  });
});

/** Ticks hourly from `from` to `to`; the log holds every tick that did something. */
function simulate(start: ReviewTask, from: Date, until: Date, p: ReviewPolicy = policy) {
  let current = start;
  const log: Array<{ at: string; effects: TaskEffect[] }> = [];
  for (let t = from.getTime(); t <= until.getTime(); t += HOUR) {
    const r = run(current, { type: 'tick' }, new Date(t), p);
    if (r.effects.length > 0) log.push({ at: new Date(t).toISOString().slice(0, 16), effects: r.effects });
    current = r.task;
  }
  return { task: current, log };
}
const story = (log: ReturnType<typeof simulate>['log']) => log.map((e) => `${e.at} ${audits(e.effects).join('+')}`);

describe("the approvers' clock (tick on awaiting_approval and rollback_requested)", () => {
  it('reminds at each reminder point, escalates to security once past due, then reminds daily', () => {
    const { task: end, log } = simulate(requested(), NOW, at('2024-12-06T12:00:00Z'));
    expect(story(log)).toEqual([
      '2024-11-30T00:00 approval.reminded', // 3 days before the due day
      '2024-12-02T00:00 approval.reminded', // the day before
      '2024-12-03T00:00 approval.reminded', // the due day
      '2024-12-04T00:00 approval.escalated', // past due: security joins
      '2024-12-05T00:00 approval.reminded', // daily overdue, to every assignee
      '2024-12-06T00:00 approval.reminded',
    ]);
    expect(log[0]?.effects).toEqual([expect.objectContaining({ type: 'audit' }), { type: 'notify', kind: 'reminder', to: to('bob') }]);
    expect(notifies(log[4]?.effects ?? [])).toEqual(['bob', 'sec1', 'sec2'].map((id) => ({ type: 'notify', kind: 'reminder', to: to(id) })));
    expect(end).toMatchObject({ state: 'awaiting_approval', assignees: ['bob', 'sec1', 'sec2'] });
  });

  it('sends each reminder once; a run that missed points sends one reminder and records them all', () => {
    const t = requested();
    const first = run(t, { type: 'tick' }, at('2024-11-30T00:30:00Z'));
    expect(first.task.remindersSent).toEqual(['2024-11-30T00:00:00.000Z']);
    expect(run(first.task, { type: 'tick' }, at('2024-11-30T00:30:00Z')).effects).toEqual([]);
    expect(run(first.task, { type: 'tick' }, at('2024-11-30T09:00:00Z')).effects).toEqual([]);

    const late = run(t, { type: 'tick' }, at('2024-12-03T12:00:00Z'));
    expect(notifies(late.effects)).toHaveLength(1);
    expect(late.task.remindersSent).toEqual(['2024-11-30T00:00:00.000Z', '2024-12-02T00:00:00.000Z', '2024-12-03T00:00:00.000Z']);
  });

  it('escalates once past due: security joins, is told (card and channel notice), the marker is recorded', () => {
    const t = requested();
    const when = at('2024-12-04T00:30:00Z');
    const r = run(t, { type: 'tick' }, when);
    expect(r.task.assignees).toEqual(['bob', 'sec1', 'sec2']);
    expect(r.task.remindersSent).toContain(DUE);
    expect(r.effects).toEqual([
      expect.objectContaining({ type: 'audit', action: 'approval.escalated', data: expect.objectContaining({ from: 'awaiting_approval', to: 'awaiting_approval', dueAt: DUE, silent: ['bob'] }) }),
      // Each security member but the requester (alice) gets the escalation card; the channel gets a notice.
      { type: 'notify', kind: 'escalation', to: to('sec1'), note: 'approval requested Tue 26 Nov is still waiting for Bob' },
      { type: 'notify', kind: 'escalation', to: to('sec2'), note: 'approval requested Tue 26 Nov is still waiting for Bob' },
      { type: 'notify', kind: 'security', to: SECURITY, note: 'A revocation request has had no answer from Bob since Tue 3 Dec.' },
    ]);
    // Later the same day: nothing more.
    expect(run(r.task, { type: 'tick' }, at('2024-12-04T13:00:00Z')).effects).toEqual([]);
    // The next day: one daily reminder to every assignee.
    const next = run(r.task, { type: 'tick' }, at('2024-12-05T00:30:00Z'));
    expect(audits(next.effects)).toEqual(['approval.reminded']);
    expect(notifies(next.effects).map((e) => e.to)).toEqual(['bob', 'sec1', 'sec2'].map(to));
  });

  it('a run that was down for days sends one escalation, not a burst', () => {
    const t = requested();
    const r = run(t, { type: 'tick' }, at('2024-12-08T12:00:00Z'));
    expect(audits(r.effects)).toEqual(['approval.escalated']);
    expect(notifies(r.effects)).toHaveLength(3);
    expect(run(r.task, { type: 'tick' }, at('2024-12-08T18:00:00Z')).effects).toEqual([]);
    const next = run(r.task, { type: 'tick' }, at('2024-12-09T00:30:00Z'));
    expect(audits(next.effects)).toEqual(['approval.reminded']);
    expect(notifies(next.effects)).toHaveLength(3);
  });

  it('without overdueDaily, only the escalation follows the due date', () => {
    const quiet = createReviewPolicy({ overdueDaily: false });
    const { log } = simulate(requested(), NOW, at('2024-12-08T12:00:00Z'), quiet);
    expect(story(log)).toEqual([
      '2024-11-30T00:00 approval.reminded',
      '2024-12-02T00:00 approval.reminded',
      '2024-12-03T00:00 approval.reminded',
      '2024-12-04T00:00 approval.escalated',
    ]);
  });

  it('the requester never joins as an approver when security is escalated to', () => {
    const sec = task({ ownership: { owner: SECURITY, source: 'orphaned', matched: null }, assignees: ['sec1', 'sec2'] });
    const t = run(sec, answer(sec, 'revoke', 'sec1', { reason: 'orphaned key' })).task;
    const r = run(t, { type: 'tick' }, at('2024-12-04T00:30:00Z'));
    expect(r.task.assignees).toEqual(['sec2']);
  });

  it('runs the same clock on a rollback request', () => {
    const t = rollbackRequested(null, NOW);
    expect(t.dueAt).toBe(DUE);
    expect(audits(run(t, { type: 'tick' }, at('2024-11-30T00:30:00Z')).effects)).toEqual(['approval.reminded']);
    const r = run(t, { type: 'tick' }, at('2024-12-04T00:30:00Z'));
    expect(r.task).toMatchObject({ state: 'rollback_requested', assignees: ['bob', 'sec1', 'sec2'] });
    expect(r.effects).toContainEqual({ type: 'notify', kind: 'security', to: SECURITY, note: 'A rollback request has had no answer from Bob since Tue 3 Dec.' });
  });

  it('does nothing without an answer window', () => {
    expect(run(requested({}), { type: 'tick' }, NOW).effects).toEqual([]);
    const t = { ...requested(), dueAt: null, deadlineAt: null };
    expect(run(t, { type: 'tick' }, at('2025-01-10T00:00:00Z')).effects).toEqual([]);
  });
});

describe('execution_ended (approved)', () => {
  const later = APPLIED_AT;

  it('applied: the owner holds an applied revocation, from which the rollback window counts', () => {
    const t = approvedTask();
    const r = run(t, ended('applied'), later);
    expect(r.task).toMatchObject({ state: 'applied', assignees: ['alice'], execution: { id: EXEC, mode: 'enforce', appliedAt: later.toISOString() }, dueAt: null });
    expect(audits(r.effects)).toEqual(['task.applied']);
    expect(r.effects).toContainEqual({ type: 'notify', kind: 'update', to: to('alice') });
  });

  it('observed: stays approved with what enforce mode would call, recorded once per execution', () => {
    const t = approvedTask();
    const event = ended('observed', { wouldApply: [CALL] });
    const r = run(t, event, later);
    expect(r.task).toMatchObject({ state: 'approved', execution: { id: EXEC, mode: 'observe', appliedAt: null, wouldApply: [CALL] } });
    expect(audits(r.effects)).toEqual(['task.observed']);
    const again = run(r.task, event, at('2024-11-28T03:00:00Z'));
    expect(again.effects).toEqual([]);
    expect(again.task).toEqual(r.task);
    // Switched to enforce mode: a new execution applies it.
    const enforced = run(r.task, ended('applied', { executionId: 'exec-2' }), at('2024-11-29T03:00:00Z'));
    expect(enforced.task).toMatchObject({ state: 'applied', execution: { id: 'exec-2', mode: 'enforce' } });
  });

  it('drift: back to the owner with a fresh window, the request and approvals cleared', () => {
    const t = approvedTask();
    const r = run(t, ended('drift', { reason: 'a new policy was attached since the approval' }), later);
    const { dueAt, deadlineAt } = schedule(later, policy);
    expect(r.task).toMatchObject({ state: 'awaiting_owner', assignees: ['alice'], approvals: [], request: null, execution: null, dueAt, deadlineAt, remindersSent: [] });
    const note = r.task.notes.at(-1);
    expect(note?.by).toBe('system');
    expect(note?.text.startsWith('not applied —')).toBe(true);
    expect(note?.text).toContain('a new policy was attached since the approval');
    expect(r.effects).toContainEqual({ type: 'notify', kind: 'prompt', to: to('alice'), note: note?.text });
    expect(audits(r.effects)).toEqual(['task.drift']);
  });

  it.each(['refused', 'failed'] as const)('%s: failed, with the security team assigned and told', (outcome) => {
    const t = approvedTask();
    const r = run(t, ended(outcome, { reason: 'AccessDenied on UpdateLoginProfile' }), later);
    expect(r.task).toMatchObject({ state: 'failed', assignees: ['sec1', 'sec2'], execution: { id: EXEC, mode: 'enforce', appliedAt: null } });
    const text = `${outcome === 'refused' ? 'not applied' : 'applying failed'}: AccessDenied on UpdateLoginProfile`;
    expect(r.task.notes.at(-1)).toEqual({ at: later.toISOString(), by: 'system', text });
    expect(r.effects).toContainEqual({ type: 'notify', kind: 'security', to: SECURITY, note: `Revocation ${outcome}: ${text}` });
    expect(audits(r.effects)).toEqual(['task.failed']);
  });

  it('is refused in any other state', () => {
    for (const t of [requested(), task({ state: 'applied' }), task({ state: 'rollback_approved' }), task()]) {
      expect(refusal(t, ended('applied'))?.code).toBe('invalid_state');
    }
  });
});

describe('rollback request (applied or failed)', () => {
  it('needs a reason, the owner, an open window and an execution on record', () => {
    const t = appliedTask();
    expect(refusal(t, rollback(t, 'alice', null))?.code).toBe('reason_required');
    expect(refusal(t, rollback(t, 'alice', '  '))?.code).toBe('reason_required');
    expect(refusal(t, rollback(t, 'bob', 'I manage alice'))?.code).toBe('not_assignee');
    expect(refusal(t, rollback(t, 'sec1', 'restore it'))?.code).toBe('not_assignee');
    const noExecution: ReviewTask = { ...t, execution: null, updatedAt: NOW.toISOString() };
    expect(refusal(noExecution, rollback(noExecution, 'alice', 'restore it'))?.code).toBe('invalid_state');
  });

  it('closes rollbackWindowDays after the revocation was applied, naming the day', () => {
    const t = appliedTask();
    // Applied Wed 27 Nov 03:00; 30 days later is Fri 27 Dec 03:00.
    expect(run(t, rollback(t, 'alice', 'restore it'), at('2024-12-27T03:00:00Z')).task.state).toBe('rollback_requested');
    const late = refusal(t, rollback(t, 'alice', 'restore it'), at('2024-12-27T03:00:01Z'));
    expect(late?.code).toBe('not_allowed');
    expect(late?.message).toContain('closed on Fri 27 Dec');
    expect(late?.message).toContain('30 days');
    const short = createReviewPolicy({ rollbackWindowDays: 1 });
    expect(refusal(t, rollback(t, 'alice', 'restore it'), at('2024-11-29T00:00:00Z'), short)).toMatchObject({ code: 'not_allowed', message: expect.stringContaining('Thu 28 Nov') });
  });

  it('refuses any other answer on an applied revocation', () => {
    const t = appliedTask();
    expect(refusal(t, answer(t, 'revoke', 'alice'))?.code).toBe('invalid_state');
    expect(refusal(t, approve(t, 'bob'))?.code).toBe('invalid_state');
  });

  it('asks the approvers, with the request (and step) on record', () => {
    const t = appliedTask();
    const when = at('2024-11-28T09:00:00Z');
    const r = run(t, rollback(t, 'alice', ' still used by the billing export '), when);
    const { dueAt, deadlineAt } = schedule(when, policy);
    expect(r.task).toMatchObject({ state: 'rollback_requested', assignees: ['bob'], approvals: [], dueAt, deadlineAt, execution: t.execution });
    const request: ChangeRequest = { kind: 'rollback', by: 'alice', at: when.toISOString(), reason: 'still used by the billing export', step: null, from: 'applied' };
    expect(r.task.request).toEqual(request);
    expect(r.effects).toContainEqual({ type: 'notify', kind: 'approval', to: to('bob') });
    expect(r.effects).toContainEqual(expect.objectContaining({ type: 'record-decision' }));
    expect(r.effects.find((e) => e.type === 'audit')).toMatchObject({
      action: 'rollback.requested',
      data: { from: 'applied', to: 'rollback_requested', actor: 'alice', reason: 'still used by the billing export', step: null, executionId: EXEC },
    });

    const one = run(t, rollback(t, 'alice', 'restore step 2 only', 1), when);
    expect(one.task.request).toMatchObject({ kind: 'rollback', step: 1 });
  });

  it('can be asked from a failed revocation when some steps were applied, and returns there when rejected', () => {
    const failed = run(approvedTask(), ended('failed', { reason: 'throttled', done: 1, appliedAt: APPLIED_AT.toISOString() }), APPLIED_AT).task;
    expect(failed.execution?.appliedAt).toBe(APPLIED_AT.toISOString());
    const r = run(failed, rollback(failed, 'alice', 'undo what went through'), at('2024-11-28T09:00:00Z'));
    expect(r.task).toMatchObject({ state: 'rollback_requested', assignees: ['bob'], request: { from: 'failed' } });
    const rejected = run(r.task, answer(r.task, 'reject', 'bob', { reason: 'finish it instead' }), at('2024-11-28T10:00:00Z'));
    expect(rejected.task.state).toBe('failed');
  });

  it('cannot be asked from a failed revocation that applied nothing', () => {
    const failed = run(approvedTask(), ended('failed', { reason: 'throttled' }), APPLIED_AT).task;
    expect(failed.execution?.appliedAt).toBeNull();
    expect(refusal(failed, rollback(failed, 'alice', 'undo'), at('2024-11-28T09:00:00Z'))?.code).toBe('invalid_state');
  });

  it('a drift after some steps were applied keeps them on record (failed, not back to review)', () => {
    const r = run(approvedTask(), ended('drift', { reason: 'live state differs', done: 1, appliedAt: APPLIED_AT.toISOString() }), APPLIED_AT);
    expect(r.task).toMatchObject({ state: 'failed', execution: { id: EXEC, appliedAt: APPLIED_AT.toISOString() } });
    expect(r.task.notes.at(-1)?.text).toMatch(/^partially applied \(1 of the plan's steps\)/);
  });

  it('is approved like a revocation, without creating an execution', () => {
    const t = rollbackRequested();
    const r = run(t, approve(t, 'bob'), at('2024-11-28T10:00:00Z'));
    expect(r.task).toMatchObject({ state: 'rollback_approved', approvals: ['bob'], assignees: [], dueAt: null, deadlineAt: null, remindersSent: [] });
    expect(r.effects.map((e) => e.type)).not.toContain('create-execution');
    expect(r.effects.find((e) => e.type === 'audit')).toMatchObject({ data: { to: 'rollback_approved', request: 'rollback' } });
    expect(refusal(t, answer(t, 'approve', 'bob'))?.code).toBe('not_allowed');
  });
});

describe('rollback_ended (rollback_approved)', () => {
  const when = at('2024-11-28T12:00:00Z');

  it('rolled back completely: rolled_back, with the time on the execution', () => {
    const t = rollbackApproved();
    const r = run(t, rolledBack('rolled_back'), when);
    expect(r.task).toMatchObject({ state: 'rolled_back', assignees: [], execution: { id: EXEC, mode: 'enforce', appliedAt: APPLIED_AT.toISOString(), rolledBackAt: when.toISOString() } });
    expect(audits(r.effects)).toEqual(['task.rolled_back']);
    expect(r.effects).toContainEqual({ type: 'notify', kind: 'update', to: to('alice') });
  });

  it('one step rolled back, others still applied: back to applied, naming the step (1-based)', () => {
    const t = rollbackApproved(1);
    const r = run(t, rolledBack('rolled_back', 1), when);
    expect(r.task).toMatchObject({ state: 'applied', assignees: ['alice'], approvals: [] });
    expect(r.task.notes.at(-1)).toEqual({ at: when.toISOString(), by: 'system', text: 'step 2 rolled back on Thu 28 Nov; the other steps stay applied' });
    expect(r.effects.find((e) => e.type === 'audit')).toMatchObject({ action: 'task.rolled_back', data: { remaining: 1, step: 1 } });
  });

  it('failed: failed, with a notice to the security team', () => {
    const t = rollbackApproved();
    const r = run(t, rolledBack('failed', 1, { reason: 'EntityAlreadyExists' }), when);
    expect(r.task).toMatchObject({ state: 'failed', assignees: ['sec1', 'sec2'] });
    expect(r.task.notes.at(-1)?.text).toBe('rollback failed: EntityAlreadyExists');
    expect(r.effects).toContainEqual({ type: 'notify', kind: 'security', to: SECURITY, note: 'rollback failed: EntityAlreadyExists' });
  });

  it('observed: a note once, the task still waiting', () => {
    const t = rollbackApproved();
    const event = rolledBack('observed', 1, { calls: ['UpdateLoginProfile(UserName=ops-wu, MFABindRequired=false)'] });
    const r = run(t, event, when);
    expect(r.task.state).toBe('rollback_approved');
    expect(r.task.notes.at(-1)?.text).toBe('observe mode: the rollback would call UpdateLoginProfile(UserName=ops-wu, MFABindRequired=false)');
    expect(audits(r.effects)).toEqual(['task.rollback_observed']);
    expect(run(r.task, event, at('2024-11-29T12:00:00Z')).effects).toEqual([]);
  });

  it('is refused in any other state', () => {
    for (const t of [appliedTask(), rollbackRequested(), approvedTask()]) {
      expect(refusal(t, rolledBack('rolled_back'))?.code).toBe('invalid_state');
    }
  });
});

describe('invariants over the whole approve → apply → rollback cycle', () => {
  it('never mutates its input, never bumps the version, audits every change', () => {
    // `run` checks the invariants on every step.
    const steps: Array<[TaskEvent | ((t: ReviewTask) => TaskEvent), Date, string]> = [
      [(t) => answer(t, 'revoke', 'alice', { reason: 'left the team' }), NOW, 'awaiting_approval'],
      [{ type: 'tick' }, at('2024-11-30T00:30:00Z'), 'awaiting_approval'],
      [{ type: 'tick' }, at('2024-12-04T00:30:00Z'), 'awaiting_approval'],
      [(t) => approve(t, 'sec1'), at('2024-12-04T09:00:00Z'), 'approved'],
      [ended('observed', { executionId: 'exec-0', wouldApply: [CALL] }), at('2024-12-04T10:00:00Z'), 'approved'],
      [ended('applied'), at('2024-12-05T10:00:00Z'), 'applied'],
      [{ type: 'finding_seen', finding: noMfa }, at('2024-12-06T10:00:00Z'), 'applied'],
      [(t) => rollback(t, 'alice', 'billing export broke', 0), at('2024-12-06T11:00:00Z'), 'rollback_requested'],
      [(t) => approve(t, 'bob'), at('2024-12-06T12:00:00Z'), 'rollback_approved'],
      [rolledBack('observed', 1, { calls: ['x'] }), at('2024-12-06T13:00:00Z'), 'rollback_approved'],
      [rolledBack('rolled_back'), at('2024-12-06T14:00:00Z'), 'rolled_back'],
    ];
    let current = task();
    const states: string[] = [];
    for (const [event, now] of steps) {
      current = run(current, typeof event === 'function' ? event(current) : event, now).task;
      states.push(current.state);
    }
    expect(states).toEqual(steps.map(([, , state]) => state));
    expect(current.version).toBe(3);
    expect(current.execution).toMatchObject({ id: EXEC, rolledBackAt: '2024-12-06T14:00:00.000Z' });
  });

  it('a refusal changes nothing', () => {
    const t = deepFreeze(requested());
    const snapshot = JSON.stringify(t);
    expect(transition(t, reject(t, 'carol', 'x'), NOW, policy, directory).ok).toBe(false);
    expect(JSON.stringify(t)).toBe(snapshot);
  });
});
