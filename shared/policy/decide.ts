import { policyLabel } from '../domain/access.js';
import type { Conditions, Effect, PolicyStatement } from './document.js';
import type { EffectivePermissions, PolicyRef, Via } from './effective.js';
import { explainAccess, hasConditions } from './evaluate.js';

/**
 * "May identity I call action A on resource R?", answered from its effective permissions with the
 * statement that decided it. Conditions are reported, never guessed (we have no request context):
 *
 * - `deny`: an unconditional Deny applies; it wins over every Allow, whatever else is unknown.
 * - `allow`: an unconditional Allow applies and no Deny does.
 * - `conditional`: allowed only if some Condition holds (every Allow is conditional) or unless one
 *   does (a conditional Deny applies); the conditions are returned.
 * - `implicit-deny`: no statement allows it.
 * - `unknown`: not `deny`, and a policy the identity may hold could not be read (fail closed).
 *
 * Without a resource, the question is "on some resource": an Allow counts if it names any resource,
 * a Deny only if it covers every resource (see {@link explainAccess}).
 */

export const DECISIONS = ['allow', 'conditional', 'deny', 'implicit-deny', 'unknown'] as const;
/** The answer of {@link decide}. */
export type Decision = (typeof DECISIONS)[number];

/** A statement of one of the identity's policies, with how the identity holds that policy. */
export interface PolicyStatementRef {
  policy: PolicyRef;
  via: Via;
  /** Evidence chain ending in the policy, e.g. `["user:alice", "group:admins", "policy:X (Custom)"]`. */
  path: string[];
  /** 0-based position in the document's `Statement` array. */
  index: number;
  effect: Effect;
  statement: PolicyStatement;
}

/** The result of {@link decide}. */
export interface AccessAnswer {
  decision: Decision;
  /** What the readable policies alone decide; equals `decision` unless that is `unknown`. */
  known: Exclude<Decision, 'unknown'>;
  /**
   * The deciding statement: the unconditional Deny, the unconditional Allow, or for `conditional` the
   * conditional Deny (when an unconditional Allow exists) or else the first conditional Allow.
   */
  statement?: PolicyStatementRef;
  /** Conditions of `statement`, for `conditional` answers. */
  conditions?: Conditions;
  /** Every statement whose Condition the answer depends on (`conditional` only, otherwise empty). */
  dependsOn: PolicyStatementRef[];
  /** Why the answer is `unknown`; empty otherwise. */
  unknowns: string[];
}

function unattributedReasons(
  permissions: EffectivePermissions,
  known: AccessAnswer['known'],
  action: string,
  resource: string | undefined,
): string[] {
  const reasons: string[] = [];
  for (const { policy, document } of permissions.unattributed) {
    const label = policyLabel(policy);
    if (document === null) {
      reasons.push(`${label} is attached somewhere unknown and its document could not be read`);
      continue;
    }
    const { grants, denies } = explainAccess(document, action, resource);
    // Only what could change the answer: an Allow when not already allowed, a Deny when something is.
    if ((grants.length > 0 && known !== 'allow') || (denies.length > 0 && known !== 'implicit-deny')) {
      reasons.push(`${label} is attached somewhere unknown and has a statement for ${action}`);
    }
  }
  return reasons;
}

function refOf(held: EffectivePermissions['policies'][number], statement: PolicyStatement): PolicyStatementRef {
  return { policy: held.policy, via: held.via, path: held.path, index: statement.index, effect: statement.effect, statement };
}

/** Decides whether the identity of `permissions` may call `action` (on `resource`, or on some resource). */
export function decide(permissions: EffectivePermissions, action: string, resource?: string): AccessAnswer {
  const grants: PolicyStatementRef[] = [];
  const denies: PolicyStatementRef[] = [];
  for (const held of permissions.policies) {
    const found = explainAccess(held.document, action, resource);
    grants.push(...found.grants.map((g) => refOf(held, g.statement)));
    denies.push(...found.denies.map((d) => refOf(held, d.statement)));
  }

  const hardDeny = denies.find((d) => !hasConditions(d.statement));
  if (hardDeny) return { decision: 'deny', known: 'deny', statement: hardDeny, dependsOn: [], unknowns: [] };

  let answer: Omit<AccessAnswer, 'decision' | 'unknowns'>;
  const plainAllow = grants.find((g) => !hasConditions(g.statement));
  const firstGrant = grants[0];
  if (!firstGrant) answer = { known: 'implicit-deny', dependsOn: [] };
  else if (plainAllow && denies.length === 0) answer = { known: 'allow', statement: plainAllow, dependsOn: [] };
  else {
    // Here every Deny is conditional; without an unconditional Allow, every Allow is too.
    const dependsOn = [...(plainAllow ? [] : grants), ...denies];
    const decider = plainAllow ? (denies[0] ?? plainAllow) : firstGrant;
    answer = { known: 'conditional', statement: decider, conditions: decider.statement.conditions, dependsOn };
  }

  const unknowns = [...permissions.unknowns, ...unattributedReasons(permissions, answer.known, action, resource)];
  return { ...answer, decision: unknowns.length > 0 ? 'unknown' : answer.known, unknowns };
}
