import { describe, expect, it } from 'vitest';
import type { PlanStep } from '../../../../shared/domain/remediation.js';
import type { PolicyAttachment, RamPolicy } from '../../../../shared/domain/snapshot.js';
import { parsePolicy, proveNarrowing } from '../../../../shared/policy/index.js';
import { proofDifferences } from '../../../../shared/remediation/steps/narrow-policy.js';
import rule from '../../../../shared/rules/ram/permission-unused.js';
import { ADMIN_DOC, daysAgo, doc, group, policy, role, run, snapshot, usageOf, user, type Call } from '../builders.js';

const ECS_DOC = doc({ Effect: 'Allow', Action: 'ecs:*', Resource: '*' });
const OPS_DOC = doc({ Effect: 'Allow', Action: ['ecs:*', 'oss:*', 'rds:*'], Resource: '*' });

/** A policy attached `attachedDaysAgo` days ago (old enough by default). */
function held(name: string, document: string, attachments: Array<[PolicyAttachment['principalType'], string]>, type: RamPolicy['type'] = 'Custom', attachedDaysAgo = 200): RamPolicy {
  const p = policy(name, document, attachments, type);
  return { ...p, defaultVersion: 'v3', attachments: p.attachments!.map((a) => ({ ...a, attachDate: daysAgo(attachedDaysAgo) })) };
}

const calls = (identity: string, ...actions: string[]): Call[] => actions.map((a) => [identity, a, daysAgo(5)]);
const stepsOf = (r: { plan?: { steps: PlanStep[] } }) => r.plan?.steps ?? [];

