import { z } from 'zod';
import type { AccountSnapshot, PartStatus } from '../../domain/snapshot.js';
import { actionMatches, explainAccess, hasWildcard, type StatementRef } from '../../policy/index.js';
import { defineRule, type RuleResult } from '../types.js';
import { heldByIdentity, statementChains, type HeldPolicies } from '../lib/held.js';
import { SERVICE_LINKED_ROLES, shortList, showPath } from '../lib/identities.js';
import { DELIVERY_DELETE_ACTIONS, DELIVERY_SERVICES, TRAIL_CONTROL_ACTIONS, trailResource } from '../lib/trails.js';

/**
 * Separation of duties (IAM design guide): no single identity may hold both sides of a duty conflict,
 * such as administering security policy and deploying infrastructure, or acting on resources and
 * erasing the evidence. Effective permissions (own policies plus those of every group), Deny-aware,
 * evaluated with the policy engine; the evidence names the statements granting each side. Erasing the
 * evidence counts deletes only on what the snapshot's trails deliver to (their OSS bucket and SLS
 * project); while trails are not (fully) listed, a delete allowed elsewhere makes the verdict unknown.
 */

/** In a side's `resources`: the OSS objects and buckets and the SLS logstores and projects the snapshot's trails deliver to. */
export const TRAIL_DELIVERIES = 'trail-deliveries';

const side = z.object({
  /** "administer security policy". */
  name: z.string().min(1),
  /** Actions (wildcards allowed, as in a policy) any one of which grants this side. */
  actions: z.array(z.string().min(1)).min(1),
  /**
   * Where the side's actions count, per service: an action of a service named here (by a concrete ARN
   * `acs:<service>:…`, which policies' patterns are matched against, or {@link TRAIL_DELIVERIES} for oss
   * and log) counts only when allowed on one of those resources; actions of other services count on any
   * resource. Absent: every action on any resource.
   */
  resources: z.array(z.string().min(1)).min(1).optional(),
});
type Side = z.infer<typeof side>;
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
        // Stopping any trail; deleting what a trail delivered (deleting an unrelated bucket's objects is not erasing evidence).
        actions: [...TRAIL_CONTROL_ACTIONS, ...DELIVERY_DELETE_ACTIONS, 'log:DeleteIndex'],
        resources: [TRAIL_DELIVERIES],
      },
    ],
  },
];

/** The resources an action of a side counts on (null: any), and whether they depend on trails that were not collected. */
type Scope = (action: string) => { resources: string[]; unresolved: boolean } | null;

function scopeOf(s: Side, snapshot: AccountSnapshot): Scope {
  const trailsKnown = (snapshot.parts.trails as PartStatus | undefined)?.complete === true;
  return (action) => {
    if (!s.resources) return null;
    const service = (action.split(':')[0] ?? '').toLowerCase();
    const listed = s.resources.filter((r) => r !== TRAIL_DELIVERIES && r.split(':')[1]?.toLowerCase() === service);
    const deliveries = s.resources.includes(TRAIL_DELIVERIES) && DELIVERY_SERVICES.includes(service);
    if (!deliveries && listed.length === 0) return null;
    const delivered = deliveries ? snapshot.trails.flatMap((t) => trailResource(action, t, snapshot) ?? []) : [];
    return { resources: [...listed, ...delivered], unresolved: deliveries && !trailsKnown };
  };
}

interface SideGrant {
  actions: string[];
  /** `oss:DeleteObject on acs:oss:…`, for actions that count only on some resources. */
  on: string[];
  paths: string[][];
  conditional: boolean;
  /** Actions allowed somewhere that would grant the side if they reach a trail's deliveries, which were not collected. */
  unresolved: string[];
}

/** What one side grants the identity: the actions and one evidence chain per granting statement. */
function sideGrant(held: HeldPolicies, actions: readonly string[], scope: Scope): SideGrant {
  const docs = held.entries.map((e) => e.doc);
  const granted: string[] = [];
  const on: string[] = [];
  const unresolved: string[] = [];
  const refs: StatementRef[] = [];
  let conditional = true;
  // A wildcard in a side ("rds:Delete*") is held when any action it covers is: try it as written, and every
  // action a statement names that it covers.
  const named = docs.flatMap((d) => d.statements.flatMap((st) => (st.effect === 'Allow' ? (st.actions ?? []) : [])));
  const candidates = [...new Set(actions.flatMap((a) => [a, ...named.filter((n) => !hasWildcard(n) && actionMatches(a, n))]))];
  for (const action of candidates) {
    const scoped = scope(action);
    const decisions = scoped ? scoped.resources.map((r) => ({ r, d: explainAccess(docs, action, r) })) : [{ r: null, d: explainAccess(docs, action) }];
    const allowed = decisions.filter(({ d }) => d.allowed);
    if (allowed.length === 0) {
      if (scoped?.unresolved && explainAccess(docs, action).allowed) unresolved.push(action);
      continue;
    }
    granted.push(action);
    for (const { r, d } of allowed) {
      if (r !== null) on.push(`${action} on ${r}`);
      conditional &&= d.conditional;
      refs.push(...d.grants);
    }
  }
  return { actions: granted, on, paths: statementChains(held, refs), conditional: granted.length > 0 && conditional, unresolved };
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
    const scoped = params.conflicts.map((c) => ({ conflict: c, sides: c.sides.map((s) => ({ side: s, scope: scopeOf(s, snapshot) })) }));
    const trails = snapshot.parts.trails as PartStatus | undefined;
    for (const { identity, held } of heldByIdentity(snapshot, params.ignoreRoles)) {
      const { unknowns } = held;
      const conflicts = scoped.map(({ conflict: c, sides }) => ({ conflict: c, sides: sides.map(({ side: s, scope }) => ({ side: s, grant: sideGrant(held, s.actions, scope) })) }));
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
              sides: sides.map(({ side: s, grant }) => ({
                side: s.name,
                actions: grant.actions,
                ...(grant.on.length > 0 ? { on: grant.on } : {}),
                paths: grant.paths,
                conditional: grant.conditional,
              })),
            })),
            path: full[0]!.sides[0]!.grant.paths[0] ?? [],
            ...(unknowns.length > 0 ? { incomplete: unknowns } : {}),
          },
        });
        continue;
      }
      // One side held and part of the permissions unreadable: the other side may be in what could not be read.
      // Or the other side's actions are allowed somewhere, and whether that is a trail's deliveries is unknown.
      const half = conflicts.filter((c) => c.sides.some((s) => s.grant.actions.length > 0));
      const pending = half.flatMap((c) => c.sides.filter((s) => s.grant.actions.length === 0 && s.grant.unresolved.length > 0));
      const reasons = [
        ...unknowns,
        ...pending.map((s) => `${s.side.name} (${shortList(s.grant.unresolved)}) depends on where the trails deliver, which was not collected${trails?.error ? ` (${trails.error})` : ''}`),
      ];
      const undecided = unknowns.length > 0 ? half : half.filter((c) => c.sides.some((s) => pending.includes(s)));
      if (undecided.length > 0) {
        results.push({
          status: 'unknown',
          subject: identity.subject,
          evidence: { summary: `holds ${undecided.map((c) => c.sides.find((s) => s.grant.actions.length > 0)!.side.name).join(', ')}; the rest cannot be judged: ${reasons.join('; ')}`, unknowns: reasons },
        });
      }
    }
    return results;
  },
});
