/**
 * The scan reads activity incrementally: against the emulator's ActionTrail (a generated account with
 * events), the first scan reads the whole history and persists the index, the next one fetches only
 * the new window, and a failed read is reported while the scan goes on with the saved index.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { generateScenario, startEmulator, type Emulator, type Faults } from '../../emulator/index.js';
import { trailRecord } from '../../emulator/trail-events.js';
import { memoryUsageStore, storeUsageStore, type UsageStore } from '../../shared/activity/usage-store.js';
import { SETTLE_MS, UsageIndex } from '../../shared/activity/usage-index.js';
import { createApp } from '../../shared/app.js';
import { staticCredential } from '../../shared/cloud/clients.js';
import { parseConfig } from '../../shared/config/index.js';
import { createLogger } from '../../shared/logger.js';
import { renderJson, renderMarkdown, renderTable, type ScanReport } from '../../shared/report/index.js';
import { ALL_RULES } from '../../shared/rules/registry.js';
import { createStore } from '../../shared/store/index.js';
import { NOW, SCANNER } from './harness.js';

const DAY = 86_400_000;
const noSleep = async (): Promise<void> => {};
let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

/** A 40-user account with `events` ActionTrail events, on an emulator whose clock the test moves. */
async function start(events: number, faults?: Faults): Promise<{ emu: Emulator; clock: { now: Date } }> {
  const clock = { now: new Date(NOW) };
  emulator = await startEmulator({ scenario: generateScenario({ users: 40, events, seed: 7 }), clock: () => new Date(clock.now), faults });
  return { emu: emulator, clock };
}

function scanner(emu: Emulator, usageStore: UsageStore, raw: Record<string, unknown> = {}) {
  const config = parseConfig({ scan: { credentialReport: { pollIntervalMs: 100 } }, ...raw }, { env: { RAMPARTS_CLOUD_ENDPOINT: emu.url }, rules: ALL_RULES });
  return createApp({ config, logger: createLogger('silent'), credential: staticCredential(SCANNER.accessKeyId, SCANNER.accessKeySecret), usageStore, sleep: noSleep });
}

const lookupCalls = (emu: Emulator) => emu.stats().byProduct.actiontrail.calls.LookupEvents ?? 0;

function addEvents(emu: Emulator, at: Date, count: number): void {
  const ctx = { accountId: emu.state.account.id, now: at, userId: () => undefined, roleId: () => undefined };
  emu.state.trail.add(
    Array.from({ length: count }, (_, i) =>
      trailRecord({ time: `-${(i + 1) * 60}s`, identity: 'user:user-00001', service: 'Ecs', event: 'RebootInstance', region: 'cn-hangzhou', errorCode: '' }, 20_000 + i, ctx),
    ),
  );
}

