/**
 * The ActionTrail activity source end to end: the real generic OpenAPI client, through the CloudCaller,
 * against the emulator's LookupEvents on 127.0.0.1.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator, type Faults } from '../../emulator/index.js';
import { generateScenario } from '../../emulator/generate.js';
import { trailRecord } from '../../emulator/trail-events.js';
import { globalEventsStorageRegion, lookupEvents, readActionTrail } from '../../shared/activity/actiontrail.js';
import { createEventParser } from '../../shared/activity/events.js';
import { SETTLE_MS, UsageIndex } from '../../shared/activity/usage-index.js';
import { clientsFor, NOW } from './harness.js';

const noSleep = async (): Promise<void> => {};
let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

/** An emulator whose clock the test moves forward. */
async function start(events: number, faults?: Faults): Promise<{ emu: Emulator; clock: { now: Date } }> {
  const clock = { now: new Date(NOW) };
  const scenario = generateScenario({ users: 40, events, seed: 7 });
  emulator = await startEmulator({ scenario, clock: () => new Date(clock.now), faults });
  return { emu: emulator, clock };
}

describe('ActionTrail LookupEvents source', () => {
  it('pages with NextToken, newest first, 50 a page, every event once', async () => {
    const { emu } = await start(260);
    const clients = clientsFor(emu);
    const window = { from: new Date(NOW.getTime() - 90 * 86_400_000), to: NOW };
    const pages: unknown[][] = [];
    for await (const page of lookupEvents(clients, { window, sleep: noSleep })) pages.push(page);
    expect(pages.map((p) => p.length)).toEqual([50, 50, 50, 50, 50, 10]);
    const parse = createEventParser();
    const events = pages.flat().map((r) => {
      const parsed = parse(r);
      if (!parsed.ok) throw new Error(parsed.reason);
      return parsed.event;
    });
    expect(new Set(events.map((e) => e.id)).size).toBe(260);
    const times = events.map((e) => e.time);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(emu.stats().byProduct.actiontrail.calls).toEqual({ LookupEvents: 6 });
  });

  it('filters by LookupAttribute and answers the global events region', async () => {
    const { emu } = await start(200);
    const clients = clientsFor(emu);
    const window = { from: new Date(NOW.getTime() - 90 * 86_400_000), to: NOW };
    const pages: unknown[][] = [];
    for await (const p of lookupEvents(clients, { window, sleep: noSleep, attributes: [{ key: 'ServiceName', value: 'Ecs' }] })) pages.push(p);
    const services = new Set(pages.flat().map((r) => (r as { serviceName: string }).serviceName));
    expect(pages.flat().length).toBeGreaterThan(0);
    expect([...services]).toEqual(['Ecs']);
    await expect(globalEventsStorageRegion(clients)).resolves.toBe('cn-hangzhou');
  });

  it('reads incrementally: the second read fetches only events after the high-water mark', async () => {
    const { emu, clock } = await start(120);
    const clients = clientsFor(emu);
    const index = new UsageIndex();
    const first = await readActionTrail(clients, index, { now: clock.now, sleep: noSleep });
    expect(first).toMatchObject({ records: 120, added: 120, duplicates: 0, pages: 3 });
    expect(index.covers(new Date(NOW.getTime() - 90 * 86_400_000), NOW)).toBe(true);

    clock.now = new Date(NOW.getTime() + 3_600_000);
    const ctx = { accountId: emu.state.account.id, now: clock.now, userId: () => undefined, roleId: () => undefined };
    const fresh = [1, 2, 3].map((i) =>
      trailRecord({ time: `-${i * 60}s`, identity: 'user:user-00001', service: 'Ecs', event: 'RebootInstance', region: 'cn-hangzhou', errorCode: '' }, 10_000 + i, ctx),
    );
    emu.state.trail.add(fresh);
    emu.resetStats();
    const resume = new Date(Date.parse(index.coverage!.to) - SETTLE_MS).toISOString();

    const second = await readActionTrail(clients, index, { now: clock.now, sleep: noSleep });
    // From the settling span before the last read (events seen there are dropped), not from the start of history.
    expect(second.window.from.toISOString()).toBe(resume);
    expect(second.added).toBe(3);
    expect(second.records - second.duplicates).toBe(3);
    expect(emu.stats().byProduct.actiontrail.calls).toEqual({ LookupEvents: 1 });
    expect(index.events).toBe(123);
    expect(index.lastUsed({ type: 'user', name: 'user-00001' }, 'ecs:RebootInstance')).toBe(new Date(clock.now.getTime() - 60_000).toISOString());
    expect(index.coverage?.to).toBe(clock.now.toISOString());

    const third = await readActionTrail(clients, index, { now: clock.now, sleep: noSleep });
    expect(third.added).toBe(0);
    expect(index.events).toBe(123);
  });

  it('retries throttling (Throttling.User above 4 calls/s) and still takes every event exactly once', async () => {
    const { emu, clock } = await start(400, { qpsPerAction: 4 });
    // Retries wait as long as the server's x-acs-retry-after asks (up to a second here).
    const clients = clientsFor(emu, { maxAttempts: 8, retryMaxDelayMs: 1000 });
    const index = new UsageIndex();
    const result = await readActionTrail(clients, index, { now: clock.now, sleep: noSleep });
    expect(result).toMatchObject({ records: 400, added: 400, duplicates: 0, pages: 8 });
    expect(index.events).toBe(400);
    const stats = emu.stats().byProduct.actiontrail;
    expect(stats.throttled.LookupEvents ?? 0).toBeGreaterThan(0);
    expect(clients.caller.stats.throttled.LookupEvents ?? 0).toBeGreaterThan(0);
  });

  it('skips records that are no event and says why', async () => {
    const { emu, clock } = await start(10);
    emu.state.trail.add([{ id: 'BAD', time: NOW.getTime() - 1000, record: { eventName: 'NoIdHere', eventTime: 'soon' } }]);
    const index = new UsageIndex();
    const result = await readActionTrail(clientsFor(emu), index, { now: clock.now, sleep: noSleep });
    expect(result).toMatchObject({ records: 11, added: 10, skipped: { count: 1 } });
    expect(result.skipped.reasons[0]).toContain('eventId');
  });

  it('leaves the index untouched when a read fails part-way', async () => {
    const { emu, clock } = await start(120, { failActions: { LookupEvents: { code: 'InternalError', status: 500 } } });
    const clients = clientsFor(emu, { maxAttempts: 2 });
    const index = new UsageIndex();
    await expect(readActionTrail(clients, index, { now: clock.now, sleep: noSleep })).rejects.toMatchObject({ code: 'CLOUD_CALL_FAILED' });
    expect(index.toJSON()).toEqual(new UsageIndex().toJSON());
  });
});
