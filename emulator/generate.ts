import { generateEvents } from './generate-events.js';
import { seededRandom, stableAlnum, stableDigits } from './ids.js';
import { ScenarioSchema, type Scenario, type ScenarioInput } from './scenario.js';

/** Size and mix of a synthetic account. */
export interface GenerateOptions {
  /** RAM users besides `ramparts-scanner` (named `user-00001`, …). */
  users: number;
  /** Default max(5, users/50). */
  groups?: number;
  /** Default max(5, users/100). */
  customPolicies?: number;
  /** Default max(5, users/50). */
  roles?: number;
  /** Share of users with 1–2 access keys. Default 0.5. */
  keyRatio?: number;
  /** Same seed, same account. Default 42. */
  seed?: number;
  /** ActionTrail events over the account's users, keys and roles (see `generateEvents`). Default 0. */
  events?: number;
  /** Days back the generated events spread over. Default 90. */
  eventDays?: number;
  /** KMS secrets (half of them rotating Rds secrets). Default max(2, users/100). */
  secrets?: number;
}

type UserInput = NonNullable<ScenarioInput['users']>[number];
type PolicyInput = NonNullable<ScenarioInput['policies']>[number];
type RoleInput = NonNullable<ScenarioInput['roles']>[number];

/** The scanner's credentials in every bundled and generated scenario (fake values). */
export const SCANNER = {
  user: 'ramparts-scanner',
  accessKeyId: 'LTAI5tDemoScannerKey0001',
  secret: 'demo-secret-not-real-0001',
  group: 'ramparts-scanners',
  policy: 'RampartsScannerReadOnly',
} as const;

const SCANNER_DOCUMENT = {
  Version: '1',
  Statement: [
    {
      Effect: 'Allow',
      Action: ['ram:Get*', 'ram:List*', 'ram:GenerateCredentialReport', 'actiontrail:LookupEvents', 'sts:GetCallerIdentity'],
      Resource: '*',
    },
  ],
};

const statement = (action: string | string[], resource = '*') => ({ Version: '1', Statement: [{ Effect: 'Allow', Action: action, Resource: resource }] });

/** Custom policy templates, cycled: mostly scoped, some with a service wildcard or RAM write rights. */
const POLICY_TEMPLATES: ((i: number) => Record<string, unknown>)[] = [
  () => statement(['ecs:Describe*', 'ecs:List*']),
  (i) => statement(['oss:GetObject', 'oss:PutObject', 'oss:ListObjects'], `acs:oss:*:*:bucket-${i}/*`),
  () => statement('ecs:*'),
  () => statement(['log:GetLogStore*', 'log:ListLogStores', 'log:GetLogs']),
  () => statement(['rds:Describe*', 'rds:ModifyDBInstanceSpec']),
  () => statement(['ram:AttachPolicyToUser', 'ram:CreateAccessKey']),
];

/** Role trust templates, cycled: service roles, own-account root, a foreign account, a well-scoped OIDC role. */
function trustPolicy(i: number, accountId: string): Record<string, unknown> {
  const principal = [
    { Service: ['ecs.aliyuncs.com'] },
    { Service: ['fc.aliyuncs.com'] },
    { RAM: [`acs:ram::${accountId}:root`] },
    { RAM: [`acs:ram::${stableDigits('foreign', String(i))}:root`] },
    { Federated: [`acs:ram::${accountId}:oidc-provider/ack-rrsa-c${i}`] },
  ][i % 5]!;
  const oidc = i % 5 === 4;
  const condition = oidc ? { StringEquals: { 'oidc:aud': 'sts.aliyuncs.com', 'oidc:sub': `system:serviceaccount:app:sa-${i}` } } : undefined;
  return {
    Version: '1',
    Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: principal, ...(condition && { Condition: condition }) }],
  };
}

/**
 * A synthetic account for benchmarks and scale tests, deterministic from `seed`: a realistic mix of
 * console users (about 60 %, 70 % of them with MFA), access keys of various ages and last uses, groups,
 * custom policies, roles, a few System policy and direct user attachments, plus the scanner user.
 */
