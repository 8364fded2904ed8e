/**
 * Least-privilege narrowing on the demo emulator: a custom policy gets a narrowed default version; a
 * system policy is replaced by a generated custom one (attach-policy, then detach-policy of the system
 * one); a narrowing that would drop a used action is refused before any write; a rerun after a crash
 * between the two steps writes nothing twice; rollback restores the original state.
 */
import { describe, expect, it } from 'vitest';
import { $Ram } from '../../../shared/cloud/sdk.js';
import type { PlanStep } from '../../../shared/domain/remediation.js';
import { applyApproved, rollbackExecution } from '../../../shared/remediation/index.js';
import { useEnv, verifyStore, type Env } from './harness.js';

let env: Env;
useEnv((e) => (env = e));

const WINDOW = { from: '2026-03-03T00:00:00Z', to: '2026-06-01T00:00:00Z' };
const doc = (actions: string[]) => JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] });

/** EcsOperator (`ecs:*`, attached to user ecs-operator-lin) narrowed to what was used. */
const narrowEcsOperator = (actions = ['ecs:DescribeInstances', 'ecs:StartInstance'], used = ['ecs:DescribeInstances', 'ecs:StartInstance']): PlanStep => ({
  action: 'narrow-policy',
  target: { policyName: 'EcsOperator', document: doc(actions) },
  expect: { defaultVersion: 'v1' },
  proof: { used, window: WINDOW },
  rollback: { call: 'SetDefaultPolicyVersion', versionId: 'v1' },
});

/** analyst-xu's System AliyunOSSReadOnlyAccess replaced by a generated custom policy. */
const replaceOssReadOnly = (): PlanStep[] => [
  {
    action: 'attach-policy',
    target: {
      principalType: 'user',
      principalName: 'analyst-xu',
      policyName: 'ramparts-analyst-xu-oss',
      policyType: 'Custom',
      document: doc(['oss:GetObject', 'oss:ListObjects']),
      description: 'AliyunOSSReadOnlyAccess narrowed to the actions analyst-xu used',
    },
    expect: { attached: false },
    proof: { used: ['oss:GetObject', 'oss:ListObjects'], window: WINDOW },
    rollback: { call: 'DetachPolicyFrom', deletePolicy: true },
  },
  {
    action: 'detach-policy',
    target: { principalType: 'user', principalName: 'analyst-xu', policyName: 'AliyunOSSReadOnlyAccess', policyType: 'System' },
    expect: { attached: true },
    rollback: { call: 'AttachPolicyTo', principalType: 'user' },
  },
];

const policy = (name: string, type: 'System' | 'Custom' = 'Custom') => env.emulator.state.policy(type, name);
const attached = (user: string, name: string, type: 'System' | 'Custom') => env.emulator.state.isAttached('user', user, type, name);

