import { describe, expect, it } from 'vitest';
import { plans, type RemediationPlan } from '../../../shared/domain/remediation.js';
import { conflictsOfInterest } from '../../../shared/sod/index.js';
import { membershipOf } from './fixtures.js';

const codesOf = (plan: RemediationPlan, users: string[], groups: Record<string, string[]> = {}) =>
  conflictsOfInterest(plan, users, membershipOf(groups)).map((r) => r.code);

describe('conflictsOfInterest: the plan would change the approver\'s own access', () => {
  it.each([
    ['deactivate-access-key', plans.deactivateAccessKey('cora', 'LTAI5tKey0002')],
    ['disable-console-login', plans.disableConsoleLogin('cora', 'cora@acme.onaliyun.com')],
    ['require-mfa', plans.requireMfa('cora')],
    ['remove-from-group', plans.removeFromGroup('cora', 'ops')],
    ['detach-policy from the user', plans.detachPolicy('user', 'cora', 'AdministratorAccess', 'System')],
    ['detach-policy from a group they are in', plans.detachPolicy('group', 'ops', 'AdministratorAccess', 'System')],
  ])('%s on their own RAM user is a conflict', (_name, plan) => {
    expect(codesOf(plan, ['cora'])).toEqual(['conflict-of-interest']);
  });

  it('is not a conflict to change someone else, a group they are not in, or a role', () => {
    expect(codesOf(plans.removeFromGroup('sam.wu', 'ops'), ['cora'])).toEqual([]);
    expect(codesOf(plans.detachPolicy('group', 'finance', 'AdministratorAccess', 'System'), ['cora'])).toEqual([]);
    expect(codesOf(plans.detachPolicy('role', 'ops-role', 'AdministratorAccess', 'System'), ['cora'])).toEqual([]);
    expect(codesOf(plans.detachPolicy('group', 'ops', 'AdministratorAccess', 'System'), [])).toEqual([]);
  });

  it('matches group names case-insensitively, through any of the approver\'s RAM users', () => {
    expect(codesOf(plans.detachPolicy('group', 'OPS', 'AdministratorAccess', 'System'), ['uma', 'cora'])).toEqual(['conflict-of-interest']);
  });

  it('fails closed when the approver\'s group membership is unknown', () => {
    const refusals = conflictsOfInterest(plans.detachPolicy('group', 'ops', 'AdministratorAccess', 'System'), ['cora'], membershipOf({ cora: null }));
    expect(refusals).toEqual([{ code: 'conflict-of-interest', message: expect.stringMatching(/cannot tell whether you belong to group ops/) }]);
  });

  it('fails closed on narrow-policy unless the policy\'s attachments are known', () => {
    const narrow: RemediationPlan = {
      summary: 'narrow',
      steps: [{ action: 'narrow-policy', target: { policyName: 'DevOps', document: '{}' }, expect: { defaultVersion: 'v2' }, proof: { used: ['ecs:DescribeInstances'], window: { from: '2026-03-01T00:00:00Z', to: '2026-06-01T00:00:00Z' } }, rollback: { call: 'SetDefaultPolicyVersion', versionId: 'v2' } }],
    };
    expect(codesOf(narrow, ['cora'])).toEqual(['conflict-of-interest']);
    const known = (principalName: string) => ({ ...membershipOf(), attachmentsOfPolicy: () => [{ principalType: 'group' as const, principalName }] });
    expect(conflictsOfInterest(narrow, ['cora'], known('ops')).map((r) => r.code)).toEqual(['conflict-of-interest']);
    expect(conflictsOfInterest(narrow, ['cora'], known('finance'))).toEqual([]);
  });

  it('attach-policy changes the principal it attaches to', () => {
    const attach: RemediationPlan = {
      summary: 'replace a system policy',
      steps: [
        {
          action: 'attach-policy',
          target: { principalType: 'group', principalName: 'ops', policyName: 'ops-narrowed', policyType: 'Custom', document: '{}', description: 'narrowed' },
          expect: { attached: false },
          proof: { used: ['ecs:DescribeInstances'], window: { from: '2026-03-01T00:00:00Z', to: '2026-06-01T00:00:00Z' } }, 
          rollback: { call: 'DetachPolicyFrom', deletePolicy: true },
        },
      ],
    };
    expect(conflictsOfInterest(attach, ['cora'], membershipOf()).map((r) => r.code)).toEqual(['conflict-of-interest']);
    expect(conflictsOfInterest(attach, ['cora'], membershipOf({ cora: ['finance'] }))).toEqual([]);
  });

  it('names the step and says what to do', () => {
    const [refusal] = conflictsOfInterest(plans.detachPolicy('group', 'ops', 'AdministratorAccess', 'System'), ['cora'], membershipOf());
    expect(refusal?.message).toBe('step 1 (detach-policy) changes group ops, which your RAM user belongs to. You have a conflict of interest: ask another eligible approver.');
  });
});
