/**
 * ActionTrail LookupEvents as an activity source (reference §4.1): the generic OpenAPI client (the
 * ActionTrail SDK is not on the registry), version 2020-07-06, RPC, 50 events a page, NextToken paging,
 * newest first, 90 days of history. Every request goes through the `CloudCaller` (retries on
 * throttling, pacing, counting); on top of that pages are spaced to the documented ~2 requests/s.
 */
import * as $dara from '@darabonba/typescript';
import type { CloudCaller } from '../cloud/caller.js';
import { CloudError } from '../errors.js';
import { $OpenApiUtil, OpenApiUtil, type OpenApiClient } from '../cloud/sdk.js';
import { rpcParams } from '../cloud/rpc.js';
import { createEventParser } from './events.js';
import type { MappingOverrides } from './mapping.js';
import { UsageIndex, type TimeWindow } from './usage-index.js';

export const ACTIONTRAIL_VERSION = '2020-07-06';
/** Days of built-in event history. */
export const ACTIONTRAIL_RETENTION_DAYS = 90;
/** LookupEvents `MaxResults` upper bound. */
export const LOOKUP_PAGE_MAX = 50;
/** "At most twice per second" (SDK remark): the gap kept between two pages. */
export const LOOKUP_INTERVAL_MS = 500;

/** The clients a read needs (a subset of `CloudClients`). */
export interface ActionTrailClients {
  actiontrail: OpenApiClient;
  caller: CloudCaller;
}

/** A LookupEvents filter (`LookupAttribute.N.Key/Value`); at most two, ANDed, exact and case-sensitive. */
export interface LookupAttribute {
  key: string;
  value: string;
}

export interface LookupRequest {
  window: TimeWindow;
  /** 1–50; default 50. */
  pageSize?: number;
  attributes?: LookupAttribute[];
  /** Waits between pages (pass time in: tests give a no-op). */
  sleep: (ms: number) => Promise<void>;
  /** Default {@link LOOKUP_INTERVAL_MS}. */
  intervalMs?: number;
}

/** `yyyy-MM-ddTHH:mm:ssZ`, the only time format LookupEvents documents. */
const wireTime = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The generic OpenAPI call description of an ActionTrail action (RPC, version 2020-07-06). */
export function actionTrailParams(action: string): InstanceType<typeof $OpenApiUtil.Params> {
  return rpcParams(action, ACTIONTRAIL_VERSION);
}

/** A body that is not what `action` returns: names the action and the endpoint setting to check. */
export function badResponse(action: string, what: string): CloudError {
  return new CloudError(action, `ActionTrail ${action} ${what} — is cloud.endpoints.actiontrail an ActionTrail 2020-07-06 endpoint?`, {
    code: 'CLOUD_BAD_RESPONSE',
  });
}

/**
 * One ActionTrail RPC call through the caller (retries, pacing, counting); resolves to the raw
 * PascalCase wire body, or throws a `CloudError` when there is no JSON object.
 */
export async function rpc(clients: ActionTrailClients, action: string, query: Record<string, unknown>): Promise<Record<string, unknown>> {
  const request = new $OpenApiUtil.OpenApiRequest({ query: OpenApiUtil.query(query) });
  const res = await clients.caller.call('actiontrail', action, () =>
    clients.actiontrail.callApi(actionTrailParams(action), request, new $dara.RuntimeOptions({})),
  );
  // The raw wire body, PascalCase, no model casting (reference §4.1).
  const body: unknown = res.body;
  if (!body || typeof body !== 'object') throw badResponse(action, 'returned no JSON body');
  return body as Record<string, unknown>;
}

/**
 * Pages of raw event records for `window`, newest first, following `NextToken` until it is empty.
 * Each yielded page is an array of free-form records (parse them with `createEventParser`).
 */
