import type { CloudClients } from '../cloud/clients.js';
import { permissionFor, type Product } from '../cloud/caller.js';
import type { SnapshotPart } from '../domain/snapshot.js';
import { CloudError } from '../errors.js';
import type { PartTracker } from './tracker.js';

/** Inventory options (config `scan.credentialReport`). */
export interface InventorySettings {
  credentialReport: { enabled: boolean; maxUsers: number; pollIntervalMs: number; timeoutMs: number };
}

/** Progress events for long scans (the CLI prints them on stderr). */
export interface ProgressEvent {
  phase: string;
  done?: number;
  total?: number;
}

export interface InventoryContext {
  clients: CloudClients;
  tracker: PartTracker;
  settings: InventorySettings;
  progress: (event: ProgressEvent) => void;
  sleep: (ms: number) => Promise<void>;
}

/** Shorthand: one SDK request through the caller (pacing, retries, counting). */
export function call<T>(ctx: InventoryContext, product: Product, action: string, fn: () => Promise<T>): Promise<T> {
  return ctx.clients.caller.call(product, action, fn);
}

/** True for a call the cloud refused for want of a permission (after the caller's classification). */
export function isRefusal(err: unknown): err is CloudError {
  return err instanceof CloudError && err.code === 'CLOUD_NO_PERMISSION';
}

/**
 * Records a failed call on `part`. The part status is all a report keeps of it, so a refusal is recorded
 * with the permission to grant ("ListSecrets: denied (Forbidden.NoPermission): grant kms:ListSecrets …"):
 * the context parts (trails, secrets) are the ones an account may well have left ungranted.
 */
export function failPart(ctx: Pick<InventoryContext, 'tracker'>, part: SnapshotPart, err: unknown, product: Product): void {
  if (!isRefusal(err)) {
    ctx.tracker.fail(part, err);
    return;
  }
  const grant = `grant ${permissionFor(product, err.action)} to the role ramparts runs as (templates/ram-policy-scan.json)`;
  ctx.tracker.fail(part, new Error(`denied (${err.cloudCode ?? 'no permission'}): ${grant}`), err.action);
}

/** Follows Marker/IsTruncated paging until the last page. */
export async function allPages<T>(
  fetch: (marker: string | undefined) => Promise<{ items: T[] | undefined; isTruncated?: boolean | string; marker?: string }>,
): Promise<T[]> {
  const out: T[] = [];
  let marker: string | undefined;
  for (;;) {
    const page = await fetch(marker);
    out.push(...(page.items ?? []));
    // IsTruncated is a boolean in RAM and a string in some IMS models (reference gotcha 6).
    if (String(page.isTruncated) !== 'true' || !page.marker) return out;
    marker = page.marker;
  }
}

/**
 * Items in flight at once in {@link forEach}. The caller bounds and paces the requests themselves;
 * this only keeps a 10,000-user account from holding 10,000 pending call chains in memory. It is far
 * above what the pacing lets through per second, so it never limits throughput.
 */
export const ITEMS_IN_FLIGHT = 256;

/** Runs `fn` over items by a bounded pool of workers, reporting progress about 20 times. */
export async function forEach<T>(ctx: InventoryContext, phase: string, items: T[], fn: (item: T) => Promise<void>): Promise<void> {
  let done = 0;
  let next = 0;
  const total = items.length;
  const step = Math.max(1, Math.floor(total / 20));
  const worker = async () => {
    while (next < total) {
      const item = items[next++] as T;
      await fn(item);
      done++;
      if (done % step === 0 || done === total) ctx.progress({ phase, done, total });
    }
  };
  await Promise.all(Array.from({ length: Math.min(ITEMS_IN_FLIGHT, total) }, worker));
}

export function isNotFound(err: unknown, code: string): boolean {
  const c = (err as { cloudCode?: string; code?: string } | null)?.cloudCode ?? (err as { code?: string } | null)?.code;
  return c === code;
}
