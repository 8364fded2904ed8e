import type { Subject } from '../domain/finding.js';
import type { RemediationPlan } from '../domain/remediation.js';
import { includesName, principalLabel, principalsOf, reachesUsers, stepLabel, subjectUserName, type Principal } from './principals.js';
import type { ProtectedPrincipals, RevocableContext, SodRefusal } from './types.js';

const ADVICE = 'ramparts never revokes protected principals, whoever approves: drop this change or make it by hand under your break-glass procedure.';

/** `acs:ram::123:role/Ramparts-Apply` → `ramparts-apply` (RAM lowercases role names in ARNs). */
function roleNameOfArn(arn: string): string {
  const at = arn.toLowerCase().indexOf(':role/');
  return at < 0 ? arn : arn.slice(at + ':role/'.length);
}

function refusal(what: string): SodRefusal {
  return { code: 'protected-principal', message: `This plan would change ${what}. ${ADVICE}` };
}

function protectedSubject(subject: Subject, p: ProtectedPrincipals, roles: string[]): string | null {
  if (subject.type === 'account') return `the root account ${subject.name}`;
  const user = subjectUserName(subject);
  if (user !== null && includesName(p.breakGlassUsers, user)) return `break-glass user ${user}`;
  if (subject.type === 'role' && includesName(roles, subject.name)) return `ramparts' own role ${subject.name}`;
  return null;
}

/** What protected principal a change to `principal` touches, or `unknown` when membership is missing. */
function touched(principal: Principal, p: ProtectedPrincipals, roles: string[], ctx: RevocableContext): string | 'unknown' | null {
  if (principal.type === 'role') return includesName(roles, principal.name) ? `ramparts' own role ${principal.name}` : null;
  const reach = reachesUsers(principal, p.breakGlassUsers, ctx.membership);
  if (reach === 'unknown') return 'unknown';
  if (reach === 'no') return null;
  return principal.type === 'user' ? `break-glass user ${principal.name}` : `group ${principal.name}, which a break-glass user belongs to`;
}

/**
 * Refusals for every step (and the subject itself) that touches a protected principal: the root
 * account, a break-glass user (directly or through a group they belong to) or one of ramparts' own
 * roles. Pure; usable before any approval is asked. Fails closed when group membership is unknown.
 */
export function checkRevocable(plan: RemediationPlan | null, protectedPrincipals: ProtectedPrincipals, ctx: RevocableContext = {}): SodRefusal[] {
  const roles = protectedPrincipals.roleArns.map(roleNameOfArn);
  const refusals: SodRefusal[] = [];
  const subject = ctx.subject && protectedSubject(ctx.subject, protectedPrincipals, roles);
  if (subject) refusals.push(refusal(subject));
  for (const [index, step] of (plan?.steps ?? []).entries()) {
    const principals = principalsOf(step, ctx.membership);
    if (principals === null) {
      refusals.push({
        code: 'protected-principal',
        message: `ramparts cannot tell whom ${stepLabel(step, index)} reaches (the policy's attachments were not collected), so it cannot rule out a protected principal. Run a complete scan, then ask again.`,
      });
      continue;
    }
    for (const principal of principals) {
      const hit = touched(principal, protectedPrincipals, roles, ctx);
      if (hit === 'unknown') {
        refusals.push({
          code: 'protected-principal',
          message: `ramparts cannot tell whether ${stepLabel(step, index)} on ${principalLabel(principal)} reaches a break-glass user (group membership was not collected). Run a complete scan, then ask again.`,
        });
      } else if (hit) {
        refusals.push(refusal(`${hit} (${stepLabel(step, index)})`));
      }
    }
  }
  return refusals;
}
