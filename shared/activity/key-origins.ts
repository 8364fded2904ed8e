/**
 * Where one access key was used from, in bounded memory whatever the event count: uses per day and
 * network over the last {@link ORIGIN_DAYS} days of the key's activity (a ring of counters), the
 * {@link SAMPLE_IPS} most recent distinct source addresses per network, and the last use and a sample
 * user agent per client family (a handful of families). Every part merges in any order to the same
 * result, as the usage index needs (`merge`, `ingest`).
 */
import { z } from 'zod';
import { AGENT_FAMILIES, classifyIp, isRuntimeFamily, NETWORKS, type AgentFamily, type Network } from './origin.js';
import type { KeyOrigins } from '../rules/types.js';

/** Days of per-day counts kept, back from the key's newest use (≥ the longest look-back a rule may ask, 90). */
export const ORIGIN_DAYS = 92;
/** Distinct source addresses kept per network. */
export const SAMPLE_IPS = 3;
/** User agents are kept as evidence, cut to this length. */
const UA_MAX = 160;
const DAY = 86_400_000;
const N = NETWORKS.length;
const NETWORK_INDEX: Record<Network, number> = { internal: 0, public: 1, other: 2 };

/** What `UsageIndex.origins` answers: the port's type (rules read it), computed here. */
export type { KeyOrigins };

interface Sample {
  ip: string;
  network: Network;
  last: number;
}

interface Agent {
  last: number;
  sample: string;
}

const Iso = z.iso.datetime();
const Day = z.iso.date();
const Counts = z.array(z.number().int().nonnegative());
/** The persisted form of one key's tally. */
export const OriginJson = z.object({
  last: Iso,
  /** Newest day with a use; `counts.<network>[k]` is the uses k days before it. */
  day: Day,
  counts: z.object({ internal: Counts, public: Counts, other: Counts }),
  samples: z.array(z.object({ ip: z.string(), network: z.enum(NETWORKS), last: Iso })),
  agents: z.record(z.string(), z.object({ last: Iso, sample: z.string() })),
});
export type OriginJson = z.output<typeof OriginJson>;

const iso = (ms: number): string => new Date(ms).toISOString();
const cut = (userAgent: string): string => (userAgent.length > UA_MAX ? userAgent.slice(0, UA_MAX) : userAgent);
const slot = (day: number): number => (((day % ORIGIN_DAYS) + ORIGIN_DAYS) % ORIGIN_DAYS) * N;
/** Total order on samples: later first, then by address and network, so any merge order keeps the same ones. */
const ranksAbove = (a: Sample, b: Sample): boolean =>
  a.last > b.last || (a.last === b.last && (a.ip < b.ip || (a.ip === b.ip && a.network < b.network)));

export class OriginTally {
  /** Newest day (epoch days) with a use; the ring holds it and the {@link ORIGIN_DAYS} - 1 days before. */
  private newest = -Infinity;
  private readonly counts = new Uint32Array(ORIGIN_DAYS * N);
  private last = -Infinity;
  private readonly samples: Sample[] = [];
  private readonly agents = new Map<AgentFamily, Agent>();
  /**
   * The last call's sample and agent, not yet applied: a key calls from a few places with a few
   * clients, so consecutive calls mostly repeat them, and keeping the latest time here spares touching
   * the entries (memory, not arithmetic, is the cost per event). Applied by {@link flush} before any
   * read or merge; applying `sample(ip, t1)`, `sample(ip, t2)` once with the later time is the same.
   */
  private pendingIp = '';
  private pendingNetwork: Network = 'other';
  private pendingIpLast = -Infinity;
  private pendingFamily: AgentFamily | null = null;
  private pendingAgentLast = -Infinity;
  private pendingAgentSample = '';

  /**
   * Records one call as ActionTrail wrote it. A call with `vpcId` set came through a VPC (endpoint), so
   * from inside whatever the address (reference §4.2 lists the field; UNVERIFIED that ActionTrail fills
   * it for every VPC-endpoint call); otherwise the address decides ({@link classifyIp}). `agentOf`
   * classifies the user agent.
   */
  call(time: number, ip: string, userAgent: string, vpcId: string, agentOf: (userAgent: string) => AgentFamily | null): void {
    const network = vpcId ? 'internal' : classifyIp(ip);
    if (time > this.last) this.last = time;
    this.count(Math.floor(time / DAY), NETWORK_INDEX[network], 1);
    if (network !== 'other' && ip) {
      if (ip !== this.pendingIp || network !== this.pendingNetwork) {
        this.flushSample();
        this.pendingIp = ip;
        this.pendingNetwork = network;
      }
      if (time > this.pendingIpLast) this.pendingIpLast = time;
    }
    const family = agentOf(userAgent);
    if (!family) return;
    if (family !== this.pendingFamily) {
      this.flushAgent();
      this.pendingFamily = family;
    }
    if (time > this.pendingAgentLast || (time === this.pendingAgentLast && cut(userAgent) < this.pendingAgentSample)) {
      this.pendingAgentLast = time;
      this.pendingAgentSample = cut(userAgent);
    }
  }

  private flushSample(): void {
    if (this.pendingIpLast !== -Infinity) this.sample(this.pendingIp, this.pendingNetwork, this.pendingIpLast);
    this.pendingIp = '';
    this.pendingIpLast = -Infinity;
  }

  private flushAgent(): void {
    if (this.pendingFamily) this.agent(this.pendingFamily, this.pendingAgentLast, this.pendingAgentSample);
    this.pendingFamily = null;
    this.pendingAgentLast = -Infinity;
    this.pendingAgentSample = '';
  }

  /** Applies the pending sample and agent (see {@link call}); reads and merges start here. */
  private flush(): this {
    this.flushSample();
    this.flushAgent();
    return this;
  }

