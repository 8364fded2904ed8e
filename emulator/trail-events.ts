/**
 * ActionTrail's event history in the emulator: scenario events turned into full records (reference
 * §4.2: camelCase fields, `userIdentity` per identity type) and kept sorted by (time, id) so
 * LookupEvents can page through a window by binary search on accounts with millions of events.
 */
import { createHash } from 'node:crypto';
import { isoSeconds, resolveDate } from './dates.js';
import { stableAlnum, stableDigits } from './ids.js';
import type { TrailEventRecord } from './model.js';
import type { Scenario } from './scenario.js';

type ScenarioEvent = Scenario['events'][number];

/** Services whose events are global (stored in one region; reference §4.1). */
const GLOBAL_SERVICES = new Set(['ram', 'sts', 'ims', 'aassub', 'aascustomer']);
const READ_PREFIXES = /^(Describe|List|Get|Query|Lookup|Check)/;

/** What a record needs beyond the scenario event: the account and ids of known users and roles. */
export interface TrailContext {
  accountId: string;
  now: Date;
  userId(name: string): string | undefined;
  roleId(name: string): string | undefined;
}

/** An id in the upper-case UUID form ActionTrail uses, stable for the same input. */
function uuidOf(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex').toUpperCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function userIdentity(e: ScenarioEvent, ctx: TrailContext): Record<string, unknown> {
  const [kind, rest = ''] = e.identity.split(/:(.*)/s) as [string, string?];
  const key = e.accessKeyId ? { accessKeyId: e.accessKeyId } : {};
  if (kind === 'root') return { type: 'root-account', accountId: ctx.accountId, principalId: ctx.accountId, userName: 'root', ...key };
  if (kind === 'user') {
    const principalId = ctx.userId(rest) ?? stableDigits('user', `${ctx.accountId}/${rest}`);
    return { type: 'ram-user', accountId: ctx.accountId, principalId, userName: rest, ...key };
  }
  const [role, session = 'session'] = rest.split('/') as [string, string?];
  const roleId = ctx.roleId(role) ?? stableDigits('role', `${ctx.accountId}/${role}`, 19);
  return {
    type: 'assumed-role',
    accountId: ctx.accountId,
    principalId: `${roleId}:${session}`,
    userName: `${role}:${session}`,
    accessKeyId: `STS.${stableAlnum('sts', `${role}/${session}`, 25)}`,
    sessionContext: { attributes: { mfaAuthenticated: 'false', creationDate: isoSeconds(new Date(ctx.now.getTime() - 3_600_000)) } },
  };
}

/** The full record of a scenario event (the `index`-th, which seeds ids left out). */
export function trailRecord(e: ScenarioEvent, index: number, ctx: TrailContext): TrailEventRecord {
  // Whole seconds: the wire format carries no fraction, and LookupEvents windows are in seconds.
  const time = Math.floor(resolveDate(e.time, ctx.now).getTime() / 1000) * 1000;
  const id = e.id ?? uuidOf(`${ctx.accountId}/${index}/${e.identity}/${e.service}/${e.event}/${time}`);
  const service = e.service.toLowerCase();
  const isGlobal = GLOBAL_SERVICES.has(service);
  const record: Record<string, unknown> = {
    eventId: id,
    eventVersion: '1',
    eventName: e.event,
    eventType: e.type ?? (e.identity.startsWith('user:') && !e.accessKeyId ? 'ConsoleOperation' : 'ApiCall'),
    eventCategory: 'Management',
    eventSource: isGlobal ? `${service}.aliyuncs.com` : `${service}.${e.region}.aliyuncs.com`,
    eventTime: isoSeconds(new Date(time)),
    eventRW: READ_PREFIXES.test(e.event) ? 'Read' : 'Write',
    serviceName: e.service,
    acsRegion: e.region,
    isGlobal,
    requestId: uuidOf(`request/${id}`),
    sourceIpAddress: `192.168.${index % 250}.${(index * 7) % 250}`,
    userAgent: 'AlibabaCloud (linux; x64) Node.js/v20 Core/1.0.1 TeaDSL/2',
    userIdentity: userIdentity(e, ctx),
    requestParameters: { RegionId: e.region },
    responseElements: {},
    referencedResources: {},
    errorCode: e.errorCode,
    errorMessage: e.errorCode ? `Injected by the scenario: ${e.errorCode}.` : '',
    recipientAccountId: ctx.accountId,
    ...e.extra,
  };
  return { id, time, record };
}

const before = (a: TrailEventRecord, b: { time: number; id: string }): boolean => a.time < b.time || (a.time === b.time && a.id < b.id);

/** The event history, sorted by (time, id) ascending. */
export class TrailEventStore {
  private list: TrailEventRecord[] = [];

  constructor(records: TrailEventRecord[] = []) {
    this.add(records);
  }

  get size(): number {
    return this.list.length;
  }

  /** Adds events (tests add "new" ones between reads); keeps the order. */
  add(records: readonly TrailEventRecord[]): void {
    this.list.push(...records);
    this.list.sort((a, b) => a.time - b.time || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** Index of the first event not before `key` (binary search). */
  lowerBound(key: { time: number; id: string }): number {
    let lo = 0;
    let hi = this.list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (before(this.list[mid]!, key)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  at(i: number): TrailEventRecord | undefined {
    return this.list[i];
  }
}
