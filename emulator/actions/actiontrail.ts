/**
 * ActionTrail 2020-07-06 (reference §4.1): LookupEvents over the scenario's event history, and
 * GetGlobalEventsStorageRegion. Throttling comes from the generic faults (`qpsPerAction`), as for
 * every action; the real API allows about two calls a second.
 */
import { isoSeconds } from '../dates.js';
import { invalidParameter, missingParameter } from '../errors.js';
import type { TrailEventRecord } from '../model.js';
import type { ActionContext, ActionTable } from './context.js';

const DAY_MS = 86_400_000;
/** Built-in history retention. */
const RETENTION_DAYS = 90;
/** Window when neither StartTime nor EndTime is given. */
const DEFAULT_DAYS = 7;
const MAX_RESULTS = 50;
/** UNVERIFIED: the reference gives the bounds (1–50) but not the default; 20 is the docs' usual default. */
const DEFAULT_RESULTS = 20;
const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

type Field = (r: TrailEventRecord) => unknown;
const identity = (r: TrailEventRecord) => (r.record.userIdentity ?? {}) as Record<string, unknown>;

/** LookupAttribute keys the emulator filters on (exact, case-sensitive match, like the service). */
const ATTRIBUTES: Record<string, Field> = {
  EventId: (r) => r.id,
  EventName: (r) => r.record.eventName,
  ServiceName: (r) => r.record.serviceName,
  EventRW: (r) => r.record.eventRW,
  EventType: (r) => r.record.eventType,
  SourceIpAddress: (r) => r.record.sourceIpAddress,
  EventAccessKeyId: (r) => identity(r).accessKeyId,
  User: (r) => identity(r).userName,
  RoleName: (r) => (identity(r).type === 'assumed-role' ? String(identity(r).userName ?? '').split(':')[0] : undefined),
};

function time(ctx: ActionContext, name: string): number | undefined {
  const raw = ctx.params.get(name);
  if (raw === undefined) return undefined;
  if (!TIME.test(raw)) throw invalidParameter(name, 'use the format yyyy-MM-ddTHH:mm:ssZ (UTC).');
  return Math.floor(Date.parse(raw) / 1000) * 1000;
}

/** `LookupAttribute.N.Key/Value`: the first two count; a key given twice keeps its second value. */
function filters(ctx: ActionContext): ((r: TrailEventRecord) => boolean)[] {
  const chosen = new Map<string, string>();
  for (let n = 1; n <= 2; n++) {
    const key = ctx.params.get(`LookupAttribute.${n}.Key`);
    if (key === undefined) break;
    if (!ATTRIBUTES[key]) throw invalidParameter('LookupAttribute', `the key ${key} is not supported.`);
    chosen.set(key, ctx.params.get(`LookupAttribute.${n}.Value`) ?? '');
  }
  return [...chosen].map(([key, value]) => (r) => ATTRIBUTES[key]!(r) === value);
}

interface Cursor {
  t: number;
  i: string;
}

function decodeToken(token: string): Cursor {
  try {
    const c = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Partial<Cursor>;
    if (typeof c.t === 'number' && typeof c.i === 'string') return { t: c.t, i: c.i };
  } catch {
    // fall through
  }
  throw invalidParameter('NextToken', 'pass the NextToken of the previous page unchanged.');
}

/**
 * One page of events in [StartTime, EndTime], newest first (BACKWARD, the default) or oldest first. The
 * NextToken names the next event (time and id), so events recorded between two pages neither shift nor
 * repeat a listing.
 */
function lookupEvents(ctx: ActionContext) {
  const { params, state } = ctx;
  const now = Math.floor(ctx.now.getTime() / 1000) * 1000;
  let start = time(ctx, 'StartTime');
  let end = time(ctx, 'EndTime');
  if ((start === undefined) !== (end === undefined)) throw missingParameter(start === undefined ? 'StartTime' : 'EndTime');
  start ??= now - DEFAULT_DAYS * DAY_MS;
  end ??= now;
  if (start > end) throw invalidParameter('StartTime', 'it must not be later than EndTime.');
  // Retention: older events are gone; nothing is recorded after now.
  const from = Math.max(start, now - RETENTION_DAYS * DAY_MS);
  const to = Math.min(end, now);
  const max = params.int('MaxResults', 1, MAX_RESULTS, DEFAULT_RESULTS);
  const forward = params.oneOf('Direction', ['BACKWARD', 'FORWARD'] as const) === 'FORWARD';
  const match = filters(ctx);
  const store = state.trail;
  const lo = store.lowerBound({ time: from, id: '' });
  const hi = store.lowerBound({ time: to + 1, id: '' });
  const token = params.get('NextToken');
  let p = forward ? lo : hi - 1;
  if (token !== undefined) {
    const c = decodeToken(token);
    p = store.lowerBound({ time: c.t, id: c.i });
    const at = store.at(p);
    if (!forward && !(at && at.time === c.t && at.id === c.i)) p--;
  }
  const step = forward ? 1 : -1;
  const inside = (i: number) => i >= lo && i < hi;
  const events: Record<string, unknown>[] = [];
  let next: TrailEventRecord | undefined;
  for (; inside(p); p += step) {
    const r = store.at(p)!;
    if (!match.every((f) => f(r))) continue;
    if (events.length === max) {
      next = r;
      break;
    }
    events.push(r.record);
  }
  const nextToken = next ? Buffer.from(JSON.stringify({ t: next.time, i: next.id } satisfies Cursor)).toString('base64url') : '';
  return { StartTime: isoSeconds(new Date(start)), EndTime: isoSeconds(new Date(end)), NextToken: nextToken, Events: events };
}

export const actionTrailActions: ActionTable = {
  LookupEvents: lookupEvents,
  /** Where global events (RAM, STS, sign-in) are stored: the emulator keeps them with the rest, in cn-hangzhou. */
  GetGlobalEventsStorageRegion: () => ({ StorageRegion: 'cn-hangzhou' }),
};
