/**
 * The FC `scan` function: a timer event and an FC context in, the scan summary out, against the demo
 * account on the emulator (the endpoint comes from the function's environment, as in a deployment).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { handler } from '../../functions/scan/index.js';
import type { Emulator } from '../../emulator/index.js';
import type { FcContext } from '../../shared/fc/types.js';
import { emulatorWith, NOW, SCANNER } from '../integration/harness.js';

/** FC passes the role's keys; an empty securityToken means a plain access key (no STS session). */
function context(credentials: Partial<FcContext['credentials']> = {}): FcContext {
  return {
    requestId: 'c0ffee00-0000-4000-8000-000000000001',
    region: 'cn-hangzhou',
    accountId: '1234567890123456',
    credentials: { accessKeyId: SCANNER.accessKeyId, accessKeySecret: SCANNER.accessKeySecret, securityToken: '', ...credentials },
    function: { name: 'ramparts-scan', handler: 'index.handler', memory: 512, timeout: 600 },
  };
}

const timerEvent = (triggerTime: string, triggerName = 'daily') => Buffer.from(JSON.stringify({ triggerTime, triggerName, payload: '{"job":"scan"}' }));

interface Summary {
  account: { id: string; alias: string | null };
  scannedAt: string;
  partial: boolean;
  findings: number;
  bySeverity: Record<string, number>;
  apiCalls: number;
}

let emulator: Emulator;
/** The function logs on stderr (SLS collects it); captured so the test can read the log line. */
let stderr: MockInstance<typeof process.stderr.write>;
let logged: string;

beforeAll(async () => {
  emulator = await emulatorWith('demo');
});

afterAll(async () => {
  await emulator.close();
});

let configFile: string;
let stdout: MockInstance<typeof process.stdout.write>;
let printed: string;

beforeEach(() => {
  // The review step stores tasks in PGlite under a temp folder and prompts on the console (stdout).
  const dir = mkdtempSync(join(tmpdir(), 'ramparts-fn-'));
  configFile = join(dir, 'ramparts.config.yaml');
  writeFileSync(
    configFile,
    [
      `store:\n  dataDir: ${join(dir, 'db')}`,
      'people:\n  - { id: sec.lead, name: Security Lead, groups: [security] }',
      'owners:\n  - { pattern: "build-*", owner: sec.lead }',
      '',
    ].join('\n'),
  );
  vi.stubEnv('RAMPARTS_CLOUD_ENDPOINT', emulator.url);
  vi.stubEnv('RAMPARTS_CONFIG', configFile);
  vi.stubEnv('RAMPARTS_BUTTON_SECRET', 'fake-button-secret-for-tests-0123456789');
  vi.stubEnv('DATABASE_URL', undefined);
  printed = '';
  stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    printed += chunk.toString();
    return true;
  });
  vi.stubEnv('RAMPARTS_LOG_LEVEL', undefined);
  emulator.resetStats();
  logged = '';
  stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    logged += chunk.toString();
    return true;
  });
});

afterEach(() => {
  stderr.mockRestore();
  stdout.mockRestore();
  vi.unstubAllEnvs();
});

describe('scan function', () => {
  it('scans on a timer with the invocation credentials and returns the summary', async () => {
    const triggerTime = NOW.toISOString();
    const summary = (await handler(timerEvent(triggerTime), context())) as Summary;

    expect(summary.account).toMatchObject({ id: '1234567890123456', alias: 'demo-corp' });
    expect(summary.partial).toBe(false);
    expect(summary.findings).toBeGreaterThan(0);
    expect(Object.values(summary.bySeverity).reduce((a, b) => a + b, 0)).toBe(summary.findings);
    expect(summary.bySeverity.critical).toBeGreaterThan(0);
    // The scan's "now" is the trigger time, not the wall clock.
    expect(summary.scannedAt).toBe(triggerTime);
    expect(summary.apiCalls).toBe(emulator.stats().total);
    // Signed with the context's key as a plain access key: the server verified the signature.
    expect(emulator.stats().errors).toEqual({});
  });

  it('logs the findings as one JSON line, without secrets', async () => {
    const summary = (await handler(timerEvent(NOW.toISOString()), context())) as Summary;

    const lines = logged.split('\n').filter((l) => l.includes('"scan finished"'));
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!) as { msg: string; summary: Summary; findings: Array<{ rule: string }> };
    const { review, ...scanSummary } = summary as Summary & { review: unknown };
    expect(review).toBeDefined();
    expect(entry.summary).toEqual(scanSummary);
    expect(entry.findings).toHaveLength(summary.findings);
    expect(logged).not.toContain(SCANNER.accessKeySecret);
  });

  it('judges ages against the trigger time', async () => {
    // Two years later on the same emulated account: every key is older, so more of them are stale.
    const later = new Date(NOW.getTime() + 730 * 86_400_000).toISOString();
    const atTrigger = (await handler(timerEvent(NOW.toISOString()), context())) as Summary;
    const afterTwoYears = (await handler(timerEvent(later), context())) as Summary;

    expect(afterTwoYears.scannedAt).toBe(later);
    expect(afterTwoYears.findings).toBeGreaterThan(atTrigger.findings);
  });

  it('opens review tasks once and prompts owners; a second scan at the same time opens none', async () => {
    const first = (await handler(timerEvent(NOW.toISOString()), context())) as { review: { opened: number; prompted: number } };
    expect(first.review.opened).toBeGreaterThan(0);
    expect(first.review.prompted).toBeGreaterThan(0);
    expect(printed).toContain('access review for account demo-corp');
    // Another trigger (a manual run) at the same time really scans again, and changes nothing.
    const second = (await handler(timerEvent(NOW.toISOString(), 'manual'), context())) as { review: { opened: number; prompted: number } };
    expect(second.review.opened).toBe(0);
    expect(second.review.prompted).toBe(0);
  });

  it('an FC retry of a completed timer run returns its recorded summary without scanning again', async () => {
    const first = await handler(timerEvent(NOW.toISOString()), context());
    const calls = emulator.stats().total;
    printed = '';
    const retry = await handler(timerEvent(NOW.toISOString()), context());
    expect(retry).toEqual(first);
    expect(emulator.stats().total).toBe(calls);
    expect(printed).toBe('');
  });

  it('fails on missing chat secrets before any cloud call', async () => {
    vi.stubEnv('RAMPARTS_BUTTON_SECRET', undefined);
    await expect(handler(timerEvent(NOW.toISOString()), context())).rejects.toThrow(/RAMPARTS_BUTTON_SECRET: is required/);
    expect(emulator.stats().total).toBe(0);
  });

  it('refuses a timer event whose triggerTime is not a time, before any cloud call', async () => {
    const before = emulator.stats().total;
    await expect(handler(timerEvent('yesterday'), context())).rejects.toThrow(/triggerTime "yesterday" is not an ISO-8601 time/);
    expect(emulator.stats().total).toBe(before);
  });

  it('fails when the context credentials are rejected', async () => {
    await expect(handler(timerEvent(NOW.toISOString()), context({ accessKeySecret: 'wrong-secret-not-real' }))).rejects.toThrow(/SignatureDoesNotMatch/);
  });
});
