/**
 * The scan function over many accounts, on the emulator's `multi-account` scenario: the timer run
 * queues one worker per member (the invoker records them, as FC would queue them), each worker scans
 * its member through the member's role and syncs that member's tasks, retries replay instead of
 * scanning twice, and an event cannot make a worker assume a role the configuration does not name.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createScanHandler, type ScanResult } from '../../functions/scan/index.js';
import type { Emulator } from '../../emulator/index.js';
import type { AsyncInvoker } from '../../shared/fc/invoke-async.js';
import type { FanOutSummary } from '../../shared/fc/scan-fanout.js';
import type { ScanFunctionSummary } from '../../shared/fc/summaries.js';
import type { FcContext } from '../../shared/fc/types.js';
import { emulatorWith, NOW, SCANNER } from '../integration/harness.js';

const MANAGEMENT = '1000000000000001';
const PROD = '2000000000000002';
const DEV = '3000000000000003';
const LEGACY = '4000000000000004';
const SANDBOX = '5000000000000005';

function context(requestId = 'c0ffee00-0000-4000-8000-000000000002'): FcContext {
  return {
    requestId,
    region: 'cn-hangzhou',
    accountId: MANAGEMENT,
    credentials: { accessKeyId: SCANNER.accessKeyId, accessKeySecret: SCANNER.accessKeySecret, securityToken: '' },
    function: { name: 'ramparts-scan', handler: 'index.handler', memory: 1024, timeout: 900 },
  };
}

const TRIGGER = NOW.toISOString();
const timerEvent = (payload = '{"job":"scan"}') => Buffer.from(JSON.stringify({ triggerTime: TRIGGER, triggerName: 'daily', payload }));

/** Records what FC would queue; `fail` makes the named accounts' invocations fail. */
function recordingInvoker(fail: Set<string> = new Set()) {
  const queued: Array<{ functionName: string; event: Buffer }> = [];
  const invoker: AsyncInvoker = {
    async invokeAsync(functionName, event) {
      const accountId = (JSON.parse(JSON.parse(event.toString()).payload) as { account: { id: string } }).account.id;
      if (fail.has(accountId)) throw new Error(`FC InvokeFunction ${functionName} (async) failed (ServiceUnavailable)`);
      queued.push({ functionName, event });
      return { requestId: `fc-${queued.length}` };
    },
  };
  return { invoker, queued };
}

let emulator: Emulator;
let dir: string;
let logged: string;

beforeAll(async () => {
  emulator = await emulatorWith('multi-account');
});
afterAll(async () => {
  await emulator.close();
});

