/**
 * The usage index: last use per identity, per RAM action and per service, and where each access key
 * was used from (`key-origins.ts`), built from activity events.
 * It records its coverage window (the span of time whose events it holds) and a high-water mark
 * (`high-water.ts`), so each read fetches only new events and re-reading the boundary adds nothing twice. Rules must ask {@link UsageIndex.covers} before
 * reading "no use" as "unused" (STYLE §3: missing data is unknown, never a pass).
 */
import { identityKey, type ActivityEvent, type Identity } from './events.js';
import { HighWater, SETTLE_MS } from './high-water.js';
import { OriginTally, type KeyOrigins } from './key-origins.js';
import { agentClassifier } from './origin.js';
import { UsageIndexJson } from './usage-store.js';

export { SETTLE_MS } from './high-water.js';
export type { KeyOrigins } from './key-origins.js';
export type { UsageIndexJson } from './usage-store.js';

/** A span of time, both ends inclusive. */
export interface TimeWindow {
  from: Date;
  to: Date;
}

interface IdentityUsage {
  /** Latest event of any kind (sign-ins and denied calls included): the identity was active. */
  last: number;
  /** Lower-cased action → its spelling and last allowed use. */
  actions: Map<string, { name: string; last: number }>;
  services: Map<string, number>;
  /** Access keys only: where the key was used from. */
  origin?: OriginTally;
}

const iso = (ms: number): string => new Date(ms).toISOString();

const NO_ORIGINS = new OriginTally();
const key = (identity: Identity | string): string => (typeof identity === 'string' ? identity : identityKey(identity));

export class UsageIndex {
  private readonly usage = new Map<string, IdentityUsage>();
  private window: { from: number; to: number } | null = null;
  /** The newest event time, and the ids of the events within {@link SETTLE_MS} of it; null before any event. */
  private hw: HighWater | null = null;
  /** Events taken in (each counted once). */
  events = 0;
  /** Before this time (epoch ms) key origins are incomplete: a save without them, or a source without addresses. */
  private originsSince = -Infinity;
  private readonly agentOf = agentClassifier();

  /**
   * Whether the event was already taken in: one older than the settling span before the high-water
   * mark, or one within it whose id was seen.
   */
  seen(event: Pick<ActivityEvent, 'id' | 'time'>): boolean {
    return this.hw !== null && this.hw.seen(event.id, event.time);
  }

  /** Records one event; does not consult the high-water mark (see {@link ingest}). */
  add(event: ActivityEvent): void {
    this.events++;
    const time = event.time;
    (this.hw ??= new HighWater(time)).mark(event.id, time);
    const used = !event.denied && event.action !== null && event.service !== null;
    const lower = used ? this.lowerCase(event.action as string) : '';
    for (const identity of event.identities) {
      const u = this.usageOf(identity, time);
      if (u.last < time) u.last = time;
      // Denied calls count too: they show where the key is, whatever it was allowed to do.
      if (identity.type === 'accessKey' && (event.sourceIp !== undefined || event.userAgent !== undefined)) {
        (u.origin ??= new OriginTally()).call(time, event.sourceIp ?? '', event.userAgent ?? '', event.vpcId ?? '', this.agentOf);
      }
      if (!used) continue;
      const a = u.actions.get(lower);
      if (!a) u.actions.set(lower, { name: event.action as string, last: time });
      else if (a.last < time) a.last = time;
      const s = u.services.get(event.service as string);
      if (s === undefined || s < time) u.services.set(event.service as string, time);
    }
  }

  /**
   * Usage per identity type and name as events spell them, in front of `usage`: a million events
   * name a few thousand identities, and building each one's key string costs more than the lookup.
   * Entries of `usage` are never replaced, so a cached one stays current.
   */
  private readonly byName: Record<Identity['type'], Map<string, IdentityUsage>> = { user: new Map(), role: new Map(), accessKey: new Map(), root: new Map() };
  private usageOf(identity: Identity, time: number): IdentityUsage {
    const names = this.byName[identity.type];
    let u = names.get(identity.name);
    if (u) return u;
    const k = identityKey(identity);
    u = this.usage.get(k);
    if (!u) this.usage.set(k, (u = { last: time, actions: new Map(), services: new Map() }));
    names.set(identity.name, u);
    return u;
  }

