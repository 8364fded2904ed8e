import { invalidParameter } from './errors.js';
import type { Params } from './params.js';

/** MaxItems bounds of a paged RAM/IMS action (from the SDK's documented remarks). */
export interface PageBounds {
  max: number;
  def: number;
}

/** One page of a Marker/MaxItems listing, ready to spread into a response body. */
export interface Page<T> {
  items: T[];
  wire: { IsTruncated: boolean; Marker?: string };
}

/**
 * Marker paging as RAM and IMS do it: `MaxItems` bounded per action, an opaque `Marker` when
 * `IsTruncated`. The marker carries both the offset and the key of the next item, so a listing stays
 * correct when entities are added or removed between pages (write actions come later).
 */
export function paginate<T>(items: readonly T[], keyOf: (item: T) => string, params: Params, bounds: PageBounds): Page<T> {
  const maxItems = params.int('MaxItems', 1, bounds.max, bounds.def);
  const marker = params.get('Marker');
  const start = marker === undefined ? 0 : resolveMarker(marker, items, keyOf);
  const slice = items.slice(start, start + maxItems);
  const next = start + slice.length;
  if (next >= items.length) return { items: slice, wire: { IsTruncated: false } };
  const token = Buffer.from(JSON.stringify({ o: next, k: keyOf(items[next]!) })).toString('base64url');
  return { items: slice, wire: { IsTruncated: true, Marker: token } };
}

function resolveMarker<T>(marker: string, items: readonly T[], keyOf: (item: T) => string): number {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(marker, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  const m = decoded as { o?: unknown; k?: unknown } | undefined;
  if (typeof m?.o !== 'number' || typeof m.k !== 'string') {
    throw invalidParameter('Marker', 'pass the Marker of the previous page unchanged.');
  }
  const at = items[m.o];
  if (at !== undefined && keyOf(at) === m.k) return m.o;
  const found = items.findIndex((i) => keyOf(i) === m.k);
  return found >= 0 ? found : Math.min(m.o, items.length);
}
