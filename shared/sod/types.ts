import type { Finding, Severity, Subject } from '../domain/finding.js';
import type { RemediationPlan } from '../domain/remediation.js';
import type { PrincipalType } from '../domain/snapshot.js';
import type { Directory, OwnerRef } from '../people/types.js';

/** Why separation of duties refuses (DESIGN "Review workflow" → "Separation of duties"). */
export const SOD_CODES = [
  'self-approval',
  'subject-person',
  'owner',
  'not-manager-or-approver',
  'privileged-needs-two',
  'duplicate-approver',
  'conflict-of-interest',
  'keep-owner-only',
  'not-manager',
  'protected-principal',
] as const;
export type SodCode = (typeof SOD_CODES)[number];

/** One reason, worded for the person who clicked: what is wrong and what to do instead. */
export interface SodRefusal {
  code: SodCode;
  message: string;
}

/**
 * `allowed` with `needsMore`: this approval counts but is not sufficient yet (a privileged subject still
 * needs a second, or a security, approver). Refused verdicts carry every applicable refusal.
 */
export type SodVerdict =
  | { allowed: true; needsMore: null | { code: SodCode; reason: string } }
  | { allowed: false; refusals: SodRefusal[] };

/** Never revocable, whoever approves: the root account always, plus configured users and roles. */
export interface ProtectedPrincipals {
  rootAccount: true;
  /** RAM user names. */
  breakGlassUsers: string[];
  /** ramparts' own roles, `acs:ram::<account>:role/<name>`, compared case-insensitively. */
  roleArns: string[];
}

/** Group membership from the last snapshot; null = not known (fail closed). */
export interface Membership {
  groupsOfRamUser(userName: string): string[] | null;
  /**
   * Principals a policy is attached to, for `narrow-policy` steps (which change everyone holding the
   * policy); absent or null = not known, so such a step is refused rather than guessed.
   */
  attachmentsOfPolicy?(policyName: string): Array<{ principalType: PrincipalType; principalName: string }> | null;
}

/** The task facts separation of duties needs (a narrowed view of ReviewTask plus the requester). */
export interface SodTask {
  severity: Severity;
  rule: string;
  subject: Finding['subject'];
  owner: OwnerRef;
  /** Person id of whoever requested the change. */
  requestedBy: string;
  /** What is being approved: a revocation (default) or the rollback of one (it restores access). */
  request?: 'revocation' | 'rollback';
}

export interface ApprovalCheckInput {
  task: SodTask;
  plan: RemediationPlan | null;
  /** Person id of the clicker. */
  approver: string;
  /** Person ids whose approvals are already recorded on this plan. */
  priorApprovals: string[];
  directory: Directory;
  /** Group names (people[].groups) of the security team and of the approvers. */
  groups: { security: string; approvers: string };
  /** RAM user names a person signs in as (config people[].ramUsers). */
  ramUsersOf: (personId: string) => string[];
  membership: Membership;
  /** Subject is admin / RAM management / an escalation path; computed by the caller from the rule. */
  privileged: boolean;
  protectedPrincipals: ProtectedPrincipals;
}

export interface KeepAttestationInput {
  task: Pick<SodTask, 'severity' | 'subject' | 'owner'>;
  /** Person id of whoever attests the keep. */
  attestedBy: string;
  directory: Directory;
  ramUsersOf: (personId: string) => string[];
  /** Severities whose keeps need the manager's attestation (review policy `attestSeverities`). */
  attestSeverities?: readonly Severity[];
}

/** What a revocation check may look at besides the plan. */
export interface RevocableContext {
  /** The finding's subject: a protected subject is refused even without a plan. */
  subject?: Subject;
  /** Needed to see that a group change reaches a break-glass user. */
  membership?: Membership;
}
