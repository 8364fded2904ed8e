import type { RemediationPlan } from '../domain/remediation.js';
import { principalLabel, principalsOf, reachesUsers, stepLabel } from './principals.js';
import type { Membership, SodRefusal } from './types.js';

const ASK = 'You have a conflict of interest: ask another eligible approver.';

/**
 * Refusals for every step that would change the approver's own access: a step on one of the RAM users
 * they sign in as, or on a group one of those users belongs to (DESIGN: "the plan would change the
 * approver's own access"). Unknown membership refuses rather than guesses.
 */
export function conflictsOfInterest(plan: RemediationPlan | null, approverUsers: readonly string[], membership: Membership): SodRefusal[] {
  if (approverUsers.length === 0) return [];
  const refusals: SodRefusal[] = [];
  for (const [index, step] of (plan?.steps ?? []).entries()) {
    const principals = principalsOf(step, membership);
    if (principals === null) {
      refusals.push({
        code: 'conflict-of-interest',
        message: `ramparts cannot tell whether ${stepLabel(step, index)} changes your own access (the policy's attachments were not collected). Run a complete scan, or ask another eligible approver.`,
      });
      continue;
    }
    for (const principal of principals) {
      const reach = reachesUsers(principal, approverUsers, membership);
      if (reach === 'yes') {
        const how = principal.type === 'user' ? `RAM user ${principal.name}, which you sign in as` : `${principalLabel(principal)}, which your RAM user belongs to`;
        refusals.push({ code: 'conflict-of-interest', message: `${stepLabel(step, index)} changes ${how}. ${ASK}` });
      } else if (reach === 'unknown') {
        refusals.push({
          code: 'conflict-of-interest',
          message: `ramparts cannot tell whether you belong to ${principalLabel(principal)}, which ${stepLabel(step, index)} changes (your RAM user's groups were not collected). ${ASK}`,
        });
      }
    }
  }
  return refusals;
}
