/**
 * refreshUsage: load the saved index, read the new window, save after a complete read; a corrupt saved
 * index is rebuilt, a failed read keeps the saved index and says why. ActionTrail is faked at the
 * generic client's `callApi`, with records in the real event shape (the emulator's `trailRecord`).
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { trailRecord } from '../../../emulator/trail-events.js';
import { refreshUsage, type RefreshDeps } from '../../../shared/activity/refresh.js';
import { SETTLE_MS, UsageIndex } from '../../../shared/activity/usage-index.js';
import { fileUsageStore, memoryUsageStore, storeUsageStore, usageKey } from '../../../shared/activity/usage-store.js';
import type { ActionTrailClients } from '../../../shared/activity/actiontrail.js';
import type { CloudClients } from '../../../shared/cloud/clients.js';
import { parseConfig } from '../../../shared/config/index.js';

const NOW = new Date('2026-06-01T12:00:00Z');
const DAY = 86_400_000;
const ACCOUNT = '1234567890123456';
const noSleep = async (): Promise<void> => {};

/** Raw LookupEvents records, as ActionTrail returns them. */
function records(count: number, opts: { from?: number; secondsApart?: number; now?: Date; service?: string; identity?: string } = {}): Record<string, unknown>[] {
  const now = opts.now ?? NOW;
  const ctx = { accountId: ACCOUNT, now, userId: () => undefined, roleId: () => undefined };
  return Array.from({ length: count }, (_, i) => {
    const n = (opts.from ?? 0) + i;
    const seconds = (i + 1) * (opts.secondsApart ?? 3600);
    return trailRecord(
      { time: `-${seconds}s`, identity: opts.identity ?? `user:user-${n % 5}`, service: opts.service ?? 'Ecs', event: 'DescribeInstances', region: 'cn-hangzhou', errorCode: '' },
      n,
      ctx,
    ).record;
  });
}

/** A fake ActionTrail region: LookupEvents over `trail` (newest first, offset tokens), call counts. */
function fakeRegion(trail: Record<string, unknown>[], opts: { storageRegion?: string; fail?: boolean } = {}) {
  const calls: Array<{ action: string; query: Record<string, string> }> = [];
  const actiontrail = {
    callApi: async (params: { action: string }, request: { query?: Record<string, string> }) => {
      const query = request.query ?? {};
      calls.push({ action: params.action, query });
      if (opts.fail) throw Object.assign(new Error('InternalError: the server had a problem'), { code: 'InternalError' });
      if (params.action === 'GetGlobalEventsStorageRegion') return { body: { StorageRegion: opts.storageRegion ?? 'cn-hangzhou' } };
      const from = Date.parse(query.StartTime ?? '');
      const to = Date.parse(query.EndTime ?? '');
      const inWindow = trail
        .filter((r) => Date.parse(String(r.eventTime)) >= from && Date.parse(String(r.eventTime)) <= to)
        .sort((a, b) => Date.parse(String(b.eventTime)) - Date.parse(String(a.eventTime)));
      const start = Number(query.NextToken ?? '0');
      const size = Number(query.MaxResults ?? '20');
      const page = inWindow.slice(start, start + size);
      return { body: { Events: page, NextToken: start + size < inWindow.length ? String(start + size) : '' } };
    },
  };
  return { actiontrail, calls };
}

const caller = { call: (_product: string, _action: string, fn: () => Promise<unknown>) => fn() };

function deps(region: ReturnType<typeof fakeRegion>, over: Partial<RefreshDeps> & { raw?: Record<string, unknown> } = {}): RefreshDeps {
  const { raw, ...rest } = over;
  return {
    clients: { actiontrail: region.actiontrail, caller } as unknown as CloudClients,
    config: parseConfig(raw ?? {}, { env: {}, rules: [] }),
    accountId: ACCOUNT,
    now: NOW,
    sleep: noSleep,
    store: memoryUsageStore(),
    ...rest,
  };
}

const lookups = (region: ReturnType<typeof fakeRegion>) => region.calls.filter((c) => c.action === 'LookupEvents');