describe('narrow-policy', () => {
  it('creates a new default version with the narrowed document; rollback restores the old default', async () => {
    const ex = await env.approve('task-1', [narrowEcsOperator()]);
    expect(await applyApproved(env.deps(), [ex.id])).toMatchObject([{ outcome: 'applied', writes: 1 }]);
    expect(env.writes()).toEqual({ CreatePolicyVersion: 1 });
    const p = policy('EcsOperator');
    expect(p?.defaultVersion).toBe('v2');
    expect(JSON.parse(p?.versions.find((v) => v.versionId === 'v2')?.document ?? '')).toEqual(JSON.parse(doc(['ecs:DescribeInstances', 'ecs:StartInstance'])));
    expect((await env.execution(ex.id)).steps[0]).toMatchObject({ status: 'done', observed: { defaultVersion: 'v1', versions: ['v1'] }, verified: { defaultVersion: 'v2' } });

    // A rerun finds it applied and writes nothing.
    await applyApproved(env.deps(), [ex.id]);
    expect(env.totalWrites()).toBe(1);

    env.emulator.resetStats();
    expect(await rollbackExecution(env.deps(), ex.id)).toMatchObject({ outcome: 'rolled_back', writes: 1 });
    expect(env.writes()).toEqual({ SetDefaultPolicyVersion: 1 });
    // The narrowed version stays, no longer default.
    expect(policy('EcsOperator')).toMatchObject({ defaultVersion: 'v1', versions: [{ versionId: 'v1' }, { versionId: 'v2' }] });
    expect(await rollbackExecution(env.deps(), ex.id)).toMatchObject({ outcome: 'nothing-to-roll-back', writes: 0 });
    expect(await verifyStore(env.store)).toMatchObject({ ok: true });
  });

  it('refuses a narrowing whose document would drop a used action, before any write', async () => {
    const ex = await env.approve('task-1', [narrowEcsOperator(['ecs:DescribeInstances'], ['ecs:DescribeInstances', 'ecs:StartInstance'])]);
    const [result] = await applyApproved(env.deps(), [ex.id]);
    expect(result).toMatchObject({ outcome: 'drift', writes: 0, differences: [expect.stringMatching(/^used action ecs:StartInstance .* no longer be allowed by the narrowed EcsOperator: implicit-deny$/)] });
    expect(env.totalWrites()).toBe(0);
    expect(policy('EcsOperator')).toMatchObject({ defaultVersion: 'v1', versions: [{ versionId: 'v1' }] });
  });

  it('refuses at the 5-version limit without deleting a version; drift when the default moved', async () => {
    const p = policy('EcsOperator')!;
    for (const n of [2, 3, 4, 5]) p.versions.push({ versionId: `v${n}`, document: doc(['ecs:*']), createDate: env.clock.now() });
    await env.approve('task-full', [narrowEcsOperator()]);
    expect(await applyApproved(env.deps())).toMatchObject([
      { outcome: 'drift', differences: ['policy EcsOperator has 5 versions (the RAM limit); delete an old non-default version, then retry'] },
    ]);
    expect(p.versions).toHaveLength(5);

    p.defaultVersion = 'v3';
    await env.approve('task-moved', [narrowEcsOperator()]);
    expect(await applyApproved(env.deps())).toMatchObject([{ outcome: 'drift', differences: expect.arrayContaining(['defaultVersion: approved "v1", live "v3"']) }]);
    expect(env.totalWrites()).toBe(0);
  });
});

