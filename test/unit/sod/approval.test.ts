import { describe, expect, it } from 'vitest';
import { checkApproval, SOD_CODES } from '../../../shared/sod/index.js';
import { approvalInput, codes } from './fixtures.js';

const privileged = (approver: string, priorApprovals: string[]) =>
  checkApproval(approvalInput({ approver, priorApprovals, privileged: true, task: { ...approvalInput().task, severity: 'critical', rule: 'ram.user-admin' } }));

describe('checkApproval: privileged subjects need two distinct approvers, one from security', () => {
  it('is complete with a manager and a security member, in either order', () => {
    expect(privileged('sara', ['mona'])).toEqual({ allowed: true, needsMore: null });
    expect(privileged('mona', ['sara'])).toEqual({ allowed: true, needsMore: null });
    expect(privileged('amir', ['sara'])).toEqual({ allowed: true, needsMore: null });
  });

  it('asks for a security approver when two approvers are neither from security', () => {
    const verdict = privileged('amir', ['mona']);
    expect(verdict).toEqual({ allowed: true, needsMore: { code: 'privileged-needs-two', reason: expect.stringMatching(/one approver from security/) } });
  });

  it('refuses the same person approving twice', () => {
    expect(codes(privileged('mona', ['mona']))).toEqual(['duplicate-approver']);
    expect(codes(privileged('sara', ['sara']))).toEqual(['duplicate-approver']);
  });

  it('refuses a duplicate on a normal subject too', () => {
    expect(codes(checkApproval(approvalInput({ approver: 'amir', priorApprovals: ['amir'] })))).toEqual(['duplicate-approver']);
  });

  it('counts a normal subject complete with one eligible approver', () => {
    expect(checkApproval(approvalInput({ approver: 'amir' }))).toEqual({ allowed: true, needsMore: null });
  });
});

describe('checkApproval: who may approve', () => {
  it('tells the requester what to do', () => {
    const verdict = checkApproval(approvalInput({ approver: 'rex' }));
    expect(verdict).toEqual({
      allowed: false,
      refusals: [{ code: 'self-approval', message: "You requested this revocation, so someone else must approve it: the owner's manager (Mona Li) or a member of approvers." }],
    });
  });

  it('lists every refusal when the owner requests and approves their own revocation', () => {
    const verdict = checkApproval(approvalInput({ approver: 'olga', task: { ...approvalInput().task, requestedBy: 'olga' } }));
    expect(codes(verdict)).toEqual(['not-manager-or-approver', 'owner', 'self-approval']);
  });

  it('treats every member of an owning group as the owner; their managers may approve', () => {
    const task = { ...approvalInput().task, owner: { kind: 'group', name: 'platform' } as const };
    expect(codes(checkApproval(approvalInput({ task, approver: 'pat' })))).toEqual(['not-manager-or-approver', 'owner']);
    expect(checkApproval(approvalInput({ task, approver: 'mona' }))).toEqual({ allowed: true, needsMore: null });
    const refused = checkApproval(approvalInput({ task, approver: 'pat' }));
    expect(!refused.allowed && refused.refusals[0]?.message).toMatch(/^You are in group platform, which owns accessKey LTAI5tKey0001/);
  });

  it('refuses someone not in the directory', () => {
    expect(codes(checkApproval(approvalInput({ approver: 'ghost' })))).toEqual(['not-manager-or-approver']);
  });

  it('says when the owner has no manager configured', () => {
    const task = { ...approvalInput().task, owner: { kind: 'person', id: 'uma' } as const };
    const verdict = checkApproval(approvalInput({ task, approver: 'sara' }));
    expect(!verdict.allowed && verdict.refusals[0]?.message).toContain("the owner's manager (none is configured)");
  });

  it('matches the subject person case-insensitively and by an access key\'s user', () => {
    const verdict = checkApproval(approvalInput({ approver: 'amir', ramUsersOf: (id) => (id === 'amir' ? ['SAM.WU'] : []) }));
    expect(codes(verdict)).toEqual(['conflict-of-interest', 'subject-person']);
  });

  it('still checks people and protected subjects when there is no plan', () => {
    expect(codes(checkApproval(approvalInput({ plan: null, approver: 'sam' })))).toEqual(['subject-person']);
    expect(checkApproval(approvalInput({ plan: null }))).toEqual({ allowed: true, needsMore: null });
    const root = { ...approvalInput().task, subject: { type: 'account' as const, id: '1234567890123456', name: 'acme' } };
    expect(codes(checkApproval(approvalInput({ plan: null, task: root })))).toEqual(['protected-principal']);
  });

  it('exports every code it can emit', () => {
    expect(SOD_CODES).toEqual([
      'self-approval',
      'subject-person',
      'owner',
      'not-manager-or-approver',
      'privileged-needs-two',
      'duplicate-approver',
      'conflict-of-interest',
      'keep-owner-only',
      'not-manager',
      'protected-principal',
    ]);
  });
});
