/**
 * Where the usage index lives between scans. The index is the scan's memory of activity: kept, each
 * scan reads only the events after its high-water mark (reference §4.1: LookupEvents is slow and
 * rate-limited). Adapters: the workflow store's key/value cache (FC, or the CLI with a database), a
 * JSON file (the CLI without one), and memory (the demo and tests).
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { RampartsError } from '../errors.js';
import type { Store } from '../store/port.js';
import { OriginJson } from './key-origins.js';

const Iso = z.iso.datetime();
/**
 * The persisted form of a `UsageIndex` (`toJSON` writes it, `fromJSON` validates it). Fields added
 * later are optional, so an index saved by an older version still loads.
 */
export const UsageIndexJson = z.object({
  version: z.literal(1),
  events: z.number().int().nonnegative(),
  coverage: z.object({ from: Iso, to: Iso }).nullable(),
  highWater: z
    .object({
      time: Iso,
      ids: z.array(z.string()),
      /** Ids of the events within the settling span (`SETTLE_MS`) of the mark, with their times (absent in older saves). */
      recent: z.record(z.string(), Iso).optional(),
    })
    .nullable(),
  identities: z.record(
    z.string(),
    z.object({
      last: Iso,
      actions: z.record(z.string(), Iso),
      services: z.record(z.string(), Iso),
      /** Access keys: where the key was used from (absent in older saves). */
      origin: OriginJson.optional(),
    }),
  ),
  /**
   * Since when every event taken in had its origin recorded (null: since the start). Absent in saves
   * from before origins were recorded: then from their high-water mark on.
   */
  originsSince: Iso.nullable().optional(),
});
export type UsageIndexJson = z.output<typeof UsageIndexJson>;

/** Port: the persisted index of one account, as JSON-safe data (validated by `UsageIndex.fromJSON`). */
export interface UsageStore {
  /** The saved index, or null when none was saved. Unparsable content is returned as is, for the caller to reject. */
  load(accountId: string): Promise<unknown | null>;
  save(accountId: string, json: unknown): Promise<void>;
}

/** The cache key of an account's index. */
export const usageKey = (accountId: string): string => `usage:${accountId}`;

/** Unreadable JSON comes back as the raw text, so `fromJSON` rejects it and the index is rebuilt. */
function parseStored(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The index in the store's key/value cache, under `usage:<accountId>`. */
export function storeUsageStore(store: Pick<Store, 'tx'>): UsageStore {
  return {
    load: async (accountId) => {
      const raw = await store.tx((tx) => tx.getCache(usageKey(accountId)));
      return raw === null ? null : parseStored(raw);
    },
    save: (accountId, json) => store.tx((tx) => tx.setCache(usageKey(accountId), JSON.stringify(json))),
  };
}

/**
 * The index as `<dir>/usage-<accountId>.json`. Written to a temporary file and renamed, so a scan
 * killed mid-write leaves the previous index, never half a file.
 */
export function fileUsageStore(dir: string): UsageStore {
  const file = (accountId: string) => `${dir}/usage-${accountId}.json`;
  return {
    load: async (accountId) => {
      try {
        return parseStored(await readFile(file(accountId), 'utf8'));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw new RampartsError('USAGE_STORE_FAILED', `cannot read the usage index ${file(accountId)}: ${(err as Error).message}`, { cause: err });
      }
    },
    save: async (accountId, json) => {
      const target = file(accountId);
      try {
        await mkdir(dirname(target), { recursive: true });
        const temp = `${target}.${process.pid}.tmp`;
        await writeFile(temp, `${JSON.stringify(json)}\n`, 'utf8');
        await rename(temp, target);
      } catch (err) {
        throw new RampartsError('USAGE_STORE_FAILED', `cannot write the usage index ${target}: ${(err as Error).message}; check the folder is writable`, { cause: err });
      }
    },
  };
}

/** An in-memory store: nothing outlives the process (the demo; tests inspect `saved`). */
export function memoryUsageStore(initial: Record<string, unknown> = {}): UsageStore & { saved: Map<string, unknown> } {
  const saved = new Map(Object.entries(initial));
  return {
    saved,
    load: async (accountId) => (saved.has(accountId) ? structuredClone(saved.get(accountId)) : null),
    save: async (accountId, json) => {
      saved.set(accountId, structuredClone(json));
    },
  };
}
