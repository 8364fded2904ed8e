import { seededRandom } from './ids.js';
import type { ScenarioInput } from './scenario.js';

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

/**
 * `count` ActionTrail events over many identities within the last `days` days, deterministic from
 * `seed` (its own PRNG, so asking for events leaves the rest of a generated account unchanged). Each
 * identity keeps to a few services, as real principals do; about 2 % of calls are denied and 3 % are
 * console sign-ins.
 */
export function generateEvents(count: number, actors: EventActors, seed: number, days = 90): EventInput[] {
  const rnd = seededRandom(seed ^ 0x5eed_e7e7);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!;
  const span = days * 86_400;
  const out: EventInput[] = [];
  for (let i = 0; i < count; i++) {
    const time = `-${Math.floor(rnd() * span)}s`;
    const who = rnd();
    let identity: string;
    let accessKeyId: string | undefined;
    let favourite: number;
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
      if (!accessKeyId && user.console && rnd() < 0.03) {
        out.push({ time, identity, service: 'AasSub', event: 'ConsoleSignin', type: 'ConsoleSignin' });
        continue;
      }
    }
    // Mostly the identity's two favourite services, sometimes any.
    const s = rnd() < 0.85 ? CALLS[(favourite + (rnd() < 0.5 ? 0 : 3)) % CALLS.length]! : pick(CALLS);
    const event: EventInput = { time, identity, service: s[0], event: pick(s[1]) };
    if (accessKeyId) event.accessKeyId = accessKeyId;
    if (rnd() < 0.02) event.errorCode = 'NoPermission';
    out.push(event);
  }
  return out;
}