  /** Lower-cased action names, cached: an account calls a few hundred distinct actions. */
  private readonly lower = new Map<string, string>();
  private lowerCase(action: string): string {
    let l = this.lower.get(action);
    if (l === undefined) this.lower.set(action, (l = action.toLowerCase()));
    return l;
  }

  /**
   * Takes in the events of one completed read of `window`: only those not {@link seen} yet, then extends
   * the coverage. Idempotent: the same events again change nothing.
   */
  ingest(events: Iterable<ActivityEvent>, window: TimeWindow): this {
    const delta = new UsageIndex();
    for (const e of events) if (!this.seen(e)) delta.add(e);
    return this.merge(delta, window);
  }

  /** Folds another index in (last uses: the later wins; high-water: the newer), then records `window` as covered. */
  merge(other: UsageIndex, window?: TimeWindow): this {
    this.events += other.events;
    for (const [k, o] of other.usage) {
      const u: IdentityUsage = this.usage.get(k) ?? { last: o.last, actions: new Map(), services: new Map() };
      this.usage.set(k, u);
      u.last = Math.max(u.last, o.last);
      for (const [a, v] of o.actions) if ((u.actions.get(a)?.last ?? -Infinity) < v.last) u.actions.set(a, { ...v });
      for (const [s, t] of o.services) u.services.set(s, Math.max(u.services.get(s) ?? 0, t));
      if (o.origin) (u.origin ??= new OriginTally()).merge(o.origin);
    }
    this.originsSince = Math.max(this.originsSince, other.originsSince);
    if (other.hw) (this.hw ??= new HighWater(other.hw.time)).absorb(other.hw);
    if (other.window) this.cover({ from: new Date(other.window.from), to: new Date(other.window.to) });
    if (window) this.cover(window);
    return this;
  }

  /**
   * Records `w` as read. Touching or overlapping windows join; a window after a gap replaces the
   * coverage (what came before the gap no longer reaches the present); an older disjoint one is ignored.
   */
  cover(w: TimeWindow): this {
    const from = w.from.getTime();
    const to = w.to.getTime();
    const c = this.window;
    if (!c || from > c.to) this.window = { from, to };
    else if (to >= c.from) this.window = { from: Math.min(from, c.from), to: Math.max(to, c.to) };
    return this;
  }

  /**
   * The window the next read should fetch: from {@link SETTLE_MS} before the later of the high-water
   * mark and the end of the coverage (late events land there) to `now`, never further back than
   * `retentionDays` (ActionTrail keeps 90).
   */
  nextWindow(now: Date, retentionDays: number): TimeWindow {
    const oldest = now.getTime() - retentionDays * 86_400_000;
    const last = Math.max(this.hw?.time ?? -Infinity, this.window?.to ?? -Infinity);
    const resume = Number.isFinite(last) ? last - SETTLE_MS : oldest;
    const from = Math.floor(Math.max(resume, oldest) / 1000) * 1000;
    return { from: new Date(Math.min(from, now.getTime())), to: now };
  }

  /** The covered window, or null before the first completed read. */
  get coverage(): { from: string; to: string } | null {
    return this.window && { from: iso(this.window.from), to: iso(this.window.to) };
  }

  /** The newest event time and the ids seen at that instant. */
  get highWater(): { time: string; ids: string[] } | null {
    const hw = this.hw;
    return hw && { time: iso(hw.time), ids: hw.idsAtMark() };
  }

  /** Whether the index holds every event from `from` to `to`. */
  covers(from: Date, to: Date): boolean {
    return !!this.window && this.window.from <= from.getTime() && this.window.to >= to.getTime();
  }

  /**
   * Last use (ISO) of `action` by the identity (case-insensitive, allowed calls only), or with no
   * action its last activity of any kind. Undefined = none in the index; check {@link covers}.
   */
  lastUsed(identity: Identity | string, action?: string): string | undefined {
    const u = this.usage.get(key(identity));
    if (!u) return undefined;
    if (action === undefined) return iso(u.last);
    const a = u.actions.get(action.toLowerCase());
    return a && iso(a.last);
  }

  /** Last allowed use (ISO) of any action of `service` (RAM code, e.g. `ecs`). */
  lastUsedService(identity: Identity | string, service: string): string | undefined {
    const t = this.usage.get(key(identity))?.services.get(service.toLowerCase());
    return t === undefined ? undefined : iso(t);
  }

