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

/**
 * User agents the emulator writes. The Node.js SDK, `ali-oss` and CLI strings are the real formats
 * (`@alicloud/tea-util`, `ali-oss`, aliyun-cli); the other SDK lines follow the same pattern
 * (UNVERIFIED versions); the runtime ones carry the tokens `shared/activity/origin.ts` looks for
 * (UNVERIFIED that FC, Cloud Assistant or ACK send them). Scenarios pick one through `extra.userAgent`.
 */
export const USER_AGENTS = {
  console: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  node: 'AlibabaCloud (linux; x64) Node.js/v20.18.0 Core/1.0.1 TeaDSL/2',
  python: 'AlibabaCloud (Linux; x86_64) Python/3.11.9 Core/2.15.1 python-requests/2.32.3',
  java: 'AlibabaCloud (Linux; amd64) Java/17.0.11 Core/5.3.0 HTTPClient/ApacheHttpClient',
  ossNode: 'aliyun-sdk-nodejs/6.23.0 Node.js 20.18.0 on linux x64',
  cli: 'Aliyun-CLI/3.0.277',
  fc: 'AlibabaCloud (linux; x64) Python/3.10.13 Core/2.13 fc-runtime/python3.10',
  ecs: 'AlibabaCloud (linux; amd64) Go/go1.22.5 Core/1.0 aliyun-assist/2.5.3',
  ack: 'AlibabaCloud (linux; amd64) Go/go1.22.5 Core/1.0 alibaba-cloud-csi-driver/v1.30.1',
} as const;
const KEY_AGENTS = [USER_AGENTS.node, USER_AGENTS.python, USER_AGENTS.java, USER_AGENTS.ossNode, USER_AGENTS.cli];

/** FNV-1a: a cheap stable hash, so a key or a person keeps its address and client across events. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * Where a call comes from unless the scenario says (`extra.sourceIpAddress`, `extra.userAgent`,
 * `extra.vpcId`): a service event from the service's host; an ECS instance's role session (`i-…`)
 * from a VPC address; a console operation from a public office address (203.0.113.0/24) in a browser;
 * any other call from a public address (198.51.100.0/24) with an SDK or CLI, both fixed per key or
 * session. The documentation ranges (RFC 5737) keep the emulator from naming anyone's real address.
 */
function origin(e: ScenarioEvent, host: string): { sourceIpAddress: string; userAgent: string } {
  if (e.type === 'AliyunServiceEvent') return { sourceIpAddress: host, userAgent: host };
  const who = e.accessKeyId ?? e.identity;
  const h = hash(who);
  if (e.identity.startsWith('role:') && /\/i-/.test(e.identity)) return { sourceIpAddress: `172.16.${h % 256}.${1 + ((h >>> 8) % 254)}`, userAgent: USER_AGENTS.node };
  if (!e.accessKeyId && !e.identity.startsWith('role:')) return { sourceIpAddress: `203.0.113.${1 + (h % 254)}`, userAgent: USER_AGENTS.console };
  return { sourceIpAddress: `198.51.100.${1 + (h % 254)}`, userAgent: KEY_AGENTS[(h >>> 8) % KEY_AGENTS.length]! };
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
    ...origin(e, `${service}.aliyuncs.com`),
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
