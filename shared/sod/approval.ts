import { isMember, managerOf, ownerLabel } from '../people/relations.js';
import { conflictsOfInterest } from './conflict.js';
import { inGroup, includesName, personLabel, subjectUserName } from './principals.js';
import { checkRevocable } from './protected.js';
import type { ApprovalCheckInput, SodRefusal, SodVerdict } from './types.js';

/** "the owner's manager (Bob Li) or a member of approvers": who may approve instead, for messages. */
function whoElse(input: ApprovalCheckInput, managers: string[]): string {
  const named = managers.map((id) => personLabel(id, input.directory)).join(', ');
  const manager = managers.length > 0 ? `the owner's manager (${named})` : "the owner's manager (none is configured)";
  const security = input.privileged ? ` or of ${input.groups.security}` : '';
  return `${manager} or a member of ${input.groups.approvers}${security}`;
}

/** Who-may-approve refusals: requester, subject's person, owner, eligibility, a second click. */
function roleRefusals(input: ApprovalCheckInput, managers: string[]): SodRefusal[] {
  const { task, approver, directory } = input;
  const others = whoElse(input, managers);
  const refusals: SodRefusal[] = [];
  const what = task.request ?? 'revocation';
  if (approver === task.requestedBy) {
    refusals.push({ code: 'self-approval', message: `You requested this ${what}, so someone else must approve it: ${others}.` });
  }
  const subjectUser = subjectUserName(task.subject);
  if (subjectUser !== null && includesName(input.ramUsersOf(approver), subjectUser)) {
    refusals.push({
      code: 'subject-person',
      message: `You sign in as RAM user ${subjectUser}, the subject of this finding, so you cannot approve changes to it: ask ${others}.`,
    });
  }
  if (isMember(approver, task.owner, directory)) {
    const as = task.owner.kind === 'group' ? `You are in ${ownerLabel(task.owner, directory)}, which owns` : 'You own';
    refusals.push({ code: 'owner', message: `${as} ${task.subject.type} ${task.subject.name}, so you cannot approve its ${what}: ask ${others}.` });
  }
  const eligible =
    managers.includes(approver) ||
    inGroup(approver, input.groups.approvers, directory) ||
    (input.privileged && inGroup(approver, input.groups.security, directory));
  if (!eligible) {
    refusals.push({
      code: 'not-manager-or-approver',
      message: `Only ${others} may approve this ${what}, and you are neither. Forward it to one of them.`,
    });
  }
  if (input.priorApprovals.includes(approver)) {
    refusals.push({ code: 'duplicate-approver', message: `You already approved this plan; one person counts once. Ask a different approver: ${others}.` });
  }
  return refusals;
}

/** A privileged subject needs two distinct approvers, one of them from security. */
function privilegedNeedsMore(input: ApprovalCheckInput): SodVerdict & { allowed: true } {
  const approvers = [...new Set([...input.priorApprovals, input.approver])];
  const security = input.groups.security;
  const fromSecurity = approvers.some((id) => inGroup(id, security, input.directory));
  if (approvers.length >= 2 && fromSecurity) return { allowed: true, needsMore: null };
  const reason =
    approvers.length < 2 && fromSecurity
      ? `Privileged access needs two approvers: a second, different person (the owner's manager or a member of ${input.groups.approvers}) must approve too.`
      : approvers.length < 2
        ? `Privileged access needs two approvers, one from ${security}: a member of ${security} must approve too.`
        : `Privileged access needs one approver from ${security}: a member of ${security} must approve too.`;
  return { allowed: true, needsMore: { code: 'privileged-needs-two', reason } };
}

/**
 * Whether `approver` may approve this revocation (DESIGN "Separation of duties"). Pure. A refusal lists
 * every applicable reason; an allowed privileged approval says what is still needed. Security members
 * are eligible on privileged subjects (the rule requires one of them), otherwise only the owner's
 * manager and the approvers group are.
 */
export function checkApproval(input: ApprovalCheckInput): SodVerdict {
  const managers = managerOf(input.task.owner, input.directory);
  const refusals = [
    ...roleRefusals(input, managers),
    ...conflictsOfInterest(input.plan, input.ramUsersOf(input.approver), input.membership),
    // Protected principals are never revoked; undoing a revocation of one (added to the list later) is not a revocation.
    ...(input.task.request === 'rollback' ? [] : checkRevocable(input.plan, input.protectedPrincipals, { subject: input.task.subject, membership: input.membership })),
  ];
  if (refusals.length > 0) return { allowed: false, refusals };
  return input.privileged ? privilegedNeedsMore(input) : { allowed: true, needsMore: null };
}