describe('refreshUsage', () => {
  it('loads, reads the whole retention window the first time, and saves the index', async () => {
    const region = fakeRegion(records(120));
    const store = memoryUsageStore();
    const result = await refreshUsage(deps(region, { store }));
    expect(result.error).toBeUndefined();
    expect(result.warnings).toEqual([]);
    expect(result.read).toEqual({
      source: 'actiontrail',
      window: { from: new Date(NOW.getTime() - 90 * DAY).toISOString(), to: NOW.toISOString() },
      regions: ['cn-hangzhou'],
      pages: 3,
      added: 120,
      duplicates: 0,
      skipped: 0,
    });
    expect(result.index.coverage).toEqual(result.read?.window);
    expect(result.index.covers(new Date(NOW.getTime() - 90 * DAY), NOW)).toBe(true);
    expect(store.saved.get(ACCOUNT)).toEqual(result.index.toJSON());
    expect(lookups(region)).toHaveLength(3);
  });

  it('reaches back only activity.lookbackDays when that is shorter than the retention', async () => {
    const result = await refreshUsage(deps(fakeRegion(records(3)), { raw: { activity: { lookbackDays: 30 } } }));
    expect(result.read?.window.from).toBe(new Date(NOW.getTime() - 30 * DAY).toISOString());
  });

  it('reads only events after the high-water mark the next time, and takes none twice', async () => {
    const trail = records(60);
    const region = fakeRegion(trail);
    const store = memoryUsageStore();
    const first = await refreshUsage(deps(region, { store }));
    // The next read starts the settling span before the end of this one (late deliveries land there).
    const resume = new Date(Date.parse(first.index.coverage!.to) - SETTLE_MS).toISOString();

    const later = new Date(NOW.getTime() + 3 * 3600_000);
    trail.push(...records(4, { from: 1000, now: later, secondsApart: 600, identity: 'user:late-user' }));
    region.calls.length = 0;
    const second = await refreshUsage(deps(region, { store, now: later }));
    expect(second.read?.window).toEqual({ from: resume, to: later.toISOString() });
    expect(second.read).toMatchObject({ added: 4, pages: 1, duplicates: 0 });
    expect(second.index.events).toBe(64);
    expect(second.index.lastUsed({ type: 'user', name: 'late-user' })).toBeDefined();
    expect(lookups(region)).toHaveLength(1);
    expect(store.saved.get(ACCOUNT)).toEqual(second.index.toJSON());

    const third = await refreshUsage(deps(region, { store, now: later }));
    expect(third.read?.added).toBe(0);
    expect(third.index.events).toBe(64);
  });

  it('rebuilds a corrupt saved index from the source, with a warning', async () => {
    for (const corrupt of [{ version: 7, events: 'many' }, 'not json {', { version: 1 }]) {
      const store = memoryUsageStore({ [ACCOUNT]: corrupt });
      const result = await refreshUsage(deps(fakeRegion(records(10)), { store }));
      expect(result.error).toBeUndefined();
      expect(result.warnings).toEqual([expect.stringMatching(/^the saved usage index is corrupt and was rebuilt from the source/)]);
      expect(result.read?.added).toBe(10);
      expect(result.index.events).toBe(10);
      expect(UsageIndex.fromJSON(store.saved.get(ACCOUNT)).events).toBe(10);
    }
  });

  it('keeps the saved index when the read fails, and says why', async () => {
    const store = memoryUsageStore();
    await refreshUsage(deps(fakeRegion(records(20)), { store }));
    const saved = store.saved.get(ACCOUNT);

    const later = new Date(NOW.getTime() + 10 * DAY);
    const result = await refreshUsage(deps(fakeRegion(records(30), { fail: true }), { store, now: later }));
    expect(result.read).toBeNull();
    expect(result.error).toMatch(/^actiontrail read failed: .*InternalError/);
    expect(result.index.toJSON()).toEqual(saved);
    expect(store.saved.get(ACCOUNT)).toEqual(saved);
    // The old coverage no longer reaches the present: the rules say unknown.
    expect(result.index.covers(new Date(later.getTime() - 90 * DAY), later)).toBe(false);
  });

  it('reports a store that cannot be read or written, and still reads', async () => {
    const broken = {
      load: async () => Promise.reject(new Error('connection refused')),
      save: async () => Promise.reject(new Error('disk full')),
    };
    const result = await refreshUsage(deps(fakeRegion(records(5)), { store: broken }));
    expect(result.read?.added).toBe(5);
    expect(result.warnings).toEqual([
      'the saved usage index could not be loaded (connection refused); reading the full history again',
      'the usage index was not saved (disk full); the next scan reads this window again',
    ]);
  });

  it('also reads the global events region when it is not cloud.regionId, one window, each event once', async () => {
    const regional = fakeRegion(records(30, { service: 'Ecs' }), { storageRegion: 'cn-hangzhou' });
    const globalTrail = records(12, { from: 500, service: 'Ram', identity: 'user:iam-admin' });
    // A region may return an event the other returned too: it is taken once.
    globalTrail.push(...records(1));
    const global = fakeRegion(globalTrail);
    const asked: string[] = [];
    const actionTrailFor = (regionId: string): ActionTrailClients => {
      asked.push(regionId);
      return { actiontrail: global.actiontrail, caller } as unknown as ActionTrailClients;
    };
    const result = await refreshUsage(deps(regional, { raw: { cloud: { regionId: 'cn-shanghai' } }, actionTrailFor }));
    expect(asked).toEqual(['cn-hangzhou']);
    expect(result.read).toMatchObject({ regions: ['cn-shanghai', 'cn-hangzhou'], added: 42, duplicates: 1 });
    expect(result.index.events).toBe(42);
    expect(result.index.lastUsed({ type: 'user', name: 'iam-admin' }, 'ram:DescribeInstances')).toBeDefined();
    expect(regional.calls.map((c) => c.action)).toEqual(['GetGlobalEventsStorageRegion', 'LookupEvents']);
    // Both regions are read over the same window.
    expect(lookups(global).map((c) => c.query.StartTime)).toEqual(lookups(regional).map((c) => c.query.StartTime));
  });

  it('reads one region when the global events are stored there, or when globalEvents is off', async () => {
    const same = fakeRegion(records(3), { storageRegion: 'cn-hangzhou' });
    const sameResult = await refreshUsage(deps(same, { actionTrailFor: () => { throw new Error('no second client'); } }));
    expect(sameResult.read?.regions).toEqual(['cn-hangzhou']);

    const off = fakeRegion(records(3), { storageRegion: 'ap-southeast-1' });
    const offResult = await refreshUsage(deps(off, { raw: { activity: { globalEvents: false } } }));
    expect(offResult.read?.regions).toEqual(['cn-hangzhou']);
    expect(off.calls.map((c) => c.action)).toEqual(['LookupEvents']);
  });

  it('fails the read (not the scan) when the global events region cannot be found', async () => {
    const region = fakeRegion(records(3), { fail: true });
    const result = await refreshUsage(deps(region));
    expect(result.error).toMatch(/actiontrail read failed/);
    expect(region.calls.map((c) => c.action)).toEqual(['GetGlobalEventsStorageRegion']);
  });

  it('records where access keys were used from, and keeps it through the save', async () => {
    const ctx = { accountId: ACCOUNT, now: NOW, userId: () => undefined, roleId: () => undefined };
    const inside = { sourceIpAddress: '10.1.2.3', userAgent: 'AlibabaCloud (linux; x64) Python/3.10 Core/2.13 fc-runtime/python3.10' };
    const trail = [0, 1, 2].map((i) => {
      const event = { time: `-${(i + 1) * 3600}s`, identity: 'user:ci', accessKeyId: 'LTAI5tCi', service: 'Oss', event: 'PutObject', region: 'cn-hangzhou', errorCode: '' };
      return trailRecord(i < 2 ? { ...event, extra: inside } : event, i, ctx).record;
    });
    const store = memoryUsageStore();
    const since = new Date(NOW.getTime() - DAY);
    const first = await refreshUsage(deps(fakeRegion(trail), { store }));
    expect(first.index.origins('LTAI5tCi', since)).toMatchObject({ internal: 2, public: 1, agents: [{ family: 'fc', runtime: true }, { family: 'sdk' }] });
    const again = await refreshUsage(deps(fakeRegion([]), { store }));
    expect(again.index.origins('LTAI5tCi', since)).toEqual(first.index.origins('LTAI5tCi', since));
  });

  it('reads nothing for source none', async () => {
    const region = fakeRegion(records(3));
    const none = await refreshUsage(deps(region, { raw: { activity: { source: 'none' } } }));
    expect(none.read).toBeNull();
    expect(region.calls).toEqual([]);
  });

  it('reads a trail delivered to SLS through its aggregate query, and reports its failure', async () => {
    const region = fakeRegion([]);
    const queries: string[] = [];
    const last = Math.floor((NOW.getTime() - DAY) / 1000);
    const slsClient = {
      getLogs: async (project: string, logstore: string, request: { query?: string }) => {
        queries.push(`${project}/${logstore}: ${request.query ?? ''}`);
        return {
          headers: { 'x-log-progress': 'Complete' },
          body: [
            { identity_type: 'ram-user', user_name: 'alice', service_name: 'Ecs', event_name: 'StartInstance', error_code: 'null', last_time: String(last) },
          ],
        };
      },
    };
    const raw = { activity: { source: 'sls', sls: { project: 'trail-project', logstore: 'actiontrail_main' } } };
    const result = await refreshUsage(deps(region, { raw, slsClient }));
    expect(result.error).toBeUndefined();
    expect(result.read).toMatchObject({ source: 'sls', added: 1, pages: 1 });
    expect(result.index.lastUsed({ type: 'user', name: 'alice' }, 'ecs:StartInstance')).toBe(new Date(last * 1000).toISOString());
    // Aggregate rows carry no address: where keys were used from is unknown for the window read, also after a save.
    expect(result.index.origins('LTAI5tAny', new Date(NOW.getTime() - 2 * DAY))).toBeUndefined();
    expect(UsageIndex.fromJSON(result.index.toJSON()).origins('LTAI5tAny', new Date(NOW.getTime() - 2 * DAY))).toBeUndefined();
    expect(queries[0]).toMatch(/^trail-project\/actiontrail_main: .*actiontrail_audit_event/);
    expect(region.calls).toEqual([]);

    const broken = { getLogs: async () => Promise.reject(Object.assign(new Error('ProjectNotExist'), { code: 'ProjectNotExist', statusCode: 404 })) };
    const failed = await refreshUsage(deps(region, { raw, slsClient: broken }));
    expect(failed.read).toBeNull();
    expect(failed.error).toMatch(/^sls read failed: .*trail-project/);
  });

  it('reads a trail delivered to OSS from the configured regions plus the global events region', async () => {
    const region = fakeRegion([], { storageRegion: 'ap-southeast-1' });
    const listed: string[] = [];
    const ossClient = {
      listV2: async (query: { prefix: string }) => {
        listed.push(query.prefix);
        return { objects: [], isTruncated: false };
      },
      getStream: async () => Promise.reject(new Error('no object should be fetched')),
    };
    const raw = { activity: { source: 'oss', lookbackDays: 2, oss: { bucket: 'trail-bucket', region: 'cn-hangzhou', prefix: 'audit', regions: ['cn-shanghai'] } } };
    const result = await refreshUsage(deps(region, { raw, ossClient }));
    expect(result.error).toBeUndefined();
    expect(result.read).toMatchObject({ source: 'oss', regions: ['cn-shanghai', 'ap-southeast-1'], added: 0 });
    expect(result.index.coverage).toEqual({ from: new Date(NOW.getTime() - 2 * DAY).toISOString(), to: NOW.toISOString() });
    expect(listed.some((p) => p.startsWith('audit/AliyunLogs/Actiontrail/cn-shanghai/'))).toBe(true);
    expect(listed.some((p) => p.startsWith('audit/AliyunLogs/Actiontrail/ap-southeast-1/'))).toBe(true);
    expect(region.calls.map((c) => c.action)).toEqual(['GetGlobalEventsStorageRegion']);
  });
});

