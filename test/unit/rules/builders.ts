import { addDays, subDays } from 'date-fns';
import type { z } from 'zod';
import {
  emptySnapshot,
  type AccessKey,
  type AccountSnapshot,
  type ConsoleLogin,
  type PolicyType,
  type PrincipalType,
  type RamGroup,
  type RamPolicy,
  type RamRole,
  type RamUser,
  type Secret,
  type SnapshotPart,
  type Trail,
} from '../../../shared/domain/snapshot.js';
import { UsageIndex as ActivityIndex } from '../../../shared/activity/usage-index.js';
import type { Rule, RuleResult, UsageIndex } from '../../../shared/rules/types.js';

/** Small builders for rule tests: real snapshot shapes, only what a test cares about spelled out. */

export const NOW = new Date('2026-12-01T00:00:00Z');
export const ACCOUNT_ID = '1234567890123456';

/** ISO timestamp `n` days before {@link NOW}. */
export function daysAgo(n: number): string {
  return subDays(NOW, n).toISOString();
}

/** ISO timestamp `n` days after {@link NOW}. */
export function daysAhead(n: number): string {
  return addDays(NOW, n).toISOString();
}

export function snapshot(patch: Partial<AccountSnapshot> = {}): AccountSnapshot {
  return { ...emptySnapshot(NOW.toISOString(), { id: ACCOUNT_ID, alias: 'prod-main' }), ...patch };
}

/** Marks parts as not fully collected. */
export function incomplete(snap: AccountSnapshot, ...parts: SnapshotPart[]): AccountSnapshot {
  const next = { ...snap, parts: { ...snap.parts } };
  for (const part of parts) next.parts[part] = { complete: false, error: `${part} throttled` };
  return next;
}

export function user(name: string, patch: Partial<RamUser> = {}): RamUser {
  return {
    id: `uid-${name}`,
    name,
    principalName: `${name}@prod-main.onaliyun.com`,
    displayName: name,
    email: null,
    createDate: daysAgo(400),
    lastLoginDate: null,
    console: null,
    consoleKnown: true,
    mfa: { active: false, serialNumber: null },
    mfaKnown: true,
    accessKeys: [],
    groups: [],
    ...patch,
  };
}

export function consoleLogin(patch: Partial<ConsoleLogin> = {}): ConsoleLogin {
  return { active: true, mfaBindRequired: false, passwordLastChanged: null, ...patch };
}

export function key(id: string, patch: Partial<AccessKey> = {}): AccessKey {
  return { id, status: 'Active', createDate: daysAgo(10), lastUsedDate: daysAgo(1), lastUsedKnown: true, ...patch };
}

export function group(name: string, members: string[] | null = [], patch: Partial<RamGroup> = {}): RamGroup {
  return { id: `gid-${name}`, name, comments: '', members, ...patch };
}

/** A policy document from statements. */
export function doc(...statements: object[]): string {
  return JSON.stringify({ Version: '1', Statement: statements });
}

export const ADMIN_DOC = doc({ Effect: 'Allow', Action: '*', Resource: '*' });
export const READONLY_DOC = doc({ Effect: 'Allow', Action: ['ecs:Describe*', 'oss:Get*'], Resource: '*' });

export function policy(
  name: string,
  document: string | null,
  attachments: Array<[PrincipalType, string]> | null = [],
  type: PolicyType = 'Custom',
): RamPolicy {
  return {
    name,
    type,
    defaultVersion: 'v1',
    attachmentCount: attachments?.length ?? 1,
    description: '',
    document,
    attachments: attachments?.map(([principalType, principalName]) => ({ principalType, principalName, attachDate: null })) ?? null,
  };
}

export function role(name: string, trustPolicy: string | null): RamRole {
  return {
    id: `rid-${name}`,
    name,
    arn: `acs:ram::${ACCOUNT_ID}:role/${name.toLowerCase()}`,
    description: '',
    maxSessionDuration: 3600,
    createDate: daysAgo(100),
    trustPolicy,
  };
}

/** A trust policy with one Allow sts:AssumeRole statement. */
export function trust(principal: unknown, condition?: object): string {
  return doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: principal, ...(condition ? { Condition: condition } : {}) });
}

/**
 * A trail that passes every coverage check: logging, all regions, read and write events, delivering to
 * OSS bucket `<name>-logs` and SLS project `<name>-sls` in the scanned account, last delivery an hour ago.
 */
export function trail(name: string, patch: Partial<Trail> = {}): Trail {
  return {
    name,
    homeRegion: 'cn-hangzhou',
    trailRegion: 'All',
    eventRW: 'All',
    isOrganizationTrail: false,
    status: 'Enable',
    ossBucketName: `${name}-logs`,
    ossKeyPrefix: null,
    slsProjectArn: `acs:log:cn-hangzhou:${ACCOUNT_ID}:project/${name}-sls`,
    maxComputeProjectArn: null,
    isLogging: true,
    latestDeliveryError: null,
    latestDeliveryTime: new Date(NOW.getTime() - 3_600_000).toISOString(),
    ...patch,
  };
}

/** A managed (RDS) secret rotating every 30 days, last rotated 10 days ago, not scheduled for deletion. */
export function secret(name: string, patch: Partial<Secret> = {}): Secret {
  return {
    name,
    arn: `acs:kms:cn-hangzhou:${ACCOUNT_ID}:secret/${name}`,
    type: 'Rds',
    createTime: daysAgo(200),
    automaticRotation: 'Enabled',
    rotationIntervalDays: 30,
    lastRotationDate: daysAgo(10),
    nextRotationDate: daysAhead(20),
    plannedDeleteTime: null,
    tags: {},
    detailKnown: true,
    ...patch,
  };
}

/** Evaluates a rule the way the engine does (params parsed with the rule's schema). */
export function run<S extends z.ZodType>(
  rule: Rule<S>,
  snap: AccountSnapshot,
  params: unknown = {},
  usage?: UsageIndex,
): RuleResult[] {
  return rule.evaluate({ snapshot: snap, usage, now: NOW, params: rule.params.parse(params) });
}

/** Results of one status, by subject name. */
export function names(results: RuleResult[], status: RuleResult['status'] = 'fail'): string[] {
  return results.filter((r) => r.status === status).map((r) => r.subject.name);
}

/** One allowed call: `[identity key, action, ISO time]`, e.g. `['user:alice', 'ecs:DescribeInstances', daysAgo(3)]`. */
export type Call = [identity: string, action: string, at: string];

/**
 * The real usage index (shared/activity) holding `calls`, covering `coverDays` days back to {@link NOW}:
 * rule tests run against the adapter the scan uses, and the assignment checks it satisfies the port.
 */
export function usageOf(calls: readonly Call[], coverDays = 120): UsageIndex {
  const index = new ActivityIndex();
  const events = calls.map(([identity, action, at], i) => {
    const [type, ...rest] = identity.split(':');
    return {
      id: `ev-${i}`,
      time: Date.parse(at),
      action,
      service: action.slice(0, action.indexOf(':')).toLowerCase(),
      identities: [{ type: type as 'user' | 'role' | 'accessKey', name: rest.join(':') }],
      denied: false,
    };
  });
  const port: UsageIndex = index.ingest(events, { from: subDays(NOW, coverDays), to: NOW });
  return port;
}