function configure(accounts: string): void {
  writeFileSync(
    join(dir, 'ramparts.config.yaml'),
    [
      `store:\n  dataDir: ${join(dir, 'db')}`,
      'activity: { source: none }',
      'cloud: { maxAttempts: 2, retryBaseDelayMs: 1, retryMaxDelayMs: 5 }',
      'people:\n  - { id: sec.lead, name: Security Lead, groups: [security] }',
      'owners:\n  - { pattern: "*", owner: sec.lead }',
      `accounts: ${accounts}`,
      '',
    ].join('\n'),
  );
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ramparts-fanout-'));
  configure('{ mode: resource-directory }');
  vi.stubEnv('RAMPARTS_CLOUD_ENDPOINT', emulator.url);
  vi.stubEnv('RAMPARTS_CONFIG', join(dir, 'ramparts.config.yaml'));
  vi.stubEnv('RAMPARTS_BUTTON_SECRET', 'fake-button-secret-for-tests-0123456789');
  vi.stubEnv('DATABASE_URL', undefined);
  vi.stubEnv('RAMPARTS_LOG_LEVEL', 'info');
  emulator.resetStats();
  logged = '';
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    logged += chunk.toString();
    return true;
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

const isFanOut = (r: ScanResult): r is FanOutSummary => 'mode' in r && r.mode === 'fan-out';

describe('scan function, many accounts', () => {
  it('the timer run queues one worker per active member of the Resource Directory, and scans none itself', async () => {
    const { invoker, queued } = recordingInvoker();
    const handler = createScanHandler({ invoker: () => invoker });

    const result = await handler(timerEvent(), context());

    expect(isFanOut(result)).toBe(true);
    const summary = result as FanOutSummary;
    expect(summary.invoked.map((i) => i.accountId)).toEqual([PROD, DEV, LEGACY]);
    expect(summary.failed).toEqual([]);
    expect(summary.notes.join('\n')).toContain(SANDBOX);
    // Each worker runs in this same function, with a timer-shaped event keyed by its account.
    expect(queued.map((q) => q.functionName)).toEqual(['ramparts-scan', 'ramparts-scan', 'ramparts-scan']);
    const events = queued.map((q) => JSON.parse(q.event.toString()) as { triggerTime: string; triggerName: string; payload: string });
    expect(events.map((e) => e.triggerName)).toEqual([`daily#${PROD}`, `daily#${DEV}`, `daily#${LEGACY}`]);
    expect(events.every((e) => e.triggerTime === TRIGGER)).toBe(true);
    expect(JSON.parse(events[0]!.payload)).toEqual({ job: 'scan', account: { id: PROD, name: 'prod' } });
    // The event never carries a role: the worker derives it from its configuration.
    expect(queued.map((q) => q.event.toString()).join('')).not.toContain('acs:ram::');
    // The dispatcher listed the members and assumed no role.
    expect(emulator.stats().byProduct.sts?.calls.AssumeRole ?? 0).toBe(0);
    expect(emulator.stats().byProduct.resourcemanager?.calls.ListAccounts).toBeGreaterThan(0);
  });

  it('each worker scans its member through the member role and opens that member’s tasks; a refused role fails that worker only', async () => {
    const { invoker, queued } = recordingInvoker();
    const handler = createScanHandler({ invoker: () => invoker });
    await handler(timerEvent(), context());

    // One after another: FC runs them in parallel on PostgreSQL, but one embedded PGlite folder takes one opener.
    const results: PromiseSettledResult<ScanResult>[] = [];
    for (const [i, q] of queued.entries()) results.push(...(await Promise.allSettled([handler(q.event, context(`worker-${i}`))])));
    const [prod, dev, legacy] = results;
    expect(prod!.status).toBe('fulfilled');
    expect(dev!.status).toBe('fulfilled');
    const prodSummary = (prod as PromiseFulfilledResult<ScanResult>).value as ScanFunctionSummary;
    const devSummary = (dev as PromiseFulfilledResult<ScanResult>).value as ScanFunctionSummary;
    expect(prodSummary.account.id).toBe(PROD);
    expect(devSummary.account.id).toBe(DEV);
    expect(prodSummary.findings).toBeGreaterThan(0);
    expect(prodSummary.review.opened).toBeGreaterThan(0);
    expect(devSummary.review.opened).toBeGreaterThan(0);
    // Never "no findings" for a member that could not be scanned: the worker fails with the reason.
    expect(legacy!.status).toBe('rejected');
    expect(String((legacy as PromiseRejectedResult).reason)).toContain(`cannot assume acs:ram::${LEGACY}:role/ramparts-scan`);
    expect(emulator.stats().writes).toEqual({});
  });

  it('a retried worker returns its recorded result and scans nothing again', async () => {
    const { invoker, queued } = recordingInvoker();
    const handler = createScanHandler({ invoker: () => invoker });
    await handler(timerEvent(), context());
    const first = (await handler(queued[0]!.event, context('worker-a'))) as ScanFunctionSummary;
    const calls = emulator.stats().total;

    const again = (await handler(queued[0]!.event, context('worker-a-retry'))) as ScanFunctionSummary;

    expect(again).toEqual(first);
    expect(emulator.stats().total).toBe(calls);
  });

  it('a member whose worker cannot be queued fails the run after the others are queued; the retry queues it, the rest replay', async () => {
    const failing = recordingInvoker(new Set([DEV]));
    const handler = createScanHandler({ invoker: () => failing.invoker });
    await expect(handler(timerEvent(), context())).rejects.toThrow(/FAN_OUT_INCOMPLETE|1 of 3 member scans could not be queued — dev \(3000000000000003\)/);
    expect(failing.queued.length).toBe(2);
    expect(logged).toContain('scan workers queued');

    // FC's retry of the failed run: run-once lets it through; every member is queued again (a worker
    // that already ran replays its recorded result under its own key).
    const ok = recordingInvoker();
    const retry = createScanHandler({ invoker: () => ok.invoker });
    const result = (await retry(timerEvent(), context('retry'))) as FanOutSummary;
    expect(result.invoked.map((i) => i.accountId)).toEqual([PROD, DEV, LEGACY]);
  });

  it('list mode queues the listed members, and a worker refuses an account the configuration does not name', async () => {
    configure(`{ mode: list, members: [{ id: '${PROD}', name: production }] }`);
    const { invoker, queued } = recordingInvoker();
    const handler = createScanHandler({ invoker: () => invoker });
    const result = (await handler(timerEvent(), context())) as FanOutSummary;
    expect(result.invoked).toEqual([{ accountId: PROD, name: 'production', requestId: 'fc-1' }]);

    // A forged worker event for an account outside the configuration: refused before any cloud call.
    const forged = Buffer.from(
      JSON.stringify({ triggerTime: TRIGGER, triggerName: `daily#${DEV}`, payload: JSON.stringify({ job: 'scan', account: { id: DEV, name: 'dev' } }) }),
    );
    emulator.resetStats();
    await expect(handler(forged, context('forged'))).rejects.toThrow(`refusing to scan account ${DEV}: it is not in accounts.members`);
    expect(emulator.stats().total).toBe(0);

    // The listed member's worker scans it under the configured name.
    const summary = (await handler(queued[0]!.event, context('w'))) as ScanFunctionSummary;
    expect(summary.account).toMatchObject({ id: PROD, name: 'production' });
  });

  it('a worker refuses an excluded member, and single mode refuses any worker event', async () => {
    configure(`{ mode: resource-directory, exclude: ['${DEV}'] }`);
    const handler = createScanHandler({ invoker: () => recordingInvoker().invoker });
    const worker = (id: string) =>
      Buffer.from(JSON.stringify({ triggerTime: TRIGGER, triggerName: `daily#${id}`, payload: JSON.stringify({ job: 'scan', account: { id } }) }));
    await expect(handler(worker(DEV), context())).rejects.toThrow('accounts.exclude names it');
    configure('{ mode: single }');
    await expect(handler(worker(PROD), context())).rejects.toThrow('accounts.mode is single');
  });

  it('a malformed payload is refused with the field named', async () => {
    const handler = createScanHandler({ invoker: () => recordingInvoker().invoker });
    await expect(handler(timerEvent('{"job":"scan","account":{"id":"12"}}'), context())).rejects.toThrow('payload.account.id must be a 16-digit account id');
    await expect(handler(timerEvent('not json'), context())).rejects.toThrow('the timer payload is not JSON');
  });
});