  /** Actions the identity used at or after `since`, sorted. */
  usedActions(identity: Identity | string, since: Date): string[] {
    const u = this.usage.get(key(identity));
    if (!u) return [];
    return [...u.actions.values()].filter((a) => a.last >= since.getTime()).map((a) => a.name).sort();
  }

  /** Services (RAM codes) the identity used at or after `since`, sorted. */
  usedServices(identity: Identity | string, since: Date): string[] {
    const u = this.usage.get(key(identity));
    if (!u) return [];
    return [...u.services].filter(([, t]) => t >= since.getTime()).map(([s]) => s).sort();
  }

  /**
   * Where access key `accessKeyId` was used from at or after `since` (empty counts when it was not).
   * Undefined when origins were not recorded for all of that time: an index saved before they were, or
   * a source without per-call addresses (see {@link originsUnrecordedUntil}). Check {@link covers} too.
   */
  origins(accessKeyId: string, since: Date): KeyOrigins | undefined {
    if (since.getTime() < this.originsSince) return undefined;
    return (this.usage.get(`accessKey:${accessKeyId}`)?.origin ?? NO_ORIGINS).view(since.getTime());
  }

  /** Records that events up to `until` were taken in without their origins (an SLS aggregate read). */
  originsUnrecordedUntil(until: Date): this {
    this.originsSince = Math.max(this.originsSince, until.getTime());
    return this;
  }

  /** Every action any identity used, sorted (feeds the policy engine's action catalog). */
  observedActions(): string[] {
    const names = new Map<string, string>();
    for (const u of this.usage.values()) for (const [lower, a] of u.actions) if (!names.has(lower)) names.set(lower, a.name);
    return [...names.values()].sort();
  }

  /** Identity keys present (`user:alice`, `role:ops`, `accessKey:LTAI…`, `root`), sorted. */
  identities(): string[] {
    return [...this.usage.keys()].sort();
  }

  toJSON(): UsageIndexJson {
    const identities: UsageIndexJson['identities'] = {};
    for (const k of this.identities()) {
      const u = this.usage.get(k)!;
      identities[k] = {
        last: iso(u.last),
        actions: Object.fromEntries([...u.actions.values()].map((a) => [a.name, iso(a.last)])),
        services: Object.fromEntries([...u.services].map(([s, t]) => [s, iso(t)])),
        ...(u.origin ? { origin: u.origin.toJSON() } : {}),
      };
    }
    const recent = this.hw && Object.fromEntries(this.hw.within().map(([id, t]) => [id, iso(t)]));
    const highWater = this.highWater && recent ? { ...this.highWater, recent } : null;
    const originsSince = Number.isFinite(this.originsSince) ? iso(this.originsSince) : null;
    return { version: 1, events: this.events, coverage: this.coverage, highWater, identities, originsSince };
  }

  /** Restores a persisted index; throws a ZodError naming the bad field when `json` is not one. */
  static fromJSON(json: unknown): UsageIndex {
    const data = UsageIndexJson.parse(json);
    const index = new UsageIndex();
    index.events = data.events;
    if (data.coverage) index.window = { from: Date.parse(data.coverage.from), to: Date.parse(data.coverage.to) };
    if (data.highWater) {
      const hw = (index.hw = new HighWater(Date.parse(data.highWater.time)));
      // Saves from before the settling span hold only the ids at the mark.
      const recent = data.highWater.recent ?? Object.fromEntries(data.highWater.ids.map((id) => [id, data.highWater!.time]));
      for (const [id, t] of Object.entries(recent)) hw.mark(id, Date.parse(t));
    }
    for (const [k, u] of Object.entries(data.identities)) {
      const actions = new Map(Object.entries(u.actions).map(([name, t]) => [name.toLowerCase(), { name, last: Date.parse(t) }]));
      const services = new Map(Object.entries(u.services).map(([s, t]) => [s, Date.parse(t)]));
      index.usage.set(k, { last: Date.parse(u.last), actions, services, ...(u.origin ? { origin: OriginTally.fromJSON(u.origin) } : {}) });
    }
    // A save from before origins were recorded: complete only for events after its last read.
    const legacy = Math.max(index.hw?.time ?? -Infinity, index.window?.to ?? -Infinity);
    index.originsSince = data.originsSince === undefined ? legacy : data.originsSince === null ? -Infinity : Date.parse(data.originsSince);
    return index;
  }
}
