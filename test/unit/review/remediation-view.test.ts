/** Cards after a revocation was requested: approval, observe mode, applied, rollback, and their status lines. */
import { describe, expect, it } from 'vitest';
import type { TaskEntry } from '../../../shared/review/status.js';
import { statusLine } from '../../../shared/review/status.js';
import type { ChangeRequest, ReviewTask, TaskExecution } from '../../../shared/review/types.js';
import { buildPromptView, buttonsFor, type ViewContext } from '../../../shared/review/view.js';
import { at, directory, noMfa, NOW, policy, task } from './builders.js';

const contextAt = (now: Date): ViewContext => ({
  directory,
  policy,
  tokens: { sign: (taskId, action, recipientId) => `tok:${taskId}:${action}:${recipientId}` },
  account: { id: '1234567890123456', alias: 'prod-main' },
  clock: { now: () => now },
});
const ctx = contextAt(at('2024-11-28T09:00:00Z'));
const alice = directory.byId('alice')!;
const bob = directory.byId('bob')!;
const sec1 = directory.byId('sec1')!;
const entry = (t: ReviewTask): TaskEntry => ({ task: t, lastDecision: null });

const CALL = 'UpdateLoginProfile(UserName=ops-wu, MFABindRequired=true)';
const revocation: ChangeRequest = { kind: 'revocation', by: 'alice', at: NOW.toISOString(), reason: 'left the team' };
const rollbackOf = (step: number | null = null): ChangeRequest => ({ kind: 'rollback', by: 'alice', at: '2024-11-28T09:00:00.000Z', reason: 'billing export broke', step });
/** Applied Tue 26 Nov 10:00 (NOW): with the default 30 days, the rollback window closes Thu 26 Dec 10:00. */
const enforced: TaskExecution = { id: 'exec-1', mode: 'enforce', appliedAt: NOW.toISOString() };
const settled = { dueAt: null, deadlineAt: null };

const approved = (execution: TaskExecution | null = null) => task({ state: 'approved', assignees: [], approvals: ['bob'], request: revocation, execution, ...settled });
const applied = (patch: Partial<ReviewTask> = {}) =>
  task({ state: 'applied', assignees: ['alice'], approvals: ['bob'], request: revocation, execution: enforced, ...settled, ...patch });
const rollbackRequested = (step: number | null = null) =>
  task({ state: 'rollback_requested', assignees: ['bob'], approvals: [], request: rollbackOf(step), execution: enforced, dueAt: '2024-12-05T23:59:59.999Z', deadlineAt: '2024-12-12T23:59:59.999Z' });
const awaitingApproval = (assignees = ['bob']) => task({ state: 'awaiting_approval', assignees, approvals: [], request: revocation });

const buttons = (t: ReviewTask, recipient = alice, c = ctx) => buttonsFor(t, recipient, c).map((b) => [b.action, b.label, b.token, b.needs ?? null]);

describe('the rollback button on an applied revocation', () => {
  it('shows its owner one "rollback" button that asks for a reason, while the window lasts', () => {
    expect(buttons(applied())).toEqual([['rollback', 'Request rollback…', 'tok:task-1:rollback:alice', 'reason']]);
    // The last moment of the window still has it (the machine accepts a request then too).
    expect(buttons(applied(), alice, contextAt(at('2024-12-26T10:00:00Z')))).toHaveLength(1);
  });

  it('is gone once the window closed', () => {
    expect(buttons(applied(), alice, contextAt(at('2024-12-26T10:00:01Z')))).toEqual([]);
    expect(buttons(applied(), alice, contextAt(at('2025-01-15T00:00:00Z')))).toEqual([]);
    const short = { ...contextAt(at('2024-11-28T09:00:00Z')), policy: { ...policy, rollbackWindowDays: 1 } };
    expect(buttons(applied(), alice, short)).toEqual([]);
  });

  it('is never shown to someone other than the owner, nor without an applied execution', () => {
    expect(buttons(applied(), bob)).toEqual([]);
    expect(buttons(applied(), sec1)).toEqual([]);
    expect(buttons(applied({ execution: null }))).toEqual([]);
    expect(buttons(applied({ execution: { id: 'exec-1', mode: 'observe', appliedAt: null } }))).toEqual([]);
  });

  it('is what the owner sees on the applied card, under its status line', () => {
    const view = buildPromptView(ctx, 'prompt', alice, [entry(applied())]);
    expect(view.items[0]).toMatchObject({ state: 'applied', status: `applied on Tue 26 Nov: ${noMfa.remediation.plan?.summary}` });
    expect(view.items[0]?.buttons.map((b) => b.action)).toEqual(['rollback']);
  });
});

