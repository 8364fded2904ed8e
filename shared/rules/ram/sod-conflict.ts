import { z } from 'zod';
import { actionMatches, explainAccess, hasWildcard, type StatementRef } from '../../policy/index.js';
import { defineRule, type RuleResult } from '../types.js';
import { heldByIdentity, statementChains, type HeldPolicies } from '../lib/held.js';
import { SERVICE_LINKED_ROLES, shortList, showPath } from '../lib/identities.js';

/**
 * Separation of duties (IAM design guide): no single identity may hold both sides of a duty conflict,
 * such as administering security policy and deploying infrastructure, or acting on resources and
 * erasing the evidence. Effective permissions (own policies plus those of every group), Deny-aware,
 * evaluated with the policy engine; the evidence names the statements granting each side.
 */

const side = z.object({
  /** "administer security policy". */
  name: z.string().min(1),
  /** Actions (wildcards allowed, as in a policy) any one of which grants this side. */
  actions: z.array(z.string().min(1)).min(1),
});
const conflict = z.object({ name: z.string().min(1), sides: z.tuple([side, side]) });
export type DutyConflict = z.infer<typeof conflict>;

/** The defaults: the guide's two conflicts. Configurable through `rules."ram.sod-conflict".params.conflicts`. */
export const DEFAULT_CONFLICTS: DutyConflict[] = [
  {
    name: 'security administration × infrastructure deployment',
    sides: [
      {
        name: 'administer security policy',
        actions: [
          'ram:AttachPolicyToUser',
          'ram:AttachPolicyToGroup',
          'ram:AttachPolicyToRole',
          'ram:CreatePolicyVersion',
          'ram:SetDefaultPolicyVersion',
          'ram:UpdateRole',
          'ram:CreateAccessKey',
        ],
      },
      {
        name: 'deploy infrastructure',
        actions: ['ros:CreateStack', 'ros:UpdateStack', 'ecs:RunInstances', 'ecs:CreateInstance', 'fc:CreateFunction', 'fc:UpdateFunction', 'cs:CreateCluster', 'cs:ModifyCluster'],
      },
    ],
  },
  {
    name: 'acting on resources × erasing the evidence',
    sides: [
      {
        name: 'act on resources',
        actions: ['ecs:RunInstances', 'ecs:DeleteInstance', 'ecs:ModifyInstanceAttribute', 'rds:DeleteDBInstance', 'oss:PutObject', 'ram:CreateUser', 'ram:AttachPolicyToUser'],
      },
      {
        name: 'erase the evidence',
        actions: ['actiontrail:StopLogging', 'actiontrail:DeleteTrail', 'actiontrail:UpdateTrail', 'log:DeleteLogStore', 'log:DeleteProject', 'log:DeleteIndex'],
      },
    ],
  },
];

/** What one side grants the identity: the actions and one evidence chain per granting statement. */
function sideGrant(held: HeldPolicies, actions: readonly string[]): { actions: string[]; paths: string[][]; conditional: boolean } {
  const docs = held.entries.map((e) => e.doc);
  const granted: string[] = [];
  const refs: StatementRef[] = [];
  let conditional = true;
  // A wildcard in a side ("rds:Delete*") is held when any action it covers is: try it as written, and every
  // action a statement names that it covers.
  const named = docs.flatMap((d) => d.statements.flatMap((st) => (st.effect === 'Allow' ? (st.actions ?? []) : [])));
  const candidates = [...new Set(actions.flatMap((a) => [a, ...named.filter((n) => !hasWildcard(n) && actionMatches(a, n))]))];
  for (const action of candidates) {
    const decision = explainAccess(docs, action);
    if (!decision.allowed) continue;
    granted.push(action);
    conditional &&= decision.conditional;
    refs.push(...decision.grants);
  }
  return { actions: granted, paths: statementChains(held, refs), conditional: granted.length > 0 && conditional };
}

export default defineRule({
  id: 'ram.sod-conflict',
  title: 'Identity holds both sides of a duty conflict',
  severity: 'high',
  subjectType: 'user',
  rationale:
    'One identity that can both change security policy and deploy infrastructure, or act on resources and erase the trail of it, can do harm and cover it up alone; separation of duties makes a second person necessary.',
  remediation: 'Split the duties over two identities (or roles assumed by different people) and remove one side from this identity.',
  references: {
    cis: [],
    docs: ['https://www.alibabacloud.com/help/en/ram/user-guide/policy-elements', 'https://www.alibabacloud.com/help/en/actiontrail/user-guide/overview-of-actiontrail'],
  },
  requires: ['users', 'groups', 'policies', 'roles'],
  params: z.object({
    conflicts: z.array(conflict).default(() => DEFAULT_CONFLICTS),
    ignoreRoles: z.array(z.string()).default(() => [...SERVICE_LINKED_ROLES]),
  }),
  evaluate({ snapshot, params }): RuleResult[] {
    const results: RuleResult[] = [];
    for (const { identity, held } of heldByIdentity(snapshot, params.ignoreRoles)) {
      const { unknowns } = held;
      const conflicts = params.conflicts.map((c) => ({ conflict: c, sides: c.sides.map((s) => ({ side: s, grant: sideGrant(held, s.actions) })) }));
      const full = conflicts.filter((c) => c.sides.every((s) => s.grant.actions.length > 0));
      if (full.length > 0) {
        const summary = full
          .map(({ sides }) => sides.map(({ side: s, grant }) => `${s.name} (${shortList(grant.actions)} via ${showPath(grant.paths[0] ?? [])})`).join(' and '))
          .join('; ');
        results.push({
          status: 'fail',
          subject: identity.subject,
          evidence: {
            summary: `holds ${summary}`,
            conflicts: full.map(({ conflict: c, sides }) => ({
              conflict: c.name,
              sides: sides.map(({ side: s, grant }) => ({ side: s.name, actions: grant.actions, paths: grant.paths, conditional: grant.conditional })),
            })),
            path: full[0]!.sides[0]!.grant.paths[0] ?? [],
            ...(unknowns.length > 0 ? { incomplete: unknowns } : {}),
          },
        });
        continue;
      }
      // One side held and part of the permissions unreadable: the other side may be in what could not be read.
      const half = conflicts.filter((c) => c.sides.some((s) => s.grant.actions.length > 0));
      if (unknowns.length > 0 && half.length > 0) {
        results.push({
          status: 'unknown',
          subject: identity.subject,
          evidence: { summary: `holds ${half.map((c) => c.sides.find((s) => s.grant.actions.length > 0)!.side.name).join(', ')}; the rest cannot be judged: ${unknowns.join('; ')}`, unknowns },
        });
      }
    }
    return results;
  },
});
