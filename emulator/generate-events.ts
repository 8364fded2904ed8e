import { seededRandom } from './ids.js';
import type { ScenarioInput } from './scenario.js';
import { USER_AGENTS } from './trail-events.js';

type EventInput = NonNullable<ScenarioInput['events']>[number];

/** Who may act in generated events: users with their keys, roles, the account itself. */
export interface EventActors {
  users: { name: string; keys: string[]; console: boolean }[];
  roles: string[];
}

/** APIs per service, matching the generator's policy templates (so some grants are used and some not). */
const CALLS: [service: string, events: string[]][] = [
  ['Ecs', ['DescribeInstances', 'DescribeRegions', 'StartInstance', 'StopInstance', 'DescribeDisks']],
  ['Oss', ['GetObject', 'PutObject', 'ListObjects']],
  ['Sls', ['GetLogs', 'ListLogStores', 'GetLogStore']],
  ['Rds', ['DescribeDBInstances', 'ModifyDBInstanceSpec']],
  ['Ram', ['ListUsers', 'GetUser', 'ListPoliciesForUser', 'AttachPolicyToUser', 'CreateAccessKey']],
  ['Sts', ['GetCallerIdentity', 'AssumeRole']],
  ['Actiontrail', ['LookupEvents']],
];

/** Clients of program users that run inside Alibaba Cloud, in turn: a plain SDK on ECS, Function Compute, ACK. */
const WORKLOAD_AGENTS = [USER_AGENTS.java, USER_AGENTS.fc, USER_AGENTS.ack];

/**
 * Where a program user's key calls come from when the user is a workload inside Alibaba Cloud (one in
 * seven program users, by position, so the choice costs no random draw): a VPC address fixed per
 * user, and a client in turn from {@link WORKLOAD_AGENTS}. Other calls get the record builder's
 * defaults (public addresses; see `trail-events.ts`).
 */
function workloadOrigin(u: number, user: EventActors['users'][number]): Record<string, unknown> | undefined {
  if (user.console || user.keys.length === 0 || u % 7 !== 3) return undefined;
  return { sourceIpAddress: `10.${(u >> 8) & 255}.${u & 255}.${10 + (u % 200)}`, userAgent: WORKLOAD_AGENTS[Math.floor(u / 7) % WORKLOAD_AGENTS.length] };
}

/**
 * `count` ActionTrail events over many identities within the last `days` days, deterministic from
 * `seed` (its own PRNG, so asking for events leaves the rest of a generated account unchanged). Each
 * identity keeps to a few services, as real principals do; about 2 % of calls are denied and 3 % are
 * console sign-ins; one program user in seven calls from inside Alibaba Cloud ({@link workloadOrigin}).
 */
export function generateEvents(count: number, actors: EventActors, seed: number, days = 90): EventInput[] {
  const rnd = seededRandom(seed ^ 0x5eed_e7e7);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!;
  const span = days * 86_400;
  const out: EventInput[] = [];
  // One origin object per workload user, shared by its events.
  const origins = actors.users.map((user, u) => workloadOrigin(u, user));
  for (let i = 0; i < count; i++) {
    const time = `-${Math.floor(rnd() * span)}s`;
    const who = rnd();
    let identity: string;
    let accessKeyId: string | undefined;
    let favourite: number;
    let extra: Record<string, unknown> | undefined;
    if (who < 0.2 && actors.roles.length > 0) {
      const r = Math.floor(rnd() * actors.roles.length);
      identity = `role:${actors.roles[r]}/session-${Math.floor(rnd() * 5)}`;
      favourite = r;
    } else if (who < 0.21 || actors.users.length === 0) {
      identity = 'root';
      favourite = 0;
    } else {
      const u = Math.floor(rnd() * actors.users.length);
      const user = actors.users[u]!;
      identity = `user:${user.name}`;
      accessKeyId = user.keys.length > 0 && (!user.console || rnd() < 0.7) ? pick(user.keys) : undefined;
      favourite = u;
      extra = accessKeyId ? origins[u] : undefined;
      if (!accessKeyId && user.console && rnd() < 0.03) {
        out.push({ time, identity, service: 'AasSub', event: 'ConsoleSignin', type: 'ConsoleSignin' });
        continue;
      }
    }
    // Mostly the identity's two favourite services, sometimes any.
    const s = rnd() < 0.85 ? CALLS[(favourite + (rnd() < 0.5 ? 0 : 3)) % CALLS.length]! : pick(CALLS);
    const event: EventInput = { time, identity, service: s[0], event: pick(s[1]) };
    if (accessKeyId) event.accessKeyId = accessKeyId;
    if (extra) event.extra = extra;
    if (rnd() < 0.02) event.errorCode = 'NoPermission';
    out.push(event);
  }
  return out;
}
