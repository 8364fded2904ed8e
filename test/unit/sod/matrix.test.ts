import { describe, expect, it } from 'vitest';
import { checkApproval, type SodCode } from '../../../shared/sod/index.js';
import { BREAK_GLASS, GROUP, NORMAL_USER, OLGA, PLAN_KINDS, approvalInput, casePlan, codes, membershipOf, ramUsersFor, type PlanKind } from './fixtures.js';

const ROLES = {
  requester: 'rex',
  'subject person': 'sam',
  owner: 'olga',
  "owner's manager": 'mona',
  'approvers member': 'amir',
  'security member': 'sara',
  'unrelated person': 'uma',
  'approver whose access the plan changes': 'cora',
} as const;
type Role = keyof typeof ROLES;

const SUBJECT_KINDS = ['normal', 'privileged', 'protected'] as const;
type SubjectKind = (typeof SUBJECT_KINDS)[number];

/** Codes a first approval gets on a normal or privileged subject; [] = allowed. Written out, not derived. */
function expectedRoleCodes(role: Role, subject: SubjectKind, plan: PlanKind): SodCode[] {
  switch (role) {
    case 'requester':
      return ['self-approval'];
    case 'subject person':
      // Every plan changes the subject user's access, which is theirs.
      return ['conflict-of-interest', 'subject-person'];
    case 'owner':
      return ['not-manager-or-approver', 'owner'];
    case "owner's manager":
    case 'approvers member':
      return [];
    case 'security member':
      // Security is eligible only where the rule asks for it: privileged subjects.
      return subject === 'normal' ? ['not-manager-or-approver'] : [];
    case 'unrelated person':
      return ['not-manager-or-approver'];
    case 'approver whose access the plan changes':
      // Cora is in "ops": only detaching a policy from "ops" changes her access.
      return plan === 'detach-policy-from-group' ? ['conflict-of-interest'] : [];
  }
}

function expected(role: Role, subject: SubjectKind, plan: PlanKind): SodCode[] {
  const base = expectedRoleCodes(role, subject, plan);
  return subject === 'protected' ? [...new Set([...base, 'protected-principal' as const])].sort() : base;
}

const CASES = (Object.keys(ROLES) as Role[]).flatMap((role) =>
  SUBJECT_KINDS.flatMap((subject) => PLAN_KINDS.map((plan) => ({ role, subject, plan, want: expected(role, subject, plan) }))),
);

describe('separation-of-duties matrix (approver role × subject kind × plan)', () => {
  it('covers 8 roles × 3 subject kinds × 3 plan kinds', () => {
    expect(CASES).toHaveLength(72);
    expect(CASES.filter((c) => c.want.length === 0)).toHaveLength(19);
  });

  it.each(CASES)('$role approving $plan on a $subject subject → $want', ({ role, subject, plan, want }) => {
    const user = subject === 'protected' ? BREAK_GLASS : NORMAL_USER;
    const { subject: findingSubject, plan: remediation } = casePlan(plan, user);
    const privileged = subject !== 'normal';
    const verdict = checkApproval(
      approvalInput(
        {
          task: { severity: privileged ? 'critical' : 'medium', rule: privileged ? 'ram.user-admin' : 'ram.access-key-unused', subject: findingSubject, owner: OLGA, requestedBy: 'rex' },
          plan: remediation,
          approver: ROLES[role],
          ramUsersOf: ramUsersFor(user),
          membership: membershipOf(subject === 'protected' ? { [BREAK_GLASS]: [GROUP] } : {}),
          privileged,
        },
        user,
      ),
    );

    if (want.length > 0) {
      expect(codes(verdict)).toEqual(want);
      if (!verdict.allowed) for (const r of verdict.refusals) expect(r.message.length).toBeGreaterThan(20);
      return;
    }
    expect(verdict.allowed).toBe(true);
    if (!verdict.allowed) return;
    if (subject === 'privileged') {
      // First approval of a privileged subject counts but a second (security) approver is still needed.
      expect(verdict.needsMore?.code).toBe('privileged-needs-two');
      expect(verdict.needsMore?.reason).toMatch(role === 'security member' ? /second, different person/ : /member of security must approve/);
    } else {
      expect(verdict.needsMore).toBeNull();
    }
  });
});
