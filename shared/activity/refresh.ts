/**
 * Brings the usage index up to date before the rules run: load the saved index, read the events since
 * its high-water mark from the configured source, save it after a complete read. A failed read or a
 * corrupt saved index never fails the scan: the scan goes on with the index it has, whose coverage then
 * tells the rules what they cannot know (STYLE §3), and the failure is shown in the report.
 */
import { createCloudClients, defaultEndpoint, type CloudClients } from '../cloud/clients.js';
import type { Config } from '../config/index.js';
import { RampartsError } from '../errors.js';
import type { Logger } from '../logger.js';
import { globalEventsStorageRegion, LOOKUP_INTERVAL_MS, lookupEvents, type ActionTrailClients } from './actiontrail.js';
import { createEventParser } from './events.js';
import type { OssClientLike } from './oss.js';
import type { SlsClientLike } from './sls.js';
import type { UsageStore } from './usage-store.js';
import { UsageIndex, type TimeWindow } from './usage-index.js';

/** What one refresh read (JSON-safe: it goes into the scan report). */
export interface ActivityRead {
  source: 'actiontrail' | 'sls' | 'oss';
  window: { from: string; to: string };
  /** Regions read (ActionTrail: `cloud.regionId`, then the global events region when it differs). */
  regions: string[];
  pages: number;
  /** New events taken into the index. */
  added: number;
  /** Events already in the index, or returned by two regions. */
  duplicates: number;
  /** Records that are no event. */
  skipped: number;
}

export interface RefreshResult {
  index: UsageIndex;
  /** The read, or null when it failed (or the source is `none`). */
  read: ActivityRead | null;
  /** Why the read failed; the index is then the saved one, unchanged. */
  error?: string;
  /** Problems that did not stop the read: a corrupt saved index rebuilt, an index not saved. */
  warnings: string[];
}