export async function* lookupEvents(clients: ActionTrailClients, req: LookupRequest): AsyncGenerator<unknown[]> {
  const pageSize = Math.min(LOOKUP_PAGE_MAX, Math.max(1, req.pageSize ?? LOOKUP_PAGE_MAX));
  let nextToken: string | undefined;
  for (let page = 0; ; page++) {
    if (page > 0) await req.sleep(req.intervalMs ?? LOOKUP_INTERVAL_MS);
    const body = await rpc(clients, 'LookupEvents', {
      StartTime: wireTime(req.window.from),
      EndTime: wireTime(req.window.to),
      MaxResults: String(pageSize),
      ...(nextToken ? { NextToken: nextToken } : {}),
      ...(req.attributes?.length ? { LookupAttribute: req.attributes.map((a) => ({ Key: a.key, Value: a.value })) } : {}),
    });
    const events = body.Events;
    if (events !== undefined && !Array.isArray(events)) throw badResponse('LookupEvents', 'returned Events that is not an array');
    yield (events ?? []) as unknown[];
    const token = body.NextToken;
    if (typeof token !== 'string' || token === '') return;
    if (token === nextToken) throw badResponse('LookupEvents', 'returned the same NextToken twice (stopped to avoid a loop)');
    nextToken = token;
  }
}

/** The region that stores global events (RAM, STS, console sign-in): `cn-hangzhou` or `ap-southeast-1`. */
export async function globalEventsStorageRegion(clients: ActionTrailClients): Promise<string> {
  const body = await rpc(clients, 'GetGlobalEventsStorageRegion', {});
  const region = body.StorageRegion;
  if (typeof region !== 'string' || region === '') throw badResponse('GetGlobalEventsStorageRegion', 'returned no StorageRegion');
  return region;
}

export interface ActionTrailReadOptions {
  now: Date;
  sleep: (ms: number) => Promise<void>;
  /** Default {@link ACTIONTRAIL_RETENTION_DAYS}. */
  retentionDays?: number;
  pageSize?: number;
  intervalMs?: number;
  mapping?: MappingOverrides;
}

/** What one incremental read did. */
export interface ActionTrailReadResult {
  window: TimeWindow;
  pages: number;
  /** Records returned by the API. */
  records: number;
  /** New events taken into the index. */
  added: number;
  /** Records already in the index (the high-water second, read again). */
  duplicates: number;
  /** Records that are no event (first reasons kept, for a warning). */
  skipped: { count: number; reasons: string[] };
}

/**
 * Reads the events newer than the index's high-water mark and takes them in. The index changes only
 * when the whole window was read: a failed read (it throws the caller's `CloudError`) leaves it as it
 * was, so the next read fetches the same window again and nothing is lost or counted twice.
 */
export async function readActionTrail(clients: ActionTrailClients, index: UsageIndex, opts: ActionTrailReadOptions): Promise<ActionTrailReadResult> {
  const window = index.nextWindow(opts.now, opts.retentionDays ?? ACTIONTRAIL_RETENTION_DAYS);
  const parse = createEventParser(opts.mapping);
  const delta = new UsageIndex();
  const result: ActionTrailReadResult = { window, pages: 0, records: 0, added: 0, duplicates: 0, skipped: { count: 0, reasons: [] } };
  const pages = lookupEvents(clients, { window, pageSize: opts.pageSize, sleep: opts.sleep, intervalMs: opts.intervalMs });
  // A page can repeat the previous page's tail when events shift under a positional token (not
  // documented either way); ids of one page back are enough to drop such repeats.
  let previous = new Set<string>();
  for await (const records of pages) {
    result.pages++;
    const current = new Set<string>();
    for (const raw of records) {
      result.records++;
      const parsed = parse(raw);
      if (!parsed.ok) {
        result.skipped.count++;
        if (result.skipped.reasons.length < 5) result.skipped.reasons.push(parsed.reason);
      } else if (index.seen(parsed.event) || previous.has(parsed.event.id) || current.has(parsed.event.id)) {
        result.duplicates++;
      } else {
        current.add(parsed.event.id);
        delta.add(parsed.event);
        result.added++;
      }
    }
    previous = current;
  }
  index.merge(delta, window);
  return result;
}