describe('ram.permission-unused', () => {
  it('fails a policy none of whose actions were used, with a detach plan', () => {
    const snap = snapshot({ users: [user('alice')], policies: [held('EcsOps', ECS_DOC, [['user', 'alice']])] });
    const results = run(rule, snap, {}, usageOf(calls('user:alice', 'oss:GetObject')));
    expect(results).toMatchObject([
      { status: 'fail', subject: { type: 'user', name: 'alice', id: 'uid-alice/Custom:EcsOps' }, evidence: { used: [] } },
    ]);
    expect(results[0]?.evidence.summary).toMatch(/used none of its actions in 90 days/);
    expect(stepsOf(results[0]!)).toEqual([
      {
        action: 'detach-policy',
        target: { principalType: 'user', principalName: 'alice', policyName: 'EcsOps', policyType: 'Custom' },
        expect: { attached: true },
        rollback: { call: 'AttachPolicyTo', principalType: 'user' },
      },
    ]);
    expect(results[0]?.severity).toBeUndefined();
  });

  it('is high when the unused policy is full admin', () => {
    const snap = snapshot({ roles: [role('ops', null)], policies: [held('AdministratorAccess', ADMIN_DOC, [['role', 'ops']], 'System')] });
    expect(run(rule, snap, {}, usageOf([]))).toMatchObject([{ status: 'fail', severity: 'high', subject: { type: 'role', name: 'ops' } }]);
  });

  it('ranks a wildcard narrowed to its used subset low, and unused services or grants at the rule severity', () => {
    const wildcard = snapshot({ users: [user('alice')], policies: [held('EcsOps', ECS_DOC, [['user', 'alice']])] });
    const [narrowed] = run(rule, wildcard, {}, usageOf(calls('user:alice', 'ecs:DescribeInstances')));
    expect(narrowed).toMatchObject({ status: 'fail', severity: 'low', evidence: { unusedServices: [], unusedGrants: ['ecs:*'] } });
    const services = snapshot({ users: [user('alice')], policies: [held('Ops', OPS_DOC, [['user', 'alice']])] });
    const [unused] = run(rule, services, { unrecordedActions: [] }, usageOf(calls('user:alice', 'ecs:DescribeInstances')));
    expect(unused).toMatchObject({ status: 'fail', evidence: { unusedServices: ['oss', 'rds'] } });
    expect(unused?.severity).toBeUndefined();
  });

  it('passes a policy whose every grant is used', () => {
    const only = doc({ Effect: 'Allow', Action: ['ecs:DescribeInstances'], Resource: '*' });
    const snap = snapshot({ users: [user('alice')], policies: [held('Describe', only, [['user', 'alice']])] });
    expect(run(rule, snap, {}, usageOf(calls('user:alice', 'ecs:DescribeInstances')))).toEqual([]);
  });

  it('is one unknown on the account without activity data, or when it does not cover the lookback', () => {
    const snap = snapshot({ users: [user('alice')], policies: [held('EcsOps', ECS_DOC, [['user', 'alice']])] });
    expect(run(rule, snap)).toMatchObject([{ status: 'unknown', subject: { type: 'account' }, evidence: { summary: expect.stringMatching(/no activity data/) } }]);
    expect(run(rule, snap, {}, usageOf([], 30))).toMatchObject([
      { status: 'unknown', subject: { type: 'account' }, evidence: { summary: expect.stringMatching(/does not cover/) } },
    ]);
    expect(run(rule, snapshot())).toEqual([]);
  });

  it('skips identities younger than the lookback and attachments newer than minAttachedDays', () => {
    const young = snapshot({ users: [user('new', { createDate: daysAgo(30) })], policies: [held('EcsOps', ECS_DOC, [['user', 'new']])] });
    expect(run(rule, young, {}, usageOf([]))).toEqual([]);
    const fresh = snapshot({ users: [user('alice')], policies: [held('EcsOps', ECS_DOC, [['user', 'alice']], 'Custom', 3)] });
    expect(run(rule, fresh, {}, usageOf([]))).toEqual([]);
    expect(run(rule, fresh, { minAttachedDays: 2 }, usageOf([]))).toMatchObject([{ status: 'fail' }]);
  });

  it('is unknown for a policy whose attachment date is not known', () => {
    const snap = snapshot({ users: [user('alice')], policies: [policy('EcsOps', ECS_DOC, [['user', 'alice']])] });
    expect(run(rule, snap, {}, usageOf([]))).toMatchObject([{ status: 'unknown', evidence: { summary: expect.stringMatching(/attachment date unknown/) } }]);
  });

  it('judges group-inherited policies per member, detaching from the group only when no member uses it', () => {
    const groups = [group('devs', ['alice', 'bob'])];
    const users = [user('alice', { groups: ['devs'] }), user('bob', { groups: ['devs'] })];
    const snap = snapshot({ users, groups, policies: [held('EcsOps', ECS_DOC, [['group', 'devs']])] });

    const nobody = run(rule, snap, {}, usageOf([]));
    expect(nobody.map((r) => [r.subject.name, r.evidence.path])).toEqual([
      ['alice', ['user:alice', 'group:devs', 'policy:EcsOps (Custom)']],
      ['bob', ['user:bob', 'group:devs', 'policy:EcsOps (Custom)']],
    ]);
    expect(stepsOf(nobody[0]!)).toMatchObject([{ action: 'detach-policy', target: { principalType: 'group', principalName: 'devs' } }]);

    const bobUses = run(rule, snap, {}, usageOf(calls('user:bob', 'ecs:DescribeInstances')));
    const alice = bobUses.find((r) => r.subject.name === 'alice');
    expect(alice).toMatchObject({ status: 'fail', evidence: { note: expect.stringMatching(/user bob still use/) } });
    expect(alice?.plan).toBeUndefined();
  });

  it('narrows a partly used custom policy to what all its holders used, proven before it is offered', () => {
    const groups = [group('devs', ['bob'])];
    const users = [user('alice'), user('bob', { groups: ['devs'] })];
    const policies = [held('OpsAll', OPS_DOC, [['user', 'alice'], ['group', 'devs'], ['role', 'deployer']])];
    const snap = snapshot({ users, groups, roles: [role('deployer', null)], policies });
    const usage = usageOf([
      ...calls('user:alice', 'ecs:DescribeInstances', 'ecs:StartInstance', 'ecs:StopInstance'),
      ...calls('user:bob', 'oss:GetObject'),
      ...calls('role:deployer', 'ecs:DescribeInstances'),
    ]);
    // Judged on recorded events alone (the data-plane default is the next tests' subject).
    const results = run(rule, snap, { unrecordedActions: [] }, usage);
    const alice = results.find((r) => r.subject.name === 'alice')!;
    expect(alice.evidence).toMatchObject({
      used: ['ecs:DescribeInstances', 'ecs:StartInstance', 'ecs:StopInstance'],
      unusedServices: ['oss', 'rds'],
      unusedGrants: ['ecs:*', 'oss:*', 'rds:*'],
      proof: 'what-if check: all 4 used action(s) the policy granted are still allowed with the new document',
    });
    expect(alice.evidence.summary).toMatch(/services never used: oss, rds/);
    expect(alice.evidence.diff).toContain('-         "ecs:*",');
    expect(alice.evidence.diff).toContain('+         "oss:GetObject"');

    const [step] = stepsOf(alice);
    expect(step).toMatchObject({
      action: 'narrow-policy',
      target: { policyName: 'OpsAll' },
      expect: { defaultVersion: 'v3' },
      proof: { used: ['ecs:DescribeInstances', 'ecs:StartInstance', 'ecs:StopInstance', 'oss:GetObject'], window: { from: daysAgo(90), to: daysAgo(0) } },
      rollback: { call: 'SetDefaultPolicyVersion', versionId: 'v3' },
    });
    const document = step?.action === 'narrow-policy' ? step.target.document : '';
    expect(JSON.parse(document)).toEqual({
      Version: '1',
      Statement: [{ Effect: 'Allow', Action: ['ecs:DescribeInstances', 'ecs:StartInstance', 'ecs:StopInstance', 'oss:GetObject'], Resource: ['*'] }],
    });
    expect(proveNarrowing([parsePolicy(OPS_DOC)], [parsePolicy(document)], ['ecs:StopInstance', 'oss:GetObject']).ok).toBe(true);
    // Every holder's finding proposes the same change.
    expect(results.map((r) => r.subject.name).sort()).toEqual(['alice', 'bob', 'deployer']);
  });

  it('replaces a partly used system policy: attach a generated custom policy, then detach the system one', () => {
    const snap = snapshot({ roles: [role('ci.runner', null)], policies: [held('AliyunECSFullAccess', ECS_DOC, [['role', 'ci.runner']], 'System')] });
    const [result] = run(rule, snap, {}, usageOf(calls('role:ci.runner', 'ecs:DescribeInstances', 'ecs:RunInstances')));
    expect(result?.plan?.summary).toMatch(/^replace system policy AliyunECSFullAccess on role ci\.runner with ramparts-ci-runner-AliyunECSFullAccess/);
    expect(stepsOf(result!)).toEqual([
      {
        action: 'attach-policy',
        target: {
          principalType: 'role',
          principalName: 'ci.runner',
          policyName: 'ramparts-ci-runner-AliyunECSFullAccess',
          policyType: 'Custom',
          document: JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: ['ecs:DescribeInstances', 'ecs:RunInstances'], Resource: ['*'] }] }),
          description: expect.stringMatching(/^ramparts: the actions of AliyunECSFullAccess that role ci.runner used/),
        },
        expect: { attached: false },
        proof: { used: ['ecs:DescribeInstances', 'ecs:RunInstances'], window: { from: daysAgo(90), to: daysAgo(0) } },
        rollback: { call: 'DetachPolicyFrom', deletePolicy: true },
      },
      {
        action: 'detach-policy',
        target: { principalType: 'role', principalName: 'ci.runner', policyName: 'AliyunECSFullAccess', policyType: 'System' },
        expect: { attached: true },
        rollback: { call: 'AttachPolicyTo', principalType: 'role' },
      },
    ]);
  });

  it('offers no plan when a holder group has unknown members', () => {
    // Neither the group nor the user lists membership: who else holds the policy is unknown.
    const users = [user('alice', { groups: null })];
    const groups = [group('devs', null)];
    const snap = snapshot({ users, groups, policies: [held('OpsAll', OPS_DOC, [['user', 'alice'], ['group', 'devs']])] });
    const results = run(rule, snap, {}, usageOf(calls('user:alice', 'ecs:DescribeInstances')));
    expect(results.map((r) => r.status)).toEqual(['unknown', 'fail']);
    const result = results[1];
    expect(result).toMatchObject({ status: 'fail', evidence: { note: expect.stringMatching(/members of group devs are unknown/) } });
    expect(result?.plan).toBeUndefined();
  });

  it('offers no plan when another holder is newer than the lookback', () => {
    const users = [user('alice'), user('newbie', { createDate: daysAgo(10) })];
    const snap = snapshot({ users, policies: [held('OpsAll', OPS_DOC, [['user', 'alice'], ['user', 'newbie']])] });
    const results = run(rule, snap, {}, usageOf(calls('user:alice', 'ecs:DescribeInstances')));
    expect(results).toMatchObject([{ subject: { name: 'alice' }, status: 'fail', evidence: { note: expect.stringMatching(/user newbie also hold/) } }]);
    expect(results[0]?.plan).toBeUndefined();
  });

  it('never judges data-plane grants unused: ActionTrail records no event for them', () => {
    const objects = doc({ Effect: 'Allow', Action: ['oss:GetObject', 'oss:PutObject'], Resource: 'acs:oss:*:*:bucket/*' });
    const onlyData = snapshot({ users: [user('alice')], policies: [held('Objects', objects, [['user', 'alice']])] });
    expect(run(rule, onlyData, {}, usageOf([]))).toEqual([]);

    const snap = snapshot({ users: [user('alice')], policies: [held('Ops', OPS_DOC, [['user', 'alice']])] });
    const [result] = run(rule, snap, {}, usageOf(calls('user:alice', 'ecs:DescribeInstances')));
    expect(result?.evidence.summary).toMatch(/kept without evidence \(ActionTrail records no event for them\): oss:/);
    const step = stepsOf(result!)[0];
    expect(step?.action).toBe('narrow-policy');
    const after = parsePolicy(step?.action === 'narrow-policy' ? step.target.document : '{}');
    const allowed = (a: string) => proveNarrowing([after], [after], [a]).checks[0]?.after;
    expect(allowed('oss:GetObject')).toBe('allow');
    expect(allowed('ecs:DescribeInstances')).toBe('allow');
    expect(allowed('rds:DeleteInstance')).not.toBe('allow');
    expect(allowed('oss:DeleteBucket')).not.toBe('allow');

    // The list is a param: an empty one judges data-plane grants on recorded events alone.
    expect(run(rule, onlyData, { unrecordedActions: [] }, usageOf([]))).toMatchObject([{ status: 'fail' }]);
  });

  it('carries conditional grants to the executor, whose re-check then accepts them', () => {
    const guarded = doc({ Effect: 'Allow', Action: 'ecs:*', Resource: '*', Condition: { IpAddress: { 'acs:SourceIp': '10.0.0.0/8' } } });
    const snap = snapshot({ users: [user('alice')], policies: [held('EcsFromOffice', guarded, [['user', 'alice']])] });
    const [result] = run(rule, snap, {}, usageOf(calls('user:alice', 'ecs:DescribeInstances')));
    const step = stepsOf(result!)[0];
    if (step?.action !== 'narrow-policy') throw new Error(`expected a narrow-policy step, got ${step?.action}`);
    expect(step.proof).toMatchObject({ used: ['ecs:DescribeInstances'], conditional: ['ecs:DescribeInstances'] });
    expect(JSON.parse(step.target.document).Statement[0].Condition).toEqual({ IpAddress: { 'acs:SourceIp': '10.0.0.0/8' } });
    expect(proofDifferences(step.target.policyName, step.target.document, step.proof)).toEqual([]);
  });

  it('skips service-linked roles', () => {
    const snap = snapshot({ roles: [role('AliyunServiceRoleForECS', null)], policies: [held('AliyunECSFullAccess', ECS_DOC, [['role', 'AliyunServiceRoleForECS']], 'System')] });
    expect(run(rule, snap, {}, usageOf([]))).toEqual([]);
  });
});