describe('a rollback request on the approvers’ card', () => {
  it('gives an approver approve (confirming access is restored) and reject (with a reason)', () => {
    const [approve, reject] = buttonsFor(rollbackRequested(), bob, ctx);
    expect(approve).toMatchObject({ action: 'approve', label: 'Approve rollback', token: 'tok:task-1:approve:bob' });
    expect(approve?.needs).toBeUndefined();
    expect(approve?.confirm?.title).toMatch(/restore/i);
    expect(approve?.confirm?.text).toContain('restore the access of user ops-wu');
    expect(approve?.confirm?.text).toContain('the whole revocation');
    expect(reject).toMatchObject({ action: 'reject', token: 'tok:task-1:reject:bob', needs: 'reason' });
    expect(reject?.confirm).toBeUndefined();
    // Both carry the request they answer, so the revocation's old card cannot answer this rollback.
    expect([approve?.request, reject?.request]).toEqual(['2024-11-28T09:00:00.000Z', '2024-11-28T09:00:00.000Z']);
  });

  it('names the step (1-based) when only one step is rolled back', () => {
    const [approve] = buttonsFor(rollbackRequested(1), bob, ctx);
    expect(approve?.confirm?.text).toContain('step 2 of the revocation');
    expect(approve?.confirm?.text).toContain('restore the access');
    expect(buttonsFor(rollbackRequested(0), bob, ctx)[0]?.confirm?.text).toContain('step 1 of the revocation');
  });

  it('shows the requester no buttons (they cannot approve their own request)', () => {
    expect(buttons(rollbackRequested(), alice)).toEqual([]);
  });

  it('keeps a revocation request distinct: approve confirms the revocation plan', () => {
    const [approve, reject] = buttonsFor(awaitingApproval(), bob, ctx);
    expect(approve).toMatchObject({ action: 'approve', label: 'Approve', confirm: { title: 'Approve this revocation?' } });
    expect(approve?.confirm?.text).toContain(noMfa.remediation.plan?.summary ?? '?');
    expect(reject).toMatchObject({ action: 'reject', needs: 'reason' });
    expect([approve?.request, reject?.request]).toEqual([NOW.toISOString(), NOW.toISOString()]);
  });
});

describe('the approval message intro', () => {
  it('says a rollback restores access, and a revocation revokes it', () => {
    const rollback = buildPromptView(ctx, 'approval', bob, [entry(rollbackRequested())]);
    expect(rollback.intro).toContain('Alice asked to roll back a revocation (restoring access)');
    expect(rollback.intro).not.toContain('asked to revoke access');

    const revoke = buildPromptView(ctx, 'approval', bob, [entry(awaitingApproval())]);
    expect(revoke.intro).toContain('Alice asked to revoke access');
    expect(revoke.intro).not.toContain('roll back');

    const both = buildPromptView(ctx, 'approval', bob, [entry(awaitingApproval()), entry({ ...rollbackRequested(), id: 'task-2' })]);
    expect(both.intro).toContain('asked to revoke access');
    expect(both.intro).toContain('asked to roll back a revocation');
  });

  it('names the deadline when the system asked for the revocation', () => {
    const bySystem = task({ state: 'awaiting_approval', assignees: ['bob'], request: { kind: 'revocation', by: 'system', at: NOW.toISOString(), reason: 'no decision by the deadline (Tue 10 Dec)' } });
    expect(buildPromptView(ctx, 'approval', bob, [entry(bySystem)]).intro).toContain('the deadline asked to revoke access');
  });

  it('an escalated approval does not tell security that the owner failed to answer', () => {
    // tickApproval escalates a silent approver by notifying the security group with kind 'escalation';
    // the owner did answer (they asked for the revocation), it is the approver who is silent.
    const escalated = awaitingApproval(['bob', 'sec1', 'sec2']);
    const view = buildPromptView(ctx, 'escalation', sec1, [entry(escalated)]);
    expect(view.items[0]?.buttons.map((b) => b.action)).toEqual(['approve', 'reject']);
    expect(view.intro).not.toContain('Alice did not answer in time');
    expect(view.intro).toMatch(/approv/i);
  });
});

describe('status lines after approval', () => {
  const line = (t: ReviewTask) => statusLine(entry(t), directory);

  it('approved in observe mode names observe mode and the call it would make', () => {
    const observed = line(approved({ id: 'exec-1', mode: 'observe', appliedAt: null, wouldApply: [CALL] }));
    expect(observed).toContain('observe mode');
    expect(observed).toContain(CALL);
    expect(observed).toBe(`revocation approved by Bob; observe mode — ramparts would ${CALL}, and changes nothing until remediation.mode is enforce`);
    expect(line(approved())).toBe('revocation approved by Bob; waiting to be applied');
  });

  it('applied shows the day it was applied, and a partial rollback', () => {
    expect(line(applied())).toBe(`applied on Tue 26 Nov: ${noMfa.remediation.plan?.summary}`);
    const partial = applied({ notes: [{ at: '2024-11-28T12:00:00.000Z', by: 'system', text: 'step 2 rolled back on Thu 28 Nov; the other steps stay applied' }] });
    expect(line(partial)).toContain('applied on Tue 26 Nov');
    expect(line(partial)).toContain('step 2 rolled back on Thu 28 Nov');
  });

  it('rollback_requested names the requester and the reason', () => {
    expect(line(rollbackRequested())).toBe('rollback requested by Alice: billing export broke; waiting for Bob to approve');
  });

  it('rollback_approved and rolled_back say what happens to the access', () => {
    expect(line(task({ state: 'rollback_approved', assignees: [], approvals: ['bob'], request: rollbackOf(), execution: enforced, ...settled }))).toBe(
      'rollback approved by Bob; waiting to be applied',
    );
    const done = task({ state: 'rolled_back', assignees: [], approvals: ['bob'], request: rollbackOf(), execution: { ...enforced, rolledBackAt: '2024-11-28T12:00:00.000Z' }, ...settled });
    expect(line(done)).toContain('access restored');
    expect(line(done)).toBe('rolled back on Thu 28 Nov: access restored: billing export broke');
  });

  it('failed shows the note the apply job left', () => {
    const failed = task({ state: 'failed', assignees: ['sec1', 'sec2'], execution: { ...enforced, appliedAt: null }, notes: [{ at: NOW.toISOString(), by: 'system', text: 'applying failed: AccessDenied' }], ...settled });
    expect(line(failed)).toBe('applying failed: AccessDenied');
    expect(line(task({ state: 'failed', assignees: ['sec1'], ...settled }))).toBe('applying the revocation failed; the security team follows up');
  });
});
