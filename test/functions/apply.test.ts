/**
 * The FC `apply` function: a timer event and an FC context in, the run's summary out. Tasks are
 * approved beforehand through the workflow (owner revokes, manager approves) on the function's PGlite
 * folder; the function signs with the context's credentials against the demo account on the emulator
 * (endpoint from the environment, as in a deployment).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { handler } from '../../functions/apply/index.js';
import type { Emulator } from '../../emulator/index.js';
import { emulatorWith } from '../integration/harness.js';
import { approveRevocations, context, functionEnv, minutesAfterNow, SCANNER, steps, taskStates, timerEvent, type FunctionEnv } from './apply-harness.js';

let emulator: Emulator;
let env: FunctionEnv;
let logged: string;
let printed: string;
let spies: Array<MockInstance<typeof process.stdout.write>>;

beforeEach(async () => {
  emulator = await emulatorWith('demo');
  logged = '';
  printed = '';
  // The function logs on stderr (SLS collects it); the console chat prints cards on stdout.
  spies = [
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      logged += chunk.toString();
      return true;
    }),
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      printed += chunk.toString();
      return true;
    }),
  ];
});

afterEach(async () => {
  for (const s of spies) s.mockRestore();
  vi.unstubAllEnvs();
  await emulator.close();
});

const legacyKey = () => emulator.state.users.get('legacy-backup')?.keys.find((k) => k.id === 'LTAI5tDemoLegacyBkp00001');

/** One approved task: deactivate legacy-backup's active key. */
async function approveKeyRevocation(mode: 'observe' | 'enforce'): Promise<string> {
  env = functionEnv(emulator, mode);
  const [taskId] = await approveRevocations(env, [
    { rule: 'ram.access-key-stale', subject: { type: 'accessKey', id: 'LTAI5tDemoLegacyBkp00001', name: 'LTAI5tDemoLegacyBkp00001', user: 'legacy-backup' }, steps: [steps.deactivateKey()] },
  ]);
  emulator.resetStats();
  return taskId!;
}

