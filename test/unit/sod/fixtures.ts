/**
 * One account for the separation-of-duties tests. Olga owns the identity (manager Mona); Rex requested
 * the revocation; Sam signs in as the subject RAM user; Amir is an approver, Sara is security, Uma is
 * unrelated; Cora is an approver whose RAM user is in group "ops", which the detach plan changes.
 */
import type { Subject } from '../../../shared/domain/finding.js';
import { plans, type RemediationPlan } from '../../../shared/domain/remediation.js';
import { createDirectory } from '../../../shared/people/directory.js';
import type { OwnerRef, Person } from '../../../shared/people/types.js';
import type { ApprovalCheckInput, Membership, ProtectedPrincipals, SodCode, SodVerdict } from '../../../shared/sod/index.js';

function person(id: string, name: string, patch: Partial<Person> = {}): Person {
  return { id, name, email: `${id}@example.com`, slackUserId: null, dingtalkUserId: null, manager: null, groups: [], ...patch };
}

export const PEOPLE: Person[] = [
  person('olga', 'Olga Chen', { manager: 'mona', groups: ['platform'] }),
  person('mona', 'Mona Li'),
  person('rex', 'Rex Wang', { groups: ['approvers'] }),
  person('sam', 'Sam Wu', { groups: ['approvers'] }),
  person('amir', 'Amir Khan', { groups: ['approvers'] }),
  person('sara', 'Sara Zhou', { groups: ['security'] }),
  person('uma', 'Uma Patel', { groups: ['finance'] }),
  person('cora', 'Cora Lin', { groups: ['approvers'] }),
  person('pat', 'Pat Ho', { manager: 'mona', groups: ['platform'] }),
];
export const directory = createDirectory(PEOPLE);

export const NORMAL_USER = 'sam.wu';
export const BREAK_GLASS = 'bg-admin';
export const GROUP = 'ops';
export const RAMPARTS_ROLE_ARN = 'acs:ram::1234567890123456:role/Ramparts-Apply';

export const protectedPrincipals: ProtectedPrincipals = { rootAccount: true, breakGlassUsers: [BREAK_GLASS], roleArns: [RAMPARTS_ROLE_ARN] };

/** RAM user names per person; Sam's is the subject user of the case (see `ramUsersFor`). */
const RAM_USERS: Record<string, string[]> = { olga: ['olga'], mona: ['mona'], rex: ['rex'], amir: ['amir'], sara: ['sara'], uma: ['uma'], cora: ['cora'], pat: ['pat'] };

export function ramUsersFor(subjectUser: string): (personId: string) => string[] {
  return (id) => (id === 'sam' ? [subjectUser] : (RAM_USERS[id] ?? []));
}

/**
 * Snapshot membership: the normal subject user and Cora are in "ops" (the break-glass user only when a
 * case adds it, since that makes "ops" itself protected); anyone not listed is unknown (null).
 */
export function membershipOf(groups: Record<string, string[] | null> = {}): Membership {
  const all: Record<string, string[] | null> = { [NORMAL_USER]: [GROUP], [BREAK_GLASS]: [], cora: [GROUP], olga: [], mona: [], rex: [], amir: [], sara: [], uma: [], pat: [], ...groups };
  return { groupsOfRamUser: (user) => all[user] ?? null };
}

export const PLAN_KINDS = ['deactivate-access-key', 'detach-policy-from-group', 'remove-from-group'] as const;
export type PlanKind = (typeof PLAN_KINDS)[number];

/** The finding subject and plan for a plan kind on RAM user `user`. */
export function casePlan(kind: PlanKind, user: string): { subject: Subject; plan: RemediationPlan } {
  switch (kind) {
    case 'deactivate-access-key':
      return { subject: { type: 'accessKey', id: 'LTAI5tKey0001', name: 'LTAI5tKey0001', user }, plan: plans.deactivateAccessKey(user, 'LTAI5tKey0001') };
    case 'detach-policy-from-group':
      return { subject: { type: 'user', id: `id-${user}`, name: user }, plan: plans.detachPolicy('group', GROUP, 'AdministratorAccess', 'System') };
    case 'remove-from-group':
      return { subject: { type: 'user', id: `id-${user}`, name: user }, plan: plans.removeFromGroup(user, GROUP) };
  }
}

export const OLGA: OwnerRef = { kind: 'person', id: 'olga' };

/** An approval check with sensible defaults: Olga's key, requested by Rex, approved by Mona. */
export function approvalInput(patch: Partial<ApprovalCheckInput> = {}, user = NORMAL_USER): ApprovalCheckInput {
  const { subject, plan } = casePlan('deactivate-access-key', user);
  return {
    task: { severity: 'medium', rule: 'ram.access-key-unused', subject, owner: OLGA, requestedBy: 'rex' },
    plan,
    approver: 'mona',
    priorApprovals: [],
    directory,
    groups: { security: 'security', approvers: 'approvers' },
    ramUsersOf: ramUsersFor(user),
    membership: membershipOf(),
    privileged: false,
    protectedPrincipals,
    ...patch,
  };
}

/** Refusal codes as a sorted set (several steps may give the same code), or null when allowed. */
export function codes(verdict: SodVerdict): SodCode[] | null {
  return verdict.allowed ? null : [...new Set(verdict.refusals.map((r) => r.code))].sort();
}
