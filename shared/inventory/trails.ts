/**
 * ActionTrail trails (reference §4.4, Appendix C; API 2020-07-06 through the generic client, as the
 * activity source reads events): `DescribeTrails` lists the trails of the scanned region, the
 * account's own and the Resource Directory's multi-account trails, then `GetTrailStatus` tells, per
 * trail, whether it is logging and when it last delivered.
 *
 * Fail closed: a failed listing marks the `trails` part failed and returns no trail (unknown, never
 * "no trails"); a failed status leaves that trail's `isLogging` null, so the rule says unknown for it.
 */
import { badResponse, rpc } from '../activity/actiontrail.js';
import { TRAIL_EVENT_RW, type Trail, type TrailEventRW } from '../domain/snapshot.js';
import { failPart, forEach, isRefusal, type InventoryContext } from './context.js';

type Wire = Record<string, unknown>;

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

/** Booleans arrive as JSON booleans or, from some gateways, as `"true"`/`"false"`; anything else is unknown. */
function bool(v: unknown): boolean | null {
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'True') return true;
  if (v === 'false' || v === 'False') return false;
  return null;
}

/**
 * `EventRW` as a domain value. `Write` is the documented default, so an empty value is `Write`. A value
 * outside Read/Write/All is also taken as `Write`: never as `All`, so a value ramparts does not know
 * cannot make a trail qualify for CIS 2.1 (the rule reports the trail as recording Write only, which
 * is the unknown-safe reading — the reviewer sees the trail named with a gap rather than a silent pass).
 */
export function eventRW(v: unknown): TrailEventRW {
  const raw = typeof v === 'string' ? v.trim().toLowerCase() : '';
  return TRAIL_EVENT_RW.find((known) => known.toLowerCase() === raw) ?? 'Write';
}

/**
 * A delivery time as ISO-8601 (seconds), or null when absent or unreadable. Current API docs show
 * `2021-02-26T09:19:44Z`; an older page shows epoch milliseconds (`1547792223000`), also accepted.
 * Other shapes (the legacy `Wed Dec 02 15:41:06 CST 2015`, whose zone is ambiguous) give null.
 */
export function deliveryTime(v: unknown): string | null {
  const raw = typeof v === 'number' ? String(v) : text(v);
  if (raw === null) return null;
  let ms: number;
  if (/^\d{12,14}$/.test(raw)) ms = Number(raw);
  else if (/^\d{9,11}$/.test(raw)) ms = Number(raw) * 1000;
  else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(raw)) ms = Date.parse(raw);
  else return null;
  // Zero is what some services send for "never".
  if (!Number.isFinite(ms) || ms <= 0) return null;
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The later of two ISO times (either may be null). */
function later(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return Date.parse(a) >= Date.parse(b) ? a : b;
}

/** DescribeTrails' `TrailList`, checked: an array of objects that each have a Name. */
function trailList(body: Wire): Wire[] {
  const list = body.TrailList;
  if (list === undefined) throw badResponse('DescribeTrails', 'returned no TrailList');
  if (!Array.isArray(list)) throw badResponse('DescribeTrails', 'returned TrailList that is not an array');
  for (const raw of list) {
    if (!raw || typeof raw !== 'object' || text((raw as Wire).Name) === null) throw badResponse('DescribeTrails', 'returned a trail without Name');
  }
  return list as Wire[];
}

/** A DescribeTrails entry, its status not read yet (`isLogging` null). */
function toTrail(raw: Wire): Trail {
  return {
    name: text(raw.Name) ?? '',
    homeRegion: text(raw.HomeRegion) ?? text(raw.Region) ?? '',
    trailRegion: text(raw.TrailRegion) ?? 'All',
    eventRW: eventRW(raw.EventRW),
    // Only an explicit true makes a trail the Resource Directory's (its settings then belong to the management account).
    isOrganizationTrail: bool(raw.IsOrganizationTrail) === true,
    status: text(raw.Status) ?? 'Unknown',
    ossBucketName: text(raw.OssBucketName),
    ossKeyPrefix: text(raw.OssKeyPrefix),
    slsProjectArn: text(raw.SlsProjectArn),
    maxComputeProjectArn: text(raw.MaxComputeProjectArn),
    isLogging: null,
    latestDeliveryError: null,
    latestDeliveryTime: null,
  };
}

/** GetTrailStatus' answer folded into the trail: logging flag, delivery errors (OSS and SLS), latest delivery. */
function withStatus(trail: Trail, body: Wire): void {
  trail.isLogging = bool(body.IsLogging);
  const errors = [text(body.LatestDeliveryError), text(body.LatestDeliveryLogServiceError)].filter((e): e is string => e !== null);
  trail.latestDeliveryError = errors.length === 0 ? null : [...new Set(errors)].join('; ');
  trail.latestDeliveryTime = later(deliveryTime(body.LatestDeliveryTime), deliveryTime(body.LatestDeliveryLogServiceTime));
}

/**
 * The trails that record the account: its own, wherever they are homed (`IncludeShadowTrails`: a trail
 * homed in another region is listed here as a shadow copy — without it, scanning from a region other
 * than the trail's home would report "no trail"), and the multi-account trails of its Resource Directory
 * (`IncludeOrganizationTrail`). A trail listed twice is kept once. UNVERIFIED: whether GetTrailStatus
 * answers for a shadow copy outside its home region; if not, that trail's status stays unknown.
 */
export async function collectTrails(ctx: InventoryContext): Promise<Trail[]> {
  let trails: Trail[];
  try {
    const body = await rpc(ctx.clients, 'DescribeTrails', { IncludeOrganizationTrail: true, IncludeShadowTrails: true });
    const unique = new Map(trailList(body).map(toTrail).map((t) => [`${t.isOrganizationTrail}/${t.homeRegion}/${t.name}`, t]));
    trails = [...unique.values()];
  } catch (err) {
    failPart(ctx, 'trails', err, 'actiontrail');
    return [];
  }
  await forEach(ctx, 'trail status', trails, async (trail) => {
    try {
      withStatus(trail, await rpc(ctx.clients, 'GetTrailStatus', { Name: trail.name, IsOrganizationTrail: trail.isOrganizationTrail }));
    } catch (err) {
      // This trail's status stays unknown (isLogging null). A refusal is the account's configuration,
      // not this trail's: record it so the report says which permission to grant.
      if (isRefusal(err)) failPart(ctx, 'trails', err, 'actiontrail');
    }
  });
  return trails;
}
