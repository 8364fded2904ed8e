/** Prompt views: what an owner, a manager or a bystander sees for a task, and which buttons. */
import { describe, expect, it } from 'vitest';
import { getRule } from '../../../shared/rules/registry.js';
import type { TaskEntry } from '../../../shared/review/status.js';
import { statusLine, subjectLabel } from '../../../shared/review/status.js';
import { buildPromptView, type ViewContext } from '../../../shared/review/view.js';
import { decision, directory, noMfa, policy, staleKey, task } from './builders.js';

const ctx: ViewContext = {
  directory,
  policy,
  tokens: { sign: (taskId, action, recipientId) => `tok:${taskId}:${action}:${recipientId}` },
  account: { id: '1234567890123456', alias: 'prod-main' },
};
const alice = directory.byId('alice')!;
const bob = directory.byId('bob')!;
const entry = (t = task(), lastDecision: TaskEntry['lastDecision'] = null): TaskEntry => ({ task: t, lastDecision });

describe('buildPromptView', () => {
  it("renders an owner's prompt: evidence, why, what revoke would change, buttons signed for them", () => {
    const key = task({ id: 'k1' }, staleKey);
    const mfa = task({ id: 'm1' });
    const view = buildPromptView(ctx, 'prompt', alice, [entry(mfa), entry(key)]);
    expect(view).toMatchObject({ kind: 'prompt', due: 'due Tue 3 Dec', intro: 'Alice, you own 2 identities with findings:', account: ctx.account });
    const [first, second] = view.items;
    expect(first).toMatchObject({
      taskId: 'k1',
      severity: 'high',
      subject: 'access key LTAI…7Q2 of build-agent',
      evidence: staleKey.evidence.summary,
      path: [],
      why: getRule('ram.access-key-stale')?.rationale,
      revokeWould: null,
      status: 'waiting for an answer, due Tue 3 Dec',
    });
    expect(first?.buttons.map((b) => [b.action, b.label, b.token, b.needs ?? null])).toEqual([
      ['keep', 'Keep… (reason)', 'tok:k1:keep:alice', 'reason'],
      ['snooze', "I'll fix it by…", 'tok:k1:snooze:alice', 'date'],
      ['revoke', 'Revoke', 'tok:k1:revoke:alice', null],
      ['not_mine', 'Not mine', 'tok:k1:not_mine:alice', null],
    ]);
    expect(first?.buttons[2]?.confirm?.text).toContain('asks the security team to revoke the access of access key LTAI…7Q2 of build-agent');
    expect(second).toMatchObject({ subject: 'user ops-wu', path: ['user:ops-wu'], revokeWould: noMfa.remediation.plan?.summary });
    expect(second?.buttons[2]?.confirm).toEqual({
      title: 'Request revocation?',
      text: `After approval, ramparts will ${noMfa.remediation.plan?.summary}. Nothing changes until a manager approves.`,
    });
  });

  it('shows no buttons to someone who cannot answer, and no "not mine" to the security group', () => {
    expect(buildPromptView(ctx, 'prompt', bob, [entry()]).items[0]?.buttons).toEqual([]);
    const orphan = task({ ownership: { owner: { kind: 'group', name: 'security' }, source: 'orphaned', matched: null }, assignees: ['sec1'] });
    const view = buildPromptView(ctx, 'prompt', directory.byId('sec1')!, [entry(orphan)]);
    expect(view.intro).toBe('1 identity has no known owner; as a member of security, please review:');
    expect(view.items[0]?.buttons.map((b) => b.action)).toEqual(['keep', 'snooze', 'revoke']);
  });

  it('gives the manager attest/decline on an attestation card', () => {
    const t = task({ state: 'awaiting_attestation', assignees: ['bob'] }, staleKey);
    const view = buildPromptView(ctx, 'attestation', bob, [entry(t, decision('keep', 'alice', { reason: 'CI uses it' }))]);
    expect(view.intro).toBe('Alice wants to keep access on high-severity findings; as their manager, please attest or decline.');
    expect(view.items[0]?.status).toBe('kept by Alice: CI uses it — waiting for Bob to attest');
    expect(view.items[0]?.buttons.map((b) => [b.action, b.needs ?? null])).toEqual([['attest', null], ['decline', 'reason']]);
    expect(view.due).toBeNull();
  });

  it('introduces an escalation with who did not answer, due by the deadline', () => {
    const view = buildPromptView(ctx, 'escalation', bob, [entry(task({ state: 'escalated', assignees: ['bob'] }))]);
    expect(view).toMatchObject({ intro: 'Alice did not answer in time; you are asked to decide instead.', due: 'due Tue 10 Dec' });
  });
});

describe('status lines', () => {
  it.each([
    [task({ state: 'snoozed', snoozedUntil: '2024-12-20T23:59:59.999Z' }), decision('snooze', 'alice'), 'Alice will fix it by Fri 20 Dec'],
    [task({ state: 'kept' }), decision('keep', 'alice', { reason: 'still used by CI' }), 'kept by Alice: still used by CI'],
    [task({ state: 'kept' }), decision('attest', 'bob'), 'kept; attested by Bob'],
    [task({ state: 'awaiting_approval', assignees: ['bob'] }), decision('revoke', 'alice'), 'revocation requested by Alice; waiting for Bob to approve'],
    [task({ state: 'awaiting_approval', assignees: ['bob'] }), null, 'no decision by the deadline: revocation requested; waiting for Bob to approve'],
    [task({ state: 'escalated', assignees: ['bob'] }), null, 'no answer by Tue 3 Dec; now with Bob'],
    [task({ state: 'resolved' }), null, 'resolved: the latest scan no longer finds it'],
    [task({ assignees: ['sec1'] }), decision('not_mine', 'alice', { reason: 'data team' }), 'waiting for an answer, due Tue 3 Dec · passed on by Alice: data team'],
  ] as const)('%#: %s', (t, d, line) => {
    expect(statusLine({ task: t, lastDecision: d }, directory)).toBe(line);
  });

  it('labels subjects, masking access key ids', () => {
    expect(subjectLabel({ type: 'role', id: 'r', name: 'ci-deployer' })).toBe('role ci-deployer');
    expect(subjectLabel({ type: 'accessKey', id: 'LTAI1', name: 'LTAI1' })).toBe('access key LTAI1');
  });
});
