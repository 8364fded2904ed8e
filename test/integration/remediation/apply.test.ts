import { describe, expect, it } from 'vitest';
import type { PlanStep } from '../../../shared/domain/remediation.js';
import { applyApproved, handlerFor } from '../../../shared/remediation/index.js';
import { emulatorUser, steps, useEnv, verifyStore, type Env } from './harness.js';

let env: Env;
useEnv((e) => (env = e));

const user = (name: string) => emulatorUser(env, name);
const upn = (name: string) => `${name}@${env.emulator.state.account.defaultDomain}`;

describe('each step applies, verifies and changes the emulated account', () => {
  const cases: Array<[string, () => PlanStep, Record<string, number>, () => boolean]> = [
    ['deactivate-access-key', () => steps.deactivateKey(), { UpdateAccessKey: 1 }, () => user('legacy-backup').keys[0]?.status === 'Inactive'],
    ['delete-access-key', () => steps.deleteKey(user('mobile-backend').id), { DeleteAccessKey: 1 }, () => !user('mobile-backend').keys.some((k) => k.id === 'LTAI5tDemoMobileOld00001')],
    ['disable-console-login', () => steps.disableConsole(upn('former-employee-sun')), { UpdateLoginProfile: 1 }, () => user('former-employee-sun').loginProfile?.status === 'Inactive'],
    ['require-mfa', () => steps.requireMfa(), { UpdateLoginProfile: 1 }, () => user('ops-wu').loginProfile?.mfaBindRequired === true],
    ['detach-policy', () => steps.detachFromUser(), { DetachPolicyFromUser: 1 }, () => !env.emulator.state.isAttached('user', 'sre-admin', 'System', 'AdministratorAccess')],
    ['remove-from-group', () => steps.removeFromGroup(), { RemoveUserFromGroup: 1 }, () => !user('ops-wu').groups.has('developers')],
  ];

  it.each(cases)('%s', async (_name, step, writes, changed) => {
    const s = step();
    const ex = await env.approve('task-1', [s]);
    expect(changed()).toBe(false);
    const [result] = await applyApproved(env.deps(), [ex.id]);
    expect(result).toMatchObject({ outcome: 'applied', writes: 1 });
    expect(changed()).toBe(true);
    expect(env.writes()).toEqual(writes);

    const after = await env.execution(ex.id);
    expect(after.state).toBe('applied');
    expect(after.steps[0]).toMatchObject({ status: 'done', error: null });
    expect(after.steps[0]?.intentAt).toBeTruthy();
    expect(after.steps[0]?.doneAt).toBeTruthy();
    expect(handlerFor(s).differences(s, after.steps[0]?.observed ?? {}, { clients: env.clients, now: env.clock.now(), deleteKeyAfterInactiveDays: 14, approvedAt: env.clock.now() })).toEqual([]);
    expect(handlerFor(s).applied(s, after.steps[0]?.verified ?? {})).toBe(true);

    const actions = (await env.audit()).map((e) => e.action);
    expect(actions).toEqual(['remediation.execution.created', 'remediation.claimed', 'remediation.step.intent', 'remediation.step.done', 'remediation.applied']);
    expect(await verifyStore(env.store)).toMatchObject({ ok: true });

    // Applied is final: running again claims nothing and writes nothing.
    expect(await applyApproved(env.deps(), [ex.id])).toMatchObject([{ outcome: 'not-claimable' }]);
    expect(env.totalWrites()).toBe(1);
  });

  it('a plan of several steps applies them in order', async () => {
    const ex = await env.approve('task-1', [steps.requireMfa(), steps.removeFromGroup()]);
    expect(await applyApproved(env.deps())).toMatchObject([{ outcome: 'applied', writes: 2 }]);
    expect(env.writes()).toEqual({ UpdateLoginProfile: 1, RemoveUserFromGroup: 1 });
    expect((await env.execution(ex.id)).steps.map((s) => s.status)).toEqual(['done', 'done']);
  });
});

