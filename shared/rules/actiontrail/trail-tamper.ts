import { z } from 'zod';
import { buildAccessIndex } from '../../domain/access.js';
import { explainAccess, matchesGlob } from '../../policy/index.js';
import { defineRule, type RuleResult } from '../types.js';
import { heldByIdentity, statementChains } from '../lib/held.js';
import { SERVICE_LINKED_ROLES, shortList, showPath, type IdentityRef } from '../lib/identities.js';
import { ACTIONTRAIL_DELIVERY_ROLES, DELIVERY_DELETE_ACTIONS, TRAIL_CONTROL_ACTIONS, trailResource } from '../lib/trails.js';

/** One thing an identity can do to a trail, on which resource, and the statements granting it. */
interface Capability {
  trail: string;
  action: string;
  resource: string;
  /** Stop, delete or reconfigure the trail itself (as opposed to deleting what it delivered). */
  control: boolean;
  conditional: boolean;
  paths: string[][];
}

/**
 * Whether an identity is one of `entries` (`user:alice`, `role:Security*`, `group:security`; globs
 * allowed, names case-insensitive as in RAM). A user belongs through any of its groups; null when a group
 * entry might match but the user's group membership is unknown.
 */
function securityPrincipal(entries: readonly string[], groupsOf: (user: string) => string[] | null): (identity: IdentityRef) => boolean | null {
  const parsed = entries.map((e) => ({ type: e.slice(0, e.indexOf(':')), glob: e.slice(e.indexOf(':') + 1) }));
  const matches = (type: string, name: string) => parsed.some((p) => p.type === type && matchesGlob(p.glob, name, { ignoreCase: true }));
  return (identity) => {
    if (matches(identity.type, identity.name)) return true;
    if (identity.type !== 'user' || !parsed.some((p) => p.type === 'group')) return false;
    const groups = groupsOf(identity.name);
    if (groups === null) return null;
    return groups.some((g) => matches('group', g));
  };
}

/** `audit: can stop or change it (StopLogging, …) and delete its logs (oss:DeleteObject) via user:x → …`. */
function describe(caps: readonly Capability[]): string {
  const byTrail = new Map<string, Capability[]>();
  for (const c of caps) byTrail.set(c.trail, [...(byTrail.get(c.trail) ?? []), c]);
  return [...byTrail.entries()]
    .map(([trail, list]) => {
      const control = list.filter((c) => c.control).map((c) => c.action);
      const delivery = list.filter((c) => !c.control).map((c) => c.action);
      const what = [
        ...(control.length > 0 ? [`can stop or change it (${shortList(control)})`] : []),
        ...(delivery.length > 0 ? [`can delete its logs (${shortList(delivery)})`] : []),
      ];
      return `trail ${trail}: ${what.join(' and ')} via ${showPath(list[0]?.paths[0] ?? [])}`;
    })
    .join('; ');
}

/**
 * Who can erase the audit record (ActionTrail best practice: only security staff manage trails and
 * their storage): users (own and group policies) and roles outside `securityPrincipals` that can stop,
 * delete or reconfigure a trail, or delete what it delivered (its OSS objects or bucket, its SLS logstore
 * or project). Deny-aware, resource-scoped to each trail's ARNs. Critical when the trail itself can be
 * stopped (nothing is recorded from then on, including the stopping); high when only delivered logs can
 * be deleted (the deletion is itself recorded while the trail runs).
 */
export default defineRule({
  id: 'actiontrail.trail-tamper',
  title: 'Identity outside security can stop a trail or delete its logs',
  severity: 'critical',
  subjectType: 'user',
  rationale:
    'Anyone who can stop a trail or delete the logs it delivered can act and then remove the record of it; keeping that power with the security team is what makes the audit trail evidence.',
  remediation:
    'Remove actiontrail:StopLogging/DeleteTrail/UpdateTrail and delete rights on the trail\'s OSS bucket and SLS project from this identity (or add an explicit Deny on those resources), and keep them with the security principals; protect the bucket with versioning or retention.',
  references: {
    cis: [],
    docs: [
      'https://www.alibabacloud.com/help/en/actiontrail/user-guide/overview-of-actiontrail',
      'https://www.alibabacloud.com/help/en/actiontrail/latest/api-actiontrail-2020-07-06-createtrail',
      'https://www.alibabacloud.com/help/en/ram/user-guide/policy-elements',
    ],
  },
  requires: ['trails', 'users', 'groups', 'policies', 'roles'],
  params: z.object({
    /** Who may manage trails and their storage: `user:<name>`, `group:<name>` (its members), `role:<name>`; globs allowed. */
    securityPrincipals: z.array(z.string().regex(/^(user|group|role):.+$/, 'use user:<name>, group:<name> or role:<name>')).default(() => []),
    ignoreRoles: z.array(z.string()).default(() => [...SERVICE_LINKED_ROLES, ...ACTIONTRAIL_DELIVERY_ROLES]),
  }),
  evaluate({ snapshot, params }): RuleResult[] {
    const targets = snapshot.trails.flatMap((trail) =>
      [...TRAIL_CONTROL_ACTIONS, ...DELIVERY_DELETE_ACTIONS].flatMap((action) => {
        const resource = trailResource(action, trail, snapshot);
        return resource ? [{ trail: trail.name, action, resource, control: TRAIL_CONTROL_ACTIONS.includes(action) }] : [];
      }),
    );
    // No trail (the coverage rule reports that) or none reachable from this account: nothing to tamper with.
    if (targets.length === 0) return [];
    const index = buildAccessIndex(snapshot);
    const isSecurity = securityPrincipal(params.securityPrincipals, (u) => index.groupsOf(u));
    const results: RuleResult[] = [];
    for (const { identity, held } of heldByIdentity(snapshot, params.ignoreRoles)) {
      const security = isSecurity(identity);
      if (security === true) continue;
      const docs = held.entries.map((e) => e.doc);
      const caps: Capability[] = targets.flatMap((t) => {
        const d = explainAccess(docs, t.action, t.resource);
        return d.allowed ? [{ ...t, conditional: d.conditional, paths: statementChains(held, d.grants) }] : [];
      });
      if (caps.length === 0) {
        // What could not be read may grant it.
        if (held.unknowns.length > 0) results.push({ status: 'unknown', subject: identity.subject, evidence: { summary: `whether it can stop a trail or delete its logs cannot be judged: ${held.unknowns.join('; ')}`, unknowns: held.unknowns } });
        continue;
      }
      const summary = describe(caps);
      const capabilities = caps.map(({ trail, action, resource, conditional, paths }) => ({ trail, action, resource, conditional, paths }));
      if (security === null) {
        results.push({ status: 'unknown', subject: identity.subject, evidence: { summary: `${summary}; whether it is a security principal cannot be judged: its group membership is unknown`, capabilities } });
        continue;
      }
      results.push({
        status: 'fail',
        subject: identity.subject,
        severity: caps.some((c) => c.control) ? 'critical' : 'high',
        evidence: {
          summary,
          trails: [...new Set(caps.map((c) => c.trail))],
          capabilities,
          path: caps[0]?.paths[0] ?? [],
          ...(held.unknowns.length > 0 ? { incomplete: held.unknowns } : {}),
        },
      });
    }
    return results;
  },
});
