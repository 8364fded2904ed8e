/**
 * The FC `alert` function: an EventBridge CloudEvent (templates/events/eventbridge-actiontrail.json)
 * posted once however often it is delivered; the timer pulling console sign-ins from the emulator's
 * ActionTrail (root sign-in alerts, a RAM user's first sign-in is the baseline); and its role:
 * templates/ram-policy-alert.json grants exactly the ActionTrail actions the pull calls.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler } from '../../functions/alert/index.js';
import { loadScenario, type Emulator } from '../../emulator/index.js';
import type { FcContext } from '../../shared/fc/types.js';
import { emulatorWith, NOW, SCANNER } from '../integration/harness.js';

const ROOT = new URL('../../', import.meta.url);
const EVENT = readFileSync(new URL('templates/events/eventbridge-actiontrail.json', ROOT));
const POLICY = JSON.parse(readFileSync(new URL('templates/ram-policy-alert.json', ROOT), 'utf8')) as { Statement: Array<{ Action: string[] }> };

function context(requestId: string): FcContext {
  return {
    requestId,
    region: 'cn-hangzhou',
    accountId: '1234567890123456',
    credentials: { accessKeyId: SCANNER.accessKeyId, accessKeySecret: SCANNER.accessKeySecret, securityToken: '' },
    function: { name: 'ramparts-alert', handler: 'index.handler', memory: 512, timeout: 120 },
  };
}

let emulator: Emulator;
let printed: string;
let dir: string;

beforeAll(async () => {
  const scenario = await loadScenario('demo');
  scenario.events = [
    { time: '-5m', identity: 'root', service: 'AasCustomer', event: 'ConsoleSignin', type: 'ConsoleSignin', region: 'cn-hangzhou' },
    { time: '-4m', identity: 'user:ops-wu', service: 'AasSub', event: 'ConsoleSignin', type: 'ConsoleSignin', region: 'cn-hangzhou' },
    // An hour ago: outside the first pull's window.
    { time: '-60m', identity: 'root', service: 'AasCustomer', event: 'ConsoleSignin', type: 'ConsoleSignin', region: 'cn-hangzhou' },
    { time: '-3m', identity: 'user:ops-wu', service: 'Ecs', event: 'StartInstance', region: 'cn-hangzhou' },
  ] as typeof scenario.events;
  emulator = await emulatorWith(scenario);
});
afterAll(async () => emulator.close());

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ramparts-alert-fn-'));
  writeFileSync(
    join(dir, 'ramparts.config.yaml'),
    [`store:\n  dataDir: ${join(dir, 'db')}`, 'people:\n  - { id: sec.lead, name: Security Lead, groups: [security] }', 'cloud: { maxAttempts: 2, retryBaseDelayMs: 1, retryMaxDelayMs: 5 }', ''].join('\n'),
  );
  vi.stubEnv('RAMPARTS_CLOUD_ENDPOINT', emulator.url);
  vi.stubEnv('RAMPARTS_CONFIG', join(dir, 'ramparts.config.yaml'));
  vi.stubEnv('RAMPARTS_BUTTON_SECRET', 'fake-button-secret-for-tests-0123456789');
  vi.stubEnv('DATABASE_URL', undefined);
  emulator.resetStats();
  printed = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    printed += chunk.toString();
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe('alert function', () => {
  it('posts an EventBridge ActionTrail event to the security channel once, however often it is delivered; no cloud call', async () => {
    const first = await handler(EVENT, context('eb-1'));
    expect(first).toMatchObject({ records: 1, alerted: 1, duplicates: 0, outcomes: [{ eventId: '7c1f6a3e-0000-4000-8000-000000000001', outcome: 'alerted', type: 'access-key-created' }] });
    expect(printed).toContain('── security notice ──');
    expect(printed).toContain('Access key created for user report-bot by user ops-wu, outside the trusted pipeline');

    printed = '';
    const again = await handler(EVENT, context('eb-2'));
    expect(again).toMatchObject({ records: 1, alerted: 0, duplicates: 1 });
    expect(printed).not.toContain('security notice');
    expect(emulator.stats().total).toBe(0);
  });

  it('refuses an event that is not ActionTrail records, naming what is wrong', async () => {
    await expect(handler(Buffer.from(JSON.stringify({ hello: 'world' })), context('bad'))).rejects.toThrow(/^event\.eventId is missing or malformed/);
  });

  it('the timer pulls console sign-ins since the last pull: root alerts, a RAM user’s first sign-in is the baseline', async () => {
    const timer = (at: Date) => Buffer.from(JSON.stringify({ triggerTime: at.toISOString(), triggerName: 'signins', payload: '{"job":"alert"}' }));
    const first = await handler(timer(NOW), context('t-1'));
    expect(first.pull).toMatchObject({ to: expect.any(String), region: 'cn-hangzhou' });
    expect(first.outcomes.map((o) => o.outcome)).toEqual(['alerted', 'baseline']);
    expect(printed).toContain('Root account signed in to the console');

    // Five minutes later: the overlap re-reads both sign-ins, and nothing is posted twice.
    printed = '';
    const next = await handler(timer(new Date(NOW.getTime() + 5 * 60_000)), context('t-2'));
    expect(next.outcomes.map((o) => o.outcome)).toEqual(['duplicate', 'duplicate']);
    expect(printed).not.toContain('security notice');

    // Its role needs exactly templates/ram-policy-alert.json.
    const called = Object.keys(emulator.stats().byProduct.actiontrail?.calls ?? {}).map((a) => `actiontrail:${a}`);
    expect(called.sort()).toEqual(POLICY.Statement.flatMap((s) => s.Action).sort());
  });
});