describe('scan with ActionTrail activity', () => {
  it('reports coverage, persists the index, and reads only the new window on the next scan', async () => {
    const { emu, clock } = await start(120);
    const store = memoryUsageStore();
    const first = await scanner(emu, store).scan({ now: clock.now });
    const accountId = first.account.id;
    expect(first.activity).toEqual({
      source: 'actiontrail',
      coverage: { from: new Date(NOW.getTime() - 90 * DAY).toISOString(), to: NOW.toISOString() },
      events: 120,
      lookbackDays: 90,
      read: expect.objectContaining({ source: 'actiontrail', regions: ['cn-hangzhou'], added: 120, duplicates: 0, skipped: 0, pages: 3 }),
    });
    expect(lookupCalls(emu)).toBe(3);
    expect(UsageIndex.fromJSON(store.saved.get(accountId)).events).toBe(120);
    // The scan counts its activity calls with the rest.
    expect(first.stats.totalApiCalls).toBe(emu.stats().total);

    clock.now = new Date(NOW.getTime() + 3_600_000);
    addEvents(emu, clock.now, 3);
    emu.resetStats();
    const resume = new Date(Date.parse(UsageIndex.fromJSON(store.saved.get(accountId)).coverage!.to) - SETTLE_MS).toISOString();
    const second = await scanner(emu, store).scan({ now: clock.now });
    expect(lookupCalls(emu)).toBe(1);
    expect(second.activity?.read).toMatchObject({ window: { from: resume, to: clock.now.toISOString() }, added: 3, pages: 1 });
    expect(second.activity?.events).toBe(123);
    expect(second.activity?.coverage).toEqual({ from: first.activity?.coverage?.from, to: clock.now.toISOString() });
    expect(UsageIndex.fromJSON(store.saved.get(accountId)).lastUsed({ type: 'user', name: 'user-00001' }, 'ecs:RebootInstance')).toBe(
      new Date(clock.now.getTime() - 60_000).toISOString(),
    );
  });

  it('keeps the index in the store’s cache (usage:<accountId>) across app instances', async () => {
    const { emu, clock } = await start(60);
    const db = await createStore({ memory: true });
    try {
      await db.migrate();
      const first = await scanner(emu, storeUsageStore(db)).scan({ now: clock.now });
      const cached = await db.tx((tx) => tx.getCache(`usage:${first.account.id}`));
      expect(UsageIndex.fromJSON(JSON.parse(cached ?? 'null')).events).toBe(60);
      emu.resetStats();
      const second = await scanner(emu, storeUsageStore(db)).scan({ now: clock.now });
      expect(second.activity?.read).toMatchObject({ added: 0, pages: 1 });
      expect(second.activity?.events).toBe(60);
    } finally {
      await db.close();
    }
  });

  it('reads the global events region too when cloud.regionId is another region, each event once', async () => {
    const { emu, clock } = await start(80);
    // The emulator answers every region from one trail and stores global events in cn-hangzhou.
    const report = await scanner(emu, memoryUsageStore(), { cloud: { regionId: 'cn-shanghai' } }).scan({ now: clock.now });
    expect(report.activity?.read).toMatchObject({ regions: ['cn-shanghai', 'cn-hangzhou'], added: 80, duplicates: 80 });
    expect(report.activity?.events).toBe(80);
    // The trail inventory (DescribeTrails, and GetTrailStatus per trail) is the scan's, not the activity read's.
    const { DescribeTrails, GetTrailStatus, ...activityCalls } = emu.stats().byProduct.actiontrail.calls;
    expect(DescribeTrails).toBe(1);
    expect(GetTrailStatus ?? 0).toBe(emu.state.trailConfigs.size);
    expect(activityCalls).toEqual({ GetGlobalEventsStorageRegion: 1, LookupEvents: 4 });
  });

  it('goes on with the saved index when the read fails, and every report says so', async () => {
    const { emu, clock } = await start(40);
    const store = memoryUsageStore();
    const first = await scanner(emu, store).scan({ now: clock.now });
    const saved = store.saved.get(first.account.id);

    clock.now = new Date(NOW.getTime() + 30 * DAY);
    emu.setFaults({ failActions: { LookupEvents: { code: 'InternalError', status: 500 } } });
    const report: ScanReport = await scanner(emu, store, { cloud: { maxAttempts: 2, retryBaseDelayMs: 1, retryMaxDelayMs: 5 } }).scan({ now: clock.now });
    expect(report.activity).toMatchObject({ source: 'actiontrail', read: null, coverage: first.activity?.coverage, events: 40 });
    expect(report.activity?.error).toMatch(/^actiontrail read failed: .*InternalError/);
    expect(store.saved.get(first.account.id)).toEqual(saved);

    const table = renderTable(report, { color: false, width: 400 });
    expect(table).toMatch(/^activity: actiontrail · 2026-03-03 12:00 UTC → 2026-06-01 12:00 UTC · 40 events$/m);
    expect(table).toMatch(/^⚠ activity read failed, the previous usage index was used: actiontrail read failed/m);
    expect(table).toMatch(/^⚠ activity covers 90 days up to 2026-06-01 12:00 UTC, short of the 90-day lookback/m);
    expect(renderMarkdown(report)).toContain('> **Activity:** activity read failed');
    const json = JSON.parse(renderJson(report)) as { activity: { error: string; read: null } };
    expect(json.activity.read).toBeNull();
    expect(json.activity.error).toMatch(/InternalError/);
  });

  it('reads nothing with activity.source none', async () => {
    const { emu, clock } = await start(40);
    const store = memoryUsageStore();
    const report = await scanner(emu, store, { activity: { source: 'none' } }).scan({ now: clock.now });
    expect(report.activity).toEqual({ source: 'none', coverage: null, events: 0, lookbackDays: 90, read: null });
    // Only the trail inventory calls ActionTrail: no event is read.
    expect(emu.stats().byProduct.actiontrail.calls).toEqual({ DescribeTrails: 1, GetTrailStatus: emu.state.trailConfigs.size });
    expect(store.saved.size).toBe(0);
  });
});
