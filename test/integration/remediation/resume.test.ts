/**
 * Crash and resume: a run dies before the RAM call, after it but before recording, or during the
 * read-back; a later run (once the dead runner's lease has passed) ends with exactly one write per
 * step and a ledger that verifies.
 */
import { describe, expect, it } from 'vitest';
import { applyApproved } from '../../../shared/remediation/index.js';
import type { ExecutorHooks } from '../../../shared/remediation/types.js';
import { steps, useEnv, verifyStore, type Env } from './harness.js';

let env: Env;
useEnv((e) => (env = e));

class Crash extends Error {}

/** Throws at `point` once, for step `onStep`. */
function crashOnce(point: keyof ExecutorHooks, onStep = 0): ExecutorHooks {
  let done = false;
  return {
    [point]: ({ step }: { step: number }) => {
      if (!done && step === onStep) {
        done = true;
        throw new Crash(`crash at ${point}`);
      }
    },
  };
}

const plan = () => [steps.deactivateKey(), steps.requireMfa(), steps.removeFromGroup()];
const ONE_EACH = { UpdateAccessKey: 1, UpdateLoginProfile: 1, RemoveUserFromGroup: 1 };

describe.each([
  ['before the RAM call', 'beforeWrite', 0],
  ['after the RAM call, before recording', 'afterWrite', 1],
  ['during verification', 'beforeVerify', 2],
] as const)('a crash %s', (_label, point, onStep) => {
  it('a rerun resumes with exactly one write per step', async () => {
    const ex = await env.approve('task-1', plan());
    const hooks = crashOnce(point, onStep);
    await expect(applyApproved(env.deps({ hooks, runner: 'dead' }), [ex.id])).rejects.toBeInstanceOf(Crash);
    const stuck = await env.execution(ex.id);
    expect(stuck).toMatchObject({ state: 'applying', claimedBy: 'dead' });
    expect(stuck.steps[onStep]?.status).toBe('intent');

    // While the dead runner's lease holds, nobody takes it over.
    expect(await applyApproved(env.deps({ hooks, runner: 'early' }), [ex.id])).toMatchObject([{ outcome: 'busy' }]);

    env.clock.advanceMinutes(11);
    const [result] = await applyApproved(env.deps({ hooks, runner: 'rescuer' }), [ex.id]);
    expect(result?.outcome).toBe('applied');
    expect(env.writes()).toEqual(ONE_EACH);
    const after = await env.execution(ex.id);
    expect(after.steps.map((s) => s.status)).toEqual(['done', 'done', 'done']);
    if (point !== 'beforeWrite') expect(after.steps[onStep]?.note).toMatch(/already applied when resumed/);
    expect(await verifyStore(env.store)).toMatchObject({ ok: true });
    const claims = (await env.audit()).filter((e) => e.action === 'remediation.claimed');
    expect(claims.map((c) => c.data.runner)).toEqual(['dead', 'rescuer']);
  });
});

describe('a write whose response is lost (applied, then 503)', () => {
  it('is recognised by the read-back and not sent again', async () => {
    env.emulator.setFaults({ failAfterApply: { UpdateAccessKey: { times: 1 }, RemoveUserFromGroup: { times: 1 } } });
    const ex = await env.approve('task-1', plan());
    const [result] = await applyApproved(env.deps(), [ex.id]);
    expect(result?.outcome).toBe('applied');
    expect(env.writes()).toEqual(ONE_EACH);
    const after = await env.execution(ex.id);
    expect(after.steps[0]?.note).toMatch(/shows it applied/);
    expect(await verifyStore(env.store)).toMatchObject({ ok: true });
    // A rerun finds nothing to do.
    await applyApproved(env.deps(), [ex.id]);
    expect(env.writes()).toEqual(ONE_EACH);
  });

  it('a write that really failed with a server error is deferred and retried by the next run', async () => {
    env.emulator.setFaults({ failActions: { UpdateAccessKey: { code: 'ServiceUnavailable', status: 503, times: 1 } } });
    const ex = await env.approve('task-1', plan());
    expect(await applyApproved(env.deps(), [ex.id])).toMatchObject([{ outcome: 'deferred' }]);
    expect((await env.execution(ex.id)).state).toBe('pending');
    expect(await applyApproved(env.deps(), [ex.id])).toMatchObject([{ outcome: 'applied' }]);
    expect((await env.execution(ex.id)).steps.map((s) => s.status)).toEqual(['done', 'done', 'done']);
    expect(await verifyStore(env.store)).toMatchObject({ ok: true });
  });

  it('a read-back that keeps failing defers the execution; the next run records it done without a second write', async () => {
    const ex = await env.approve('task-1', [steps.deactivateKey()]);
    const hooks: ExecutorHooks = {
      // Every attempt of the read-back (the caller retries 6 times) answers 503.
      afterWrite: () => env.emulator.setFaults({ failActions: { ListAccessKeys: { code: 'ServiceUnavailable', status: 503, times: 6 } } }),
    };
    expect(await applyApproved(env.deps({ hooks }), [ex.id])).toMatchObject([{ outcome: 'deferred', reason: expect.stringContaining('ListAccessKeys') }]);
    expect(await env.execution(ex.id)).toMatchObject({ state: 'pending', steps: [{ status: 'intent' }] });
    expect(await applyApproved(env.deps(), [ex.id])).toMatchObject([{ outcome: 'applied', writes: 0 }]);
    expect(env.writes()).toEqual({ UpdateAccessKey: 1 });
    expect(await verifyStore(env.store)).toMatchObject({ ok: true });
  });

  it('a refused write (permission) fails the execution with the reason', async () => {
    env.emulator.setFaults({ failActions: { RemoveUserFromGroup: { code: 'NoPermission', status: 403 } } });
    const ex = await env.approve('task-1', [steps.removeFromGroup()]);
    expect(await applyApproved(env.deps(), [ex.id])).toMatchObject([{ outcome: 'failed', reason: expect.stringContaining('RemoveUserFromGroup') }]);
    expect((await env.execution(ex.id)).steps[0]).toMatchObject({ status: 'failed' });
  });
});
