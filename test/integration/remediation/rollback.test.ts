import { describe, expect, it } from 'vitest';
import { applyApproved, rollbackExecution } from '../../../shared/remediation/index.js';
import { emulatorUser, steps, useEnv, verifyStore, type Env } from './harness.js';

let env: Env;
useEnv((e) => (env = e));

const user = (name: string) => emulatorUser(env, name);

describe('rollback', () => {
  it('restores every step in reverse order, and is idempotent when run twice', async () => {
    const upn = `former-employee-sun@${env.emulator.state.account.defaultDomain}`;
    const ex = await env.approve('task-1', [
      steps.deactivateKey(),
      steps.deleteKey(user('mobile-backend').id),
      steps.disableConsole(upn),
      steps.requireMfa(),
      steps.detachFromUser(),
      steps.removeFromGroup(),
    ]);
    expect(await applyApproved(env.deps(), [ex.id])).toMatchObject([{ outcome: 'applied', writes: 6 }]);
    env.emulator.resetStats();

    const first = await rollbackExecution(env.deps(), ex.id);
    expect(first.outcome).toBe('rolled_back');
    expect(first.steps.map((s) => [s.step, s.outcome])).toEqual([
      [5, 'rolled_back'],
      [4, 'rolled_back'],
      [3, 'rolled_back'],
      [2, 'rolled_back'],
      [1, 'rolled_back'],
      [0, 'rolled_back'],
    ]);
    expect(env.writes()).toEqual({ AddUserToGroup: 1, AttachPolicyToUser: 1, UpdateLoginProfile: 2, RestoreAccessKeyFromRecycleBin: 1, UpdateAccessKey: 1 });
    expect(user('legacy-backup').keys[0]?.status).toBe('Active');
    expect(user('mobile-backend').keys.some((k) => k.id === 'LTAI5tDemoMobileOld00001')).toBe(true);
    expect(user('former-employee-sun').loginProfile?.status).toBe('Active');
    expect(user('ops-wu').loginProfile?.mfaBindRequired).toBe(false);
    expect(env.emulator.state.isAttached('user', 'sre-admin', 'System', 'AdministratorAccess')).toBe(true);
    expect(user('ops-wu').groups.has('developers')).toBe(true);
    const after = await env.execution(ex.id);
    expect(after.state).toBe('rolled_back');
    expect(after.steps.every((s) => s.status === 'rolled_back' && s.rolledBackAt)).toBe(true);

    env.emulator.resetStats();
    expect(await rollbackExecution(env.deps(), ex.id)).toMatchObject({ outcome: 'nothing-to-roll-back', writes: 0 });
    expect(env.emulator.stats().writes).toEqual({});
    expect(await verifyStore(env.store)).toMatchObject({ ok: true });
  });

  it('one step only, with --step', async () => {
    const ex = await env.approve('task-1', [steps.requireMfa(), steps.removeFromGroup()]);
    await applyApproved(env.deps(), [ex.id]);
    const r = await rollbackExecution(env.deps(), ex.id, { step: 1 });
    expect(r.steps).toEqual([{ step: 1, action: 'remove-from-group', outcome: 'rolled_back' }]);
    const after = await env.execution(ex.id);
    expect(after.state).toBe('applied'); // step 0 still applied
    expect(after.steps.map((s) => s.status)).toEqual(['done', 'rolled_back']);
    expect(user('ops-wu').loginProfile?.mfaBindRequired).toBe(true);
    // Again: already rolled back.
    expect((await rollbackExecution(env.deps(), ex.id, { step: 1 })).steps).toEqual([{ step: 1, action: 'remove-from-group', outcome: 'already' }]);
    await expect(rollbackExecution(env.deps(), ex.id, { step: 7 })).rejects.toMatchObject({ code: 'REMEDIATION_BAD_STEP' });
  });

  it('already back in the original state (someone re-added it): done without a write; EntityAlreadyExists counts as done', async () => {
    const ex = await env.approve('task-1', [steps.removeFromGroup(), steps.detachFromUser()]);
    await applyApproved(env.deps(), [ex.id]);
    env.emulator.state.addMember('developers', 'ops-wu', env.clock.now());
    env.emulator.resetStats();
    // The attach answers EntityAlreadyExists (e.g. re-attached after our read): still done.
    const realRead = env.clients.ram.listPoliciesForUser.bind(env.clients.ram);
    let reads = 0;
    env.clients.ram.listPoliciesForUser = async (req) => {
      const res = await realRead(req);
      if (reads++ === 0) env.emulator.state.attach({ principalType: 'user', principalName: 'sre-admin', policyType: 'System', policyName: 'AdministratorAccess', attachDate: env.clock.now() });
      return res;
    };
    const r = await rollbackExecution(env.deps(), ex.id);
    expect(r.outcome).toBe('rolled_back');
    expect(r.steps.map((s) => s.outcome)).toEqual(['rolled_back', 'already']);
    expect(env.writes()).toEqual({ AttachPolicyToUser: 1 });
    expect(env.emulator.stats().errors).toMatchObject({ AttachPolicyToUser: 1 });
  });

  it('observe mode rolls back nothing', async () => {
    const ex = await env.approve('task-1', [steps.requireMfa()]);
    await applyApproved(env.deps(), [ex.id]);
    env.emulator.resetStats();
    const r = await rollbackExecution(env.deps({ mode: 'observe' }), ex.id);
    expect(r).toMatchObject({ outcome: 'observed', writes: 0, steps: [{ outcome: 'would-roll-back', reason: 'RAM UpdateLoginProfile ops-wu MFABindRequired=false' }] });
    expect(env.emulator.stats().writes).toEqual({});
  });
});