// Each step opens the function's PGlite folder again (as separate invocations do): slower than in-memory tests.
describe('apply function', { timeout: 120_000 }, () => {
  it('enforce mode: applies the approved plan once with the invocation credentials; a second run writes nothing', async () => {
    const taskId = await approveKeyRevocation('enforce');
    expect(legacyKey()?.status).toBe('Active');

    const first = await handler(timerEvent(minutesAfterNow(10)), context());
    expect(first).toMatchObject({ mode: 'enforce', runner: 'fc-c0ffee00-0000-4000-8000-0000000000a1', executions: { applied: 1 }, writes: 1, failures: 0 });
    expect(first.tasks).toEqual({ applied: 1, observed: 0, drift: 0, failed: 0, rolledBack: 0 });
    expect(legacyKey()?.status).toBe('Inactive');
    expect(emulator.stats().writes).toEqual({ UpdateAccessKey: 1 });
    // Signed with the context's key: the emulator verified every signature.
    expect(emulator.stats().errors).toEqual({});
    expect(await taskStates(env)).toEqual({ [taskId]: 'applied' });
    expect(printed).toContain('legacy-backup');

    emulator.resetStats();
    const second = await handler(timerEvent(minutesAfterNow(20)), context(undefined, 'c0ffee00-0000-4000-8000-0000000000a2'));
    expect(second).toMatchObject({ mode: 'enforce', executions: {}, rollbacks: {}, writes: 0 });
    expect(second.tasks).toEqual({ applied: 0, observed: 0, drift: 0, failed: 0, rolledBack: 0 });
    expect(emulator.stats().total).toBe(0);
    expect(legacyKey()?.status).toBe('Inactive');
  });

  it('observe mode: records what it would call and makes no write call', async () => {
    const taskId = await approveKeyRevocation('observe');

    const summary = await handler(timerEvent(minutesAfterNow(10)), context());
    expect(summary).toMatchObject({ mode: 'observe', executions: { observed: 1 }, writes: 0 });
    expect(summary.tasks.observed).toBe(1);
    expect(emulator.stats().writes).toEqual({});
    expect(emulator.stats().calls.ListAccessKeys).toBeGreaterThan(0); // the live state was re-read
    expect(legacyKey()?.status).toBe('Active');
    // The task waits for enforce mode.
    expect(await taskStates(env)).toEqual({ [taskId]: 'approved' });

    // Switched to enforce, the next run applies it.
    env.setMode('enforce');
    const enforced = await handler(timerEvent(minutesAfterNow(20)), context());
    expect(enforced).toMatchObject({ mode: 'enforce', executions: { applied: 1 }, writes: 1 });
    expect(legacyKey()?.status).toBe('Inactive');
  });

  it('signs with the STS session FC passes, and logs one summary line without secrets', async () => {
    await approveKeyRevocation('enforce');
    const token = 'fake-sts-token-not-real-0001';
    const summary = await handler(timerEvent(minutesAfterNow(10)), context({ securityToken: token }));
    expect(summary.writes).toBe(1);
    const lines = logged.split('\n').filter((l) => l.includes('"apply finished"'));
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!) as { summary: unknown; executions: Array<{ outcome: string; writes: number }> };
    expect(entry.summary).toEqual(summary);
    expect(entry.executions).toEqual([expect.objectContaining({ outcome: 'applied', writes: 1 })]);
    for (const secret of [SCANNER.accessKeySecret, token, 'fake-button-secret-for-tests-0123456789']) expect(logged).not.toContain(secret);
  });

  it('a rejected credential defers the plan without a write; the next run resumes and applies it once', async () => {
    const taskId = await approveKeyRevocation('enforce');

    const rejected = await handler(timerEvent(minutesAfterNow(10)), context({ accessKeySecret: 'wrong-secret-not-real' }));
    expect(rejected).toMatchObject({ executions: { deferred: 1 }, writes: 0 });
    expect(emulator.stats().errors).toMatchObject({ ListAccessKeys: expect.any(Number) });
    expect(emulator.stats().writes).toEqual({});
    expect(await taskStates(env)).toEqual({ [taskId]: 'approved' });

    const resumed = await handler(timerEvent(minutesAfterNow(20)), context());
    expect(resumed).toMatchObject({ executions: { applied: 1 }, writes: 1 });
    expect(emulator.stats().writes).toEqual({ UpdateAccessKey: 1 });
    expect(await taskStates(env)).toEqual({ [taskId]: 'applied' });
  });

  it('fails on missing chat secrets before opening the store or calling the cloud', async () => {
    await approveKeyRevocation('enforce');
    vi.stubEnv('RAMPARTS_BUTTON_SECRET', undefined);
    await expect(handler(timerEvent(minutesAfterNow(10)), context())).rejects.toThrow(/RAMPARTS_BUTTON_SECRET: is required/);
    expect(emulator.stats().total).toBe(0);
    expect(legacyKey()?.status).toBe('Active');
  });

  it('fails on a bad config before any work', async () => {
    await approveKeyRevocation('enforce');
    writeFileSync(env.configFile, readFileSync(env.configFile, 'utf8').replace('"mode": "enforce"', '"mode": "enforced"'));
    await expect(handler(timerEvent(minutesAfterNow(10)), context())).rejects.toThrow(/remediation\.mode: must be observe or enforce/);
    expect(emulator.stats().total).toBe(0);
    expect(legacyKey()?.status).toBe('Active');
  });

  it('refuses a timer event whose triggerTime is not a time, before any work', async () => {
    await approveKeyRevocation('enforce');
    await expect(handler(timerEvent('yesterday'), context())).rejects.toThrow(/triggerTime "yesterday" is not an ISO-8601 time/);
    expect(emulator.stats().total).toBe(0);
  });
});
