import { createHash } from 'node:crypto';
import type { RemediationPlan } from './remediation.js';

/** Severity, lowest first; order matters for `--fail-on` and sorting. */
export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

export const SUBJECT_TYPES = ['account', 'user', 'accessKey', 'group', 'role', 'policy', 'trail', 'secret'] as const;
export type SubjectType = (typeof SUBJECT_TYPES)[number];

/**
 * What a finding is about. For an access key `name` is its AccessKeyId and `user` the owning RAM user;
 * for a user the RAM user name; for a role the role name; for a trail the ActionTrail trail name; for a
 * secret the KMS secret name.
 */
export interface Subject {
  type: SubjectType;
  id: string;
  name: string;
  /** Owning RAM user of an access key. */
  user?: string;
}

/**
 * `fail`: the rule found a problem. `unknown`: the data it needs was not collected, so it cannot
 * decide (never a pass). `error`: the rule threw; reported as a finding so a bug fails closed.
 */
export const FINDING_STATUSES = ['fail', 'unknown', 'error'] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];

/** Evidence is data; `summary` is the one line people read, `path` the chain that grants access. */
export interface Evidence {
  summary: string;
  /** e.g. ["user:alice", "group:admins", "policy:AdministratorAccess (System)", "statement 1: Allow * on *"] */
  path?: string[];
  /** A proposed policy change as an exact line diff (`- `/`+ ` lines), for the owner to read before approving. */
  diff?: string;
  /** One line: what the what-if check of a proposed narrowing showed. */
  proof?: string;
  [key: string]: unknown;
}

export interface Finding {
  rule: string;
  status: FindingStatus;
  severity: Severity;
  title: string;
  subject: Subject;
  evidence: Evidence;
  remediation: { summary: string; plan: RemediationPlan | null };
  fingerprint: string;
  /** True when a part this rule depends on was not fully collected. */
  partial: boolean;
  /**
   * The member account, when the finding comes from a multi-account scan (`accounts.mode` list or
   * resource-directory). Its id is part of the fingerprint then: the same system policy or user name in two
   * members are two findings, two tasks. Absent in a single-account scan (fingerprints as before).
   */
  account?: FindingAccount;
}

/** A member account as findings, tasks and prompts name it. */
export interface FindingAccount {
  id: string;
  name: string;
}

/**
 * Stable across runs: the same rule on the same subject (in the same member account) always has the
 * same fingerprint. A single-account scan passes no account, so its fingerprints never change.
 */
export function fingerprint(ruleId: string, subject: Pick<Subject, 'type' | 'id'>, accountId?: string): string {
  const key = `${ruleId}\u0000${subject.type}\u0000${subject.id}${accountId === undefined ? '' : `\u0000${accountId}`}`;
  return createHash('sha256').update(key).digest('hex').slice(0, 32);
}