describe('observe mode', () => {
  it('records what it would do and makes no write call', async () => {
    const ex = await env.approve('task-1', [steps.deactivateKey(), steps.requireMfa(), steps.detachFromUser()]);
    const [result] = await applyApproved(env.deps({ mode: 'observe' }));
    expect(result).toMatchObject({ outcome: 'observed', writes: 0 });
    expect(result?.wouldApply).toEqual([
      'RAM UpdateAccessKey legacy-backup/LTAI5tDemoLegacyBkp00001 Status=Inactive',
      'RAM UpdateLoginProfile ops-wu MFABindRequired=true',
      'RAM DetachPolicyFromUser System:AdministratorAccess from sre-admin',
    ]);
    expect(env.emulator.stats().writes).toEqual({});
    const after = await env.execution(ex.id);
    expect(after).toMatchObject({ state: 'observed', mode: 'observe' });
    expect(after.steps.map((s) => s.status)).toEqual(['pending', 'pending', 'pending']);
    expect(after.steps[0]?.observed).toEqual({ exists: true, status: 'Active' });

    // Switching to enforce later applies the observed plan (with the drift check again).
    expect(await applyApproved(env.deps())).toMatchObject([{ outcome: 'applied', writes: 3 }]);
  });
});

describe('drift', () => {
  it('a key changed between approval and apply: refused, nothing written, recorded with what differed', async () => {
    const ex = await env.approve('task-1', [steps.deactivateKey()]);
    const key = user('legacy-backup').keys[0];
    if (!key) throw new Error('no key');
    key.status = 'Inactive'; // someone changed it after the approver saw it Active
    env.emulator.resetStats();

    const [result] = await applyApproved(env.deps(), [ex.id]);
    expect(result).toMatchObject({ outcome: 'drift', writes: 0, differences: ['status: approved "Active", live "Inactive"'] });
    expect(env.emulator.stats().writes).toEqual({});
    const after = await env.execution(ex.id);
    expect(after.state).toBe('drift');
    expect(after.steps[0]).toMatchObject({ status: 'refused', observed: { exists: true, status: 'Inactive' } });
    const drift = (await env.audit()).find((e) => e.action === 'remediation.drift');
    expect(drift?.data).toMatchObject({ expected: { status: 'Active' }, observed: { status: 'Inactive' }, differences: [expect.stringContaining('status')] });
    expect(drift?.subject).toBe('task-1');
    expect(await verifyStore(env.store)).toMatchObject({ ok: true });
  });

  it('a vanished principal is drift too', async () => {
    await env.approve('task-1', [steps.removeFromGroup('ops-wu', 'developers')]);
    env.emulator.state.removeMember('developers', 'ops-wu');
    expect(await applyApproved(env.deps())).toMatchObject([{ outcome: 'drift', differences: ['member: approved true, live false'] }]);
    expect(env.totalWrites()).toBe(0);
  });
});