describe('replacing a system policy (attach-policy, then detach-policy)', () => {
  it('creates and attaches the custom policy, detaches the system one; rollback re-attaches the system one, detaches and deletes the custom one', async () => {
    const ex = await env.approve('task-1', replaceOssReadOnly());
    expect(await applyApproved(env.deps(), [ex.id])).toMatchObject([{ outcome: 'applied', writes: 2 }]);
    expect(env.writes()).toEqual({ CreatePolicy: 1, AttachPolicyToUser: 1, DetachPolicyFromUser: 1 });
    expect(policy('ramparts-analyst-xu-oss')).toMatchObject({ description: 'AliyunOSSReadOnlyAccess narrowed to the actions analyst-xu used', defaultVersion: 'v1' });
    expect(attached('analyst-xu', 'ramparts-analyst-xu-oss', 'Custom')).toBe(true);
    expect(attached('analyst-xu', 'AliyunOSSReadOnlyAccess', 'System')).toBe(false);

    env.emulator.resetStats();
    const r = await rollbackExecution(env.deps(), ex.id);
    expect(r).toMatchObject({ outcome: 'rolled_back', steps: [{ step: 1, outcome: 'rolled_back' }, { step: 0, outcome: 'rolled_back' }] });
    expect(env.writes()).toEqual({ AttachPolicyToUser: 1, DetachPolicyFromUser: 1, DeletePolicy: 1 });
    expect(attached('analyst-xu', 'AliyunOSSReadOnlyAccess', 'System')).toBe(true);
    expect(attached('analyst-xu', 'ramparts-analyst-xu-oss', 'Custom')).toBe(false);
    expect(policy('ramparts-analyst-xu-oss')).toBeUndefined();
    expect((await env.execution(ex.id)).state).toBe('rolled_back');
    expect(await verifyStore(env.store)).toMatchObject({ ok: true });
  });

  it('keeps the generated policy on rollback when someone else holds it too', async () => {
    const ex = await env.approve('task-1', replaceOssReadOnly());
    await applyApproved(env.deps(), [ex.id]);
    env.emulator.state.attach({ principalType: 'user', principalName: 'ops-wu', policyType: 'Custom', policyName: 'ramparts-analyst-xu-oss', attachDate: env.clock.now() });
    env.emulator.resetStats();
    expect(await rollbackExecution(env.deps(), ex.id)).toMatchObject({ outcome: 'rolled_back' });
    expect(env.writes()).toEqual({ AttachPolicyToUser: 1, DetachPolicyFromUser: 1 });
    expect(policy('ramparts-analyst-xu-oss')).toBeDefined();
  });

  it('a same-named custom policy with another document is refused (name clash), nothing written', async () => {
    const [first] = replaceOssReadOnly();
    const clashing = { ...first, target: { ...first!.target, policyName: 'CiDeployOss' } } as PlanStep;
    await env.approve('task-1', [clashing, replaceOssReadOnly()[1]!]);
    expect(await applyApproved(env.deps())).toMatchObject([{ outcome: 'drift', differences: [expect.stringMatching(/^custom policy CiDeployOss already exists with a different document \(name clash\)/)] }]);
    expect(env.totalWrites()).toBe(0);
  });

  it('a rerun after a crash between the two steps writes nothing twice', async () => {
    const ex = await env.approve('task-1', replaceOssReadOnly());
    // Dies after step 0's write went through, before it was recorded, and before step 1 began.
    let crashed = false;
    const hooks = {
      afterWrite: ({ step }: { step: number }) => {
        if (!crashed && step === 0) {
          crashed = true;
          throw new Error('crash after step 0');
        }
      },
    };
    await expect(applyApproved(env.deps({ hooks, runner: 'dead' }), [ex.id])).rejects.toThrow('crash after step 0');
    expect((await env.execution(ex.id)).steps.map((s) => s.status)).toEqual(['intent', 'pending']);
    expect(env.writes()).toEqual({ CreatePolicy: 1, AttachPolicyToUser: 1 });

    env.clock.advanceMinutes(11);
    expect(await applyApproved(env.deps({ runner: 'rescuer' }), [ex.id])).toMatchObject([{ outcome: 'applied', writes: 1 }]);
    expect(env.writes()).toEqual({ CreatePolicy: 1, AttachPolicyToUser: 1, DetachPolicyFromUser: 1 });
    const after = await env.execution(ex.id);
    expect(after.steps.map((s) => s.status)).toEqual(['done', 'done']);
    expect(after.steps[0]?.note).toMatch(/already applied when resumed/);

    // Step 0 recorded, step 1 not yet begun: the same.
    env.emulator.resetStats();
    await rollbackExecution(env.deps(), ex.id);
    const ex2 = await env.approve('task-2', replaceOssReadOnly());
    let crashed2 = false;
    const before = {
      beforeWrite: ({ step }: { step: number }) => {
        if (!crashed2 && step === 1) {
          crashed2 = true;
          throw new Error('crash before step 1');
        }
      },
    };
    env.emulator.resetStats();
    await expect(applyApproved(env.deps({ hooks: before, runner: 'dead2' }), [ex2.id])).rejects.toThrow('crash before step 1');
    env.clock.advanceMinutes(11);
    expect(await applyApproved(env.deps({ runner: 'rescuer2' }), [ex2.id])).toMatchObject([{ outcome: 'applied', writes: 1 }]);
    expect(env.writes()).toEqual({ CreatePolicy: 1, AttachPolicyToUser: 1, DetachPolicyFromUser: 1 });
    expect(await verifyStore(env.store)).toMatchObject({ ok: true });
  });

  it('observe mode records the calls and writes nothing', async () => {
    await env.approve('task-1', replaceOssReadOnly());
    expect(await applyApproved(env.deps({ mode: 'observe' }))).toMatchObject([
      {
        outcome: 'observed',
        wouldApply: [
          'RAM CreatePolicy Custom:ramparts-analyst-xu-oss (unless present) + AttachPolicyToUser Custom:ramparts-analyst-xu-oss to analyst-xu',
          'RAM DetachPolicyFromUser System:AliyunOSSReadOnlyAccess from analyst-xu',
        ],
      },
    ]);
    expect(env.totalWrites()).toBe(0);
  });
});