export interface RefreshDeps {
  clients: CloudClients;
  config: Config;
  /** The account the index belongs to (the scan's GetCallerIdentity). */
  accountId: string;
  now: Date;
  /** Waits between LookupEvents pages (tests pass a no-op). */
  sleep: (ms: number) => Promise<void>;
  store: UsageStore;
  logger?: Logger;
  /** The ActionTrail client of another region; default {@link regionClient}. */
  actionTrailFor?: (regionId: string) => ActionTrailClients;
  /** The SLS client for `activity.source: sls`; default `@alicloud/sls20201230` on `activity.sls.endpoint`. */
  slsClient?: SlsClientLike;
  /** The OSS client for `activity.source: oss`; default `ali-oss` on `activity.oss.bucket`. */
  ossClient?: OssClientLike;
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * The ActionTrail client for `regionId`, sharing the scan's caller (one throttle, one call count) and
 * credential. A public endpoint is swapped for that region's; an overridden one (an emulator, a proxy)
 * is kept, with the request signed for that region.
 */
export function regionClient(clients: CloudClients, config: Config, regionId: string): ActionTrailClients {
  const current = clients.endpoints.actiontrail;
  const endpoint = current === defaultEndpoint('actiontrail', config.cloud.regionId) ? defaultEndpoint('actiontrail', regionId) : current;
  const other = createCloudClients(
    { ...config.cloud, regionId, endpoints: { ...config.cloud.endpoints, actiontrail: endpoint } },
    { credential: clients.credential },
  );
  return { actiontrail: other.actiontrail, caller: clients.caller };
}

async function loadIndex(deps: RefreshDeps, warnings: string[]): Promise<UsageIndex> {
  let saved: unknown;
  try {
    saved = await deps.store.load(deps.accountId);
  } catch (err) {
    warnings.push(`the saved usage index could not be loaded (${message(err)}); reading the full history again`);
    return new UsageIndex();
  }
  if (saved === null) return new UsageIndex();
  try {
    return UsageIndex.fromJSON(saved);
  } catch (err) {
    warnings.push(`the saved usage index is corrupt and was rebuilt from the source (${message(err).replace(/\s+/g, ' ').slice(0, 200)})`);
    return new UsageIndex();
  }
}

/**
 * Reads `window` from each region into `index` (ActionTrail: the scan's region and the global events
 * region). One high-water mark and one window for all regions, so a region read second misses nothing;
 * events are kept once by id across regions and pages. The index changes only after every region was
 * read completely (a throw leaves it as it was).
 */
async function readActionTrailRegions(
  regions: { regionId: string; clients: ActionTrailClients }[],
  index: UsageIndex,
  opts: { now: Date; retentionDays: number; sleep: (ms: number) => Promise<void> },
): Promise<ActivityRead> {
  const window: TimeWindow = index.nextWindow(opts.now, opts.retentionDays);
  const parse = createEventParser();
  const delta = new UsageIndex();
  const taken = new Set<string>();
  const read: ActivityRead = {
    source: 'actiontrail',
    window: { from: window.from.toISOString(), to: window.to.toISOString() },
    regions: regions.map((r) => r.regionId),
    pages: 0,
    added: 0,
    duplicates: 0,
    skipped: 0,
  };
  for (const [n, region] of regions.entries()) {
    if (n > 0) await opts.sleep(LOOKUP_INTERVAL_MS);
    for await (const records of lookupEvents(region.clients, { window, sleep: opts.sleep })) {
      read.pages++;
      for (const raw of records) {
        const parsed = parse(raw);
        if (!parsed.ok) read.skipped++;
        else if (index.seen(parsed.event) || taken.has(parsed.event.id)) read.duplicates++;
        else {
          taken.add(parsed.event.id);
          delta.add(parsed.event);
          read.added++;
        }
      }
    }
  }
  index.merge(delta, window);
  return read;
}

/** The regions to read: the scan's, plus the global events region when asked for and different. */
async function actionTrailRegions(deps: RefreshDeps): Promise<{ regionId: string; clients: ActionTrailClients }[]> {
  const home = deps.config.cloud.regionId;
  const regions = [{ regionId: home, clients: { actiontrail: deps.clients.actiontrail, caller: deps.clients.caller } }];
  if (!deps.config.activity.globalEvents) return regions;
  const storage = await globalEventsStorageRegion(deps.clients);
  if (storage !== home) regions.push({ regionId: storage, clients: (deps.actionTrailFor ?? ((r) => regionClient(deps.clients, deps.config, r)))(storage) });
  return regions;
}

/** A trail delivered to SLS: one aggregate query over the window (the Logstore sees every region's events). */
async function readSls(deps: RefreshDeps, index: UsageIndex, retentionDays: number): Promise<ActivityRead> {
  const sls = deps.config.activity.sls;
  if (!sls) throw new RampartsError('CONFIG_INVALID', 'activity.sls is required when activity.source is sls');
  // Loaded on use: the SLS SDK (and its native lz4 module) is initialised only for this source.
  const { createSlsClient, readSlsActivity } = await import('./sls.js');
  const client = deps.slsClient ?? createSlsClient({ endpoint: sls.endpoint ?? `${deps.config.cloud.regionId}.log.aliyuncs.com`, credential: deps.clients.credential });
  const r = await readSlsActivity(client, index, { project: sls.project, logstore: sls.logstore, now: deps.now, retentionDays });
  // Aggregate rows carry no source address or user agent: key origins are unknown for what was read.
  index.originsUnrecordedUntil(r.window.to);
  return { source: 'sls', window: isoWindow(r.window), regions: [], pages: r.pages, added: r.added, duplicates: r.duplicates, skipped: r.skipped.count };
}

/**
 * A trail delivered to OSS: the configured regions' folders (default the scan's region), plus the
 * global events region's, where RAM, STS and sign-in events are written, when asked for.
 */
async function readOss(deps: RefreshDeps, index: UsageIndex, retentionDays: number): Promise<ActivityRead> {
  const oss = deps.config.activity.oss;
  if (!oss) throw new RampartsError('CONFIG_INVALID', 'activity.oss is required when activity.source is oss');
  const regions = oss.regions.length > 0 ? [...oss.regions] : [deps.config.cloud.regionId];
  if (deps.config.activity.globalEvents) {
    const storage = await globalEventsStorageRegion(deps.clients);
    if (!regions.includes(storage)) regions.push(storage);
  }
  const { createOssClient, readOssActivity } = await import('./oss.js');
  const client = deps.ossClient ?? createOssClient({ region: oss.region, bucket: oss.bucket, credential: deps.clients.credential });
  const r = await readOssActivity(client, index, { bucket: oss.bucket, prefix: oss.prefix, regions, now: deps.now, retentionDays });
  return { source: 'oss', window: isoWindow(r.window), regions, pages: r.pages, added: r.added, duplicates: r.duplicates, skipped: r.skipped.count };
}

const isoWindow = (w: TimeWindow): { from: string; to: string } => ({ from: w.from.toISOString(), to: w.to.toISOString() });

/**
 * Loads, reads and saves the usage index of `deps.accountId`. Never throws for a source or store
 * failure (see {@link RefreshResult}).
 */
export async function refreshUsage(deps: RefreshDeps): Promise<RefreshResult> {
  const result = await refresh(deps);
  for (const warning of result.warnings) deps.logger?.warn({ accountId: deps.accountId }, warning);
  return result;
}

async function refresh(deps: RefreshDeps): Promise<RefreshResult> {
  const { activity } = deps.config;
  const warnings: string[] = [];
  const index = await loadIndex(deps, warnings);
  if (activity.source === 'none') return { index, read: null, warnings };
  // A first read (or one after a long pause) reaches back no further than the index needs and the source keeps.
  const retentionDays = Math.min(activity.lookbackDays, activity.retentionDays);
  // Read into a copy: the loaded index stays as it was if the read fails.
  const work = UsageIndex.fromJSON(index.toJSON());
  let read: ActivityRead;
  try {
    switch (activity.source) {
      case 'actiontrail':
        read = await readActionTrailRegions(await actionTrailRegions(deps), work, { now: deps.now, retentionDays, sleep: deps.sleep });
        break;
      case 'sls':
        read = await readSls(deps, work, retentionDays);
        break;
      case 'oss':
        read = await readOss(deps, work, retentionDays);
        break;
    }
  } catch (err) {
    deps.logger?.warn({ accountId: deps.accountId, err }, 'activity read failed; the scan goes on with the saved usage index');
    return { index, read: null, error: `${activity.source} read failed: ${message(err)}`, warnings };
  }
  if (read.skipped > 0) warnings.push(`${read.skipped} activity records were no event and were skipped`);
  try {
    await deps.store.save(deps.accountId, work.toJSON());
  } catch (err) {
    warnings.push(`the usage index was not saved (${message(err)}); the next scan reads this window again`);
  }
  deps.logger?.debug({ accountId: deps.accountId, read, coverage: work.coverage, events: work.events }, 'activity read');
  return { index: work, read, warnings };
}