describe('usage stores', () => {
  it('file: saves and loads by account, null when none, raw text when unreadable', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ramparts-usage-'));
    const store = fileUsageStore(join(dir, 'nested'));
    expect(await store.load(ACCOUNT)).toBeNull();
    const json = new UsageIndex().cover({ from: NOW, to: NOW }).toJSON();
    await store.save(ACCOUNT, json);
    expect(await store.load(ACCOUNT)).toEqual(json);
    expect(JSON.parse(await readFile(join(dir, 'nested', `usage-${ACCOUNT}.json`), 'utf8'))).toEqual(json);
    await writeFile(join(dir, 'nested', `usage-${ACCOUNT}.json`), '{"version":1,', 'utf8');
    expect(await store.load(ACCOUNT)).toBe('{"version":1,');
  });

  it('store: keeps the index in the cache under usage:<accountId>', async () => {
    const cache = new Map<string, string>();
    const tx = { getCache: async (k: string) => cache.get(k) ?? null, setCache: async (k: string, v: string) => void cache.set(k, v) };
    const store = storeUsageStore({ tx: (fn) => fn(tx as never) } as Parameters<typeof storeUsageStore>[0]);
    expect(await store.load(ACCOUNT)).toBeNull();
    await store.save(ACCOUNT, { version: 1 });
    expect(usageKey(ACCOUNT)).toBe(`usage:${ACCOUNT}`);
    expect(cache.get(`usage:${ACCOUNT}`)).toBe('{"version":1}');
    expect(await store.load(ACCOUNT)).toEqual({ version: 1 });
  });
});