describe('emulator: the policy calls the handlers rely on', () => {
  const custom = (policyName: string) => ({ policyName, policyType: 'Custom' });

  it('CreatePolicy / DeletePolicy, reflected by GetPolicy, ListPolicyVersions and ListEntitiesForPolicy', async () => {
    const ram = env.clients.ram;
    const created = await ram.createPolicy(new $Ram.CreatePolicyRequest({ policyName: 'gen-1', policyDocument: doc(['ecs:DescribeInstances']), description: 'generated' }));
    expect(created.body?.policy).toMatchObject({ policyName: 'gen-1', policyType: 'Custom', defaultVersion: 'v1', description: 'generated' });
    expect((await ram.getPolicy(new $Ram.GetPolicyRequest(custom('gen-1')))).body).toMatchObject({
      policy: { attachmentCount: 0, policyDocument: doc(['ecs:DescribeInstances']) },
      defaultPolicyVersion: { versionId: 'v1', isDefaultVersion: true },
    });
    expect((await ram.listPolicyVersions(new $Ram.ListPolicyVersionsRequest(custom('gen-1')))).body?.policyVersions?.policyVersion).toHaveLength(1);
    await expect(ram.createPolicy(new $Ram.CreatePolicyRequest({ policyName: 'gen-1', policyDocument: doc(['ecs:*']) }))).rejects.toMatchObject({ code: 'EntityAlreadyExists.Policy' });

    await ram.attachPolicyToUser(new $Ram.AttachPolicyToUserRequest({ userName: 'analyst-xu', ...custom('gen-1') }));
    expect((await ram.listEntitiesForPolicy(new $Ram.ListEntitiesForPolicyRequest(custom('gen-1')))).body?.users?.user?.map((u) => u.userName)).toEqual(['analyst-xu']);
    await expect(ram.deletePolicy(new $Ram.DeletePolicyRequest({ policyName: 'gen-1' }))).rejects.toMatchObject({ code: 'DeleteConflict.Policy.User' });
    await ram.detachPolicyFromUser(new $Ram.DetachPolicyFromUserRequest({ userName: 'analyst-xu', ...custom('gen-1') }));
    await ram.createPolicyVersion(new $Ram.CreatePolicyVersionRequest({ policyName: 'gen-1', policyDocument: doc(['ecs:StartInstance']) }));
    await expect(ram.deletePolicy(new $Ram.DeletePolicyRequest({ policyName: 'gen-1' }))).rejects.toMatchObject({ code: 'DeleteConflict.Policy.Version' });
    await ram.deletePolicy(new $Ram.DeletePolicyRequest({ policyName: 'gen-1', cascadingDelete: true }));
    await expect(ram.getPolicy(new $Ram.GetPolicyRequest(custom('gen-1')))).rejects.toMatchObject({ code: 'EntityNotExist.Policy' });
    await expect(ram.deletePolicy(new $Ram.DeletePolicyRequest({ policyName: 'gen-1' }))).rejects.toMatchObject({ code: 'EntityNotExist.Policy' });
  });

  it('CreatePolicy rejects a malformed document and a bad name', async () => {
    const ram = env.clients.ram;
    await expect(ram.createPolicy(new $Ram.CreatePolicyRequest({ policyName: 'gen-2', policyDocument: '{"Version":"1","Statement":[]}' }))).rejects.toMatchObject({ code: 'MalformedPolicyDocument' });
    await expect(ram.createPolicy(new $Ram.CreatePolicyRequest({ policyName: 'bad name!', policyDocument: doc(['ecs:*']) }))).rejects.toMatchObject({ code: 'InvalidParameter.PolicyName' });
    expect(env.emulator.state.policy('Custom', 'gen-2')).toBeUndefined();
  });
});