  /** Records `n` uses at `time` from `ip` (classified as `network`) by a client of `family` sending `userAgent`. */
  add(time: number, network: Network, ip: string, family: AgentFamily | null, userAgent: string, n = 1): void {
    if (time > this.last) this.last = time;
    this.count(Math.floor(time / DAY), NETWORK_INDEX[network], n);
    if (network !== 'other' && ip) this.sample(ip, network, time);
    if (family) this.agent(family, time, userAgent);
  }

  private count(day: number, net: number, n: number): void {
    if (day > this.newest) {
      // Days leaving the ring are cleared before their slots are reused.
      if (this.newest !== -Infinity) for (let d = this.newest + 1; d <= Math.min(day, this.newest + ORIGIN_DAYS); d++) this.counts.fill(0, slot(d), slot(d) + N);
      this.newest = day;
    } else if (day <= this.newest - ORIGIN_DAYS) return;
    this.counts[slot(day) + net]! += n;
  }

  /** Keeps `ip` among the samples of `network` when it ranks. */
  private sample(ip: string, network: Network, time: number): void {
    let lowest = -1;
    let held = 0;
    for (let i = 0; i < this.samples.length; i++) {
      const s = this.samples[i]!;
      if (s.network !== network) continue;
      if (s.ip === ip) {
        if (s.last < time) s.last = time;
        return;
      }
      held++;
      if (lowest < 0 || ranksAbove(this.samples[lowest]!, s)) lowest = i;
    }
    const entry = { ip, network, last: time };
    if (held < SAMPLE_IPS) this.samples.push(entry);
    else if (ranksAbove(entry, this.samples[lowest]!)) this.samples[lowest] = entry;
  }

  /** The later use wins; at the same instant the smaller sample, so merges agree whatever their order. */
  private agent(family: AgentFamily, time: number, userAgent: string): void {
    const a = this.agents.get(family);
    if (!a) this.agents.set(family, { last: time, sample: cut(userAgent) });
    else if (a.last < time || (a.last === time && cut(userAgent) < a.sample)) {
      a.last = time;
      a.sample = cut(userAgent);
    }
  }

  /** Folds `other` in; the result does not depend on the order tallies are merged in. */
  merge(other: OriginTally): this {
    this.flush();
    other.flush();
    if (other.newest !== -Infinity) {
      for (let day = other.newest - ORIGIN_DAYS + 1; day <= other.newest; day++) {
        for (let net = 0; net < N; net++) {
          const c = other.counts[slot(day) + net]!;
          if (c > 0) this.count(day, net, c);
        }
      }
    }
    if (other.last > this.last) this.last = other.last;
    for (const s of other.samples) this.sample(s.ip, s.network, s.last);
    for (const [family, a] of other.agents) this.agent(family, a.last, a.sample);
    return this;
  }

  /** The uses since `since` (epoch ms); counts at day granularity, samples and agents exactly. */
  view(since: number): KeyOrigins {
    this.flush();
    const totals = [0, 0, 0];
    if (this.newest !== -Infinity) {
      for (let day = Math.max(Math.floor(since / DAY), this.newest - ORIGIN_DAYS + 1); day <= this.newest; day++) {
        for (let net = 0; net < N; net++) totals[net]! += this.counts[slot(day) + net]!;
      }
    }
    const samples = this.samples
      .filter((s) => s.last >= since)
      .sort((a, b) => (ranksAbove(a, b) ? -1 : 1))
      .map((s) => ({ ip: s.ip, network: s.network as 'internal' | 'public', last: iso(s.last) }));
    const agents = [...this.agents]
      .filter(([, a]) => a.last >= since)
      .sort(([fa, a], [fb, b]) => b.last - a.last || (fa < fb ? -1 : 1))
      .map(([family, a]) => ({ family, runtime: isRuntimeFamily(family), last: iso(a.last), sample: a.sample }));
    return { internal: totals[0]!, public: totals[1]!, other: totals[2]!, samples, agents, last: this.last >= since ? iso(this.last) : null };
  }

  toJSON(): OriginJson {
    this.flush();
    const counts = { internal: [] as number[], public: [] as number[], other: [] as number[] };
    for (const [net, name] of NETWORKS.entries()) {
      const list = counts[name];
      for (let k = 0; k < ORIGIN_DAYS; k++) list.push(this.counts[slot(this.newest - k) + net]!);
      while (list.length > 0 && list[list.length - 1] === 0) list.pop();
    }
    const samples = [...this.samples].sort((a, b) => (ranksAbove(a, b) ? -1 : 1)).map((s) => ({ ip: s.ip, network: s.network, last: iso(s.last) }));
    const agents = Object.fromEntries([...this.agents].sort(([a], [b]) => (a < b ? -1 : 1)).map(([f, a]) => [f, { last: iso(a.last), sample: a.sample }]));
    return { last: iso(this.last), day: iso(this.newest * DAY).slice(0, 10), counts, samples, agents };
  }

  /** Restores a persisted tally (`json` already validated by {@link OriginJson}); unknown families are dropped. */
  static fromJSON(json: OriginJson): OriginTally {
    const t = new OriginTally();
    t.last = Date.parse(json.last);
    t.newest = Math.floor(Date.parse(json.day) / DAY);
    for (const [net, name] of NETWORKS.entries()) {
      json.counts[name].slice(0, ORIGIN_DAYS).forEach((c, k) => (t.counts[slot(t.newest - k) + net] = c));
    }
    for (const s of json.samples) t.sample(s.ip, s.network, Date.parse(s.last));
    for (const [family, a] of Object.entries(json.agents)) {
      if ((AGENT_FAMILIES as readonly string[]).includes(family)) t.agent(family as AgentFamily, Date.parse(a.last), a.sample);
    }
    return t;
  }
}