export function generateScenario(opts: GenerateOptions): Scenario {
  const seed = opts.seed ?? 42;
  const rnd = seededRandom(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
  const chance = (p: number): boolean => rnd() < p;
  const n = opts.users;
  const accountId = stableDigits('account', String(seed));
  const pad = (i: number, width: number) => String(i).padStart(width, '0');

  const policyCount = opts.customPolicies ?? Math.max(5, Math.round(n / 100));
  const policies: PolicyInput[] = Array.from({ length: policyCount }, (_, i) => ({
    name: `policy-${pad(i + 1, 4)}`,
    description: `Generated policy ${i + 1}`,
    document: POLICY_TEMPLATES[i % POLICY_TEMPLATES.length]!(i + 1),
    createDate: `-${int(30, 1200)}d`,
  }));
  policies.push({ name: SCANNER.policy, description: 'Read-only access for ramparts', document: SCANNER_DOCUMENT, createDate: '-60d' });
  const customRef = (i: number) => ({ name: policies[i % policyCount]!.name, type: 'Custom' as const });

  const groupCount = opts.groups ?? Math.max(5, Math.round(n / 50));
  const systemForGroup: Record<number, string> = { 0: 'ReadOnlyAccess', 1: 'AliyunECSFullAccess', 2: 'AliyunOSSReadOnlyAccess', 3: 'AdministratorAccess' };
  const groups = Array.from({ length: groupCount }, (_, i) => {
    const system = systemForGroup[i];
    return {
      name: `group-${pad(i + 1, 3)}`,
      comments: `Generated group ${i + 1}`,
      policies: [system ? { name: system, type: 'System' as const } : customRef(i)],
    };
  });
  groups.push({ name: SCANNER.group, comments: 'ramparts scanner', policies: [{ name: SCANNER.policy, type: 'Custom' }] });

  const roleCount = opts.roles ?? Math.max(5, Math.round(n / 50));
  const roles: RoleInput[] = Array.from({ length: roleCount }, (_, i) => ({
    name: `role-${pad(i + 1, 4)}`,
    trustPolicy: trustPolicy(i, accountId),
    createDate: `-${int(10, 900)}d`,
    policies: [i === 2 ? { name: 'AdministratorAccess', type: 'System' as const } : customRef(i)],
  }));

  const width = Math.max(5, String(n).length);
  const keyRatio = opts.keyRatio ?? 0.5;
  const users: UserInput[] = [];
  for (let i = 1; i <= n; i++) {
    const name = `user-${pad(i, width)}`;
    const age = int(1, 1500);
    const user: UserInput = { name, email: `${name}@example.com`, createDate: `-${age}d`, groups: [], policies: [], accessKeys: [] };
    if (chance(0.6)) {
      user.loginProfile = { status: chance(0.95) ? 'Active' : 'Inactive' };
      if (chance(0.7)) user.mfa = { activateDate: `-${int(0, age)}d` };
      user.lastLoginDate = chance(0.1) ? null : `-${int(0, Math.min(age, 400))}d`;
    }
    if (chance(keyRatio)) {
      for (let k = 0, count = chance(0.25) ? 2 : 1; k < count; k++) {
        const keyAge = int(0, age);
        user.accessKeys!.push({
          id: `LTAI5t${stableAlnum('key', `${seed}/${name}/${k}`, 18)}`,
          status: chance(0.9) ? 'Active' : 'Inactive',
          createDate: `-${keyAge}d`,
          lastUsedDate: chance(0.15) ? null : `-${int(0, keyAge)}d`,
        });
      }
    }
    if (chance(0.85)) user.groups!.push(groups[int(0, groupCount - 1)]!.name);
    if (chance(0.2)) {
      const extra = groups[int(0, groupCount - 1)]!.name;
      if (!user.groups!.includes(extra)) user.groups!.push(extra);
    }
    if (chance(0.02)) user.policies!.push(customRef(int(0, policyCount - 1)));
    if (chance(0.005)) user.policies!.push({ name: 'AliyunOSSFullAccess', type: 'System' });
    users.push(user);
  }
  users.push({
    name: SCANNER.user,
    createDate: '-60d',
    groups: [SCANNER.group],
    accessKeys: [{ id: SCANNER.accessKeyId, secret: SCANNER.secret, createDate: '-30d', lastUsedDate: '-1h' }],
  });

  const actors = {
    users: users.map((u) => ({ name: u.name, keys: (u.accessKeys ?? []).map((k) => k.id), console: !!u.loginProfile })),
    roles: roles.map((r) => r.name),
  };
  const events = opts.events ? generateEvents(opts.events, actors, seed, opts.eventDays) : [];

  // Two trails (an all-region audit trail and a write-only regional one) and some secrets, so a scan
  // pays the DescribeTrails, GetTrailStatus, ListSecrets and DescribeSecret calls a real account costs.
  const trails = [
    { name: 'audit-all', oss: { bucket: `audit-${seed}`, prefix: 'actiontrail' } },
    { name: 'writes-hz', trailRegion: 'cn-hangzhou', eventRW: 'Write' as const, sls: { project: `audit-sls-${seed}` } },
  ];
  const secrets = Array.from({ length: opts.secrets ?? Math.max(2, Math.round(n / 100)) }, (_, i) => {
    const rotating = i % 2 === 0;
    return {
      name: `secret-${String(i + 1).padStart(4, '0')}`,
      type: rotating ? ('Rds' as const) : ('Generic' as const),
      createDate: `-${int(30, 700)}d`,
      ...(rotating ? { rotation: { enabled: chance(0.7), interval: '30d', lastRotationDate: `-${int(1, 60)}d` } } : {}),
    };
  });

  return ScenarioSchema.parse({
    account: { id: accountId, alias: `bench-${seed}` },
    trails,
    secrets,
    root: { mfa: true, lastLoginDate: '-45d', accessKeys: [] },
    users,
    groups,
    policies,
    roles,
    events,
  } satisfies ScenarioInput);
}
