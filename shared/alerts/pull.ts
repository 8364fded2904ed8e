/**
 * Console sign-ins for the alert function's timer. EventBridge carries only ActionTrail write events
 * (ApiCall, ConsoleOperation, AliyunServiceEvent), not ConsoleSignin, so root and RAM-user sign-ins
 * are pulled with LookupEvents (EventName=ConsoleSignin) from the region that stores global events,
 * from where the last pull ended (minus an overlap for late delivery: records are handled once by
 * their event id, so the overlap costs nothing) to now.
 */
import { globalEventsStorageRegion, lookupEvents, type ActionTrailClients } from '../activity/actiontrail.js';
import { regionClient } from '../activity/refresh.js';
import type { CloudClients } from '../cloud/clients.js';
import type { Config } from '../config/index.js';
import type { Store } from '../store/port.js';
import { parseAlertInput, type ParsedAlertInput } from './event.js';

/** Where the last pull ended (kv cache). */
export const PULL_KEY = 'alert:signin-pull';
/** ActionTrail delivers within minutes; reread this much before the last end. */
export const PULL_OVERLAP_MS = 15 * 60_000;
/** A first pull (or one after a long outage) looks back this far at most. */
export const PULL_MAX_LOOKBACK_MS = 24 * 3_600_000;

export interface PullDeps {
  clients: CloudClients;
  config: Config;
  store: Store;
  now: Date;
  sleep: (ms: number) => Promise<void>;
  /** ActionTrail clients for another region (tests point it at the emulator). */
  actionTrailFor?: (regionId: string) => ActionTrailClients;
}

export interface SigninPull {
  input: ParsedAlertInput;
  window: { from: string; to: string };
  region: string;
  /** Records the pull's window up to `to` as read: call after the records were handled. */
  commit(): Promise<void>;
}

export async function pullSignins(deps: PullDeps): Promise<SigninPull> {
  const raw = await deps.store.tx((tx) => tx.getCache(PULL_KEY));
  const last = raw ? Date.parse(raw) : Number.NaN;
  const to = deps.now;
  const floor = to.getTime() - PULL_MAX_LOOKBACK_MS;
  const from = new Date(Math.max(floor, Number.isNaN(last) ? to.getTime() - PULL_OVERLAP_MS : last - PULL_OVERLAP_MS));
  const region = await globalEventsStorageRegion(deps.clients);
  const clients =
    region === deps.config.cloud.regionId
      ? { actiontrail: deps.clients.actiontrail, caller: deps.clients.caller }
      : (deps.actionTrailFor ?? ((r) => regionClient(deps.clients, deps.config, r)))(region);
  const events: unknown[] = [];
  for await (const page of lookupEvents(clients, { window: { from, to }, attributes: [{ key: 'EventName', value: 'ConsoleSignin' }], sleep: deps.sleep })) events.push(...page);
  // Oldest first, so a sign-in's baseline is set before a later one is judged.
  const input = parseAlertInput({ Events: events });
  input.records.sort((a, b) => a.eventTime.localeCompare(b.eventTime));
  return {
    input,
    window: { from: from.toISOString(), to: to.toISOString() },
    region,
    commit: () => deps.store.tx((tx) => tx.setCache(PULL_KEY, to.toISOString())),
  };
}