describe('refusals', () => {
  it('protected principals are never written to (break-glass user, root, own role ARN case-insensitively)', async () => {
    const a = await env.approve('task-a', [steps.requireMfa(), steps.detachFromUser('sre-admin')]);
    const b = await env.approve('task-b', [steps.deactivateKey('root', 'LTAI5tDemoRootKey00000001')]);
    const c = await env.approve('task-c', [
      { action: 'detach-policy', target: { principalType: 'role', principalName: 'break-glass-admin', policyName: 'AdministratorAccess', policyType: 'System' }, expect: { attached: true }, rollback: { call: 'AttachPolicyTo', principalType: 'role' } },
    ]);
    const results = await applyApproved(
      env.deps({ protectedPrincipals: { breakGlassUsers: ['SRE-Admin'], roleArns: ['acs:ram::1234567890123456:role/Break-Glass-Admin'] } }),
    );
    expect(results.map((r) => [r.taskId, r.outcome])).toEqual([
      ['task-a', 'refused'],
      ['task-b', 'refused'],
      ['task-c', 'refused'],
    ]);
    expect(results[0]?.reason).toMatch(/sre-admin is a break-glass user/);
    expect(results[1]?.reason).toMatch(/root account/);
    expect(results[2]?.reason).toMatch(/ramparts' own roles/);
    expect(env.emulator.stats().writes).toEqual({});
    // The whole plan is refused before anything runs: not even its unprotected first step.
    expect((await env.execution(a.id)).steps.map((s) => s.status)).toEqual(['pending', 'refused']);
    expect((await env.execution(b.id)).state).toBe('refused');
    expect((await env.execution(c.id)).state).toBe('refused');
  });

  it('narrow-policy of a custom policy that does not exist is drift, nothing written (the rest: narrow.test.ts)', async () => {
    await env.approve('task-1', [
      {
        action: 'narrow-policy',
        target: { policyName: 'OssAll', document: '{"Version":"1","Statement":[{"Effect":"Allow","Action":"oss:GetObject","Resource":"*"}]}' },
        expect: { defaultVersion: 'v1' },
        proof: { used: ['oss:GetObject'], window: { from: '2026-03-01T00:00:00Z', to: '2026-06-01T00:00:00Z' } },
        rollback: { call: 'SetDefaultPolicyVersion', versionId: 'v1' },
      },
    ]);
    expect(await applyApproved(env.deps())).toMatchObject([{ outcome: 'drift', differences: ['custom policy OssAll no longer exists'] }]);
    expect(env.totalWrites()).toBe(0);
  });

  it('delete-access-key waits for N days inactive with no use since', async () => {
    const id = user('mobile-backend').id;
    await env.approve('task-young', [steps.deleteKey(id, 3)]);
    expect(await applyApproved(env.deps())).toMatchObject([{ outcome: 'refused', reason: expect.stringContaining('inactive 3 days, deletion needs 14') }]);

    // Inactive long enough on paper, but used since.
    await env.approve('task-used', [steps.deleteKey(id, 500)]);
    expect(await applyApproved(env.deps())).toMatchObject([{ outcome: 'refused', reason: expect.stringContaining('after it became inactive') }]);

    // An Active key is drift, never deleted.
    await env.approve('task-active', [{ ...steps.deleteKey(id, 30), target: { userName: 'legacy-backup', userId: user('legacy-backup').id, accessKeyId: 'LTAI5tDemoLegacyBkp00001' } } as PlanStep]);
    expect(await applyApproved(env.deps())).toMatchObject([{ outcome: 'drift' }]);
    expect(env.totalWrites()).toBe(0);
  });
});

describe('blast radius and concurrency', () => {
  it('at most maxPerRun plans per run; the rest wait for the next run', async () => {
    for (let i = 0; i < 3; i++) await env.approve(`task-${i}`, [steps.removeFromGroup(['ops-wu', 'alice.chen', 'bob.li'][i], 'developers')]);
    const first = await applyApproved(env.deps({ maxPerRun: 2 }));
    expect(first.map((r) => r.outcome)).toEqual(['applied', 'applied', 'over-limit']);
    expect(env.totalWrites()).toBe(2);
    const second = await applyApproved(env.deps({ maxPerRun: 2 }));
    expect(second.map((r) => [r.taskId, r.outcome])).toEqual([['task-2', 'applied']]);
    expect(env.totalWrites()).toBe(3);
  });

  it('20 simultaneous runs on one approved plan apply it once', async () => {
    const ex = await env.approve('task-1', [steps.deactivateKey(), steps.removeFromGroup()]);
    const runs = await Promise.all(Array.from({ length: 20 }, (_, i) => applyApproved(env.deps({ runner: `runner-${i}` }), [ex.id])));
    const outcomes = runs.flat().map((r) => r.outcome);
    expect(outcomes.filter((o) => o === 'applied')).toHaveLength(1);
    expect(outcomes.filter((o) => o !== 'applied').every((o) => o === 'busy' || o === 'not-claimable')).toBe(true);
    expect(env.writes()).toEqual({ UpdateAccessKey: 1, RemoveUserFromGroup: 1 });
    expect((await env.audit()).filter((e) => e.action === 'remediation.claimed')).toHaveLength(1);
    expect(await verifyStore(env.store)).toMatchObject({ ok: true });
  });
});
