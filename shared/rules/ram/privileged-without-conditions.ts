import { z } from 'zod';
import { explainAccess, isFullAdmin, parsePolicy, PRIVILEGE_MANAGEMENT_ACTIONS, type PolicyStatement, type StatementRef } from '../../policy/index.js';
import { defineRule, type RuleResult } from '../types.js';
import { heldByIdentity, statementChains } from '../lib/held.js';
import { SERVICE_LINKED_ROLES, shortList, showPath } from '../lib/identities.js';

/**
 * Privileged operations bound to MFA or the corporate network (IAM design guide): every statement that
 * grants full admin or privilege management should carry an `acs:MFAPresent` or `acs:SourceIp`
 * condition, and an admin role that people assume should require MFA in its trust policy.
 */

/** Condition keys that bind a grant to a second factor or a network. */
export const BINDING_KEYS = ['acs:MFAPresent', 'acs:SourceIp'] as const;

function bound(statement: PolicyStatement, keys: readonly string[]): boolean {
  const wanted = keys.map((k) => k.toLowerCase());
  return Object.values(statement.conditions).some((byKey) => Object.keys(byKey).some((k) => wanted.includes(k.toLowerCase())));
}

/** Trust principals that are people (users, or an account's root standing for any of its users), not services. */
function humanPrincipals(statement: PolicyStatement): string[] {
  const p = statement.principal;
  if (!p) return [];
  return [...(p.any ? ['*'] : []), ...p.ram];
}

export default defineRule({
  id: 'ram.privileged-without-conditions',
  title: 'Privileged access not bound to MFA or a network',
  severity: 'high',
  subjectType: 'user',
  rationale:
    'Full-admin and privilege-management grants without an acs:MFAPresent or acs:SourceIp condition work with a stolen password or key from anywhere; binding them to MFA or the corporate network stops that.',
  remediation:
    'Add a Condition with acs:MFAPresent "true" (people) or acs:SourceIp (automation from known networks) to the granting statements; require acs:MFAPresent in the trust policy of admin roles that people assume.',
  references: {
    cis: [],
    docs: ['https://www.alibabacloud.com/help/en/ram/user-guide/policy-elements', 'https://www.alibabacloud.com/help/en/ram/security-and-compliance/ram-best-practices'],
  },
  requires: ['users', 'groups', 'policies', 'roles'],
  params: z.object({
    ignoreRoles: z.array(z.string()).default(() => [...SERVICE_LINKED_ROLES]),
    /** Condition keys that count as binding (default acs:MFAPresent, acs:SourceIp). */
    conditionKeys: z.array(z.string().min(1)).min(1).default(() => [...BINDING_KEYS]),
  }),
  evaluate({ snapshot, params }): RuleResult[] {
    const results: RuleResult[] = [];
    for (const { identity, held } of heldByIdentity(snapshot, params.ignoreRoles)) {
      const docs = held.entries.map((e) => e.doc);
      const admin: StatementRef[] = held.entries.flatMap((e, doc) => e.doc.statements.filter(isFullAdmin).map((statement) => ({ doc, statement })));
      const privilege: StatementRef[] = [];
      const actions: string[] = [];
      for (const action of PRIVILEGE_MANAGEMENT_ACTIONS) {
        const d = explainAccess(docs, action);
        if (!d.allowed) continue;
        actions.push(action);
        for (const g of d.grants) if (!privilege.some((p) => p.doc === g.doc && p.statement === g.statement)) privilege.push(g);
      }
      const granting = [...admin, ...privilege.filter((p) => !admin.some((a) => a.doc === p.doc && a.statement === p.statement))];
      if (granting.length === 0) {
        if (held.unknowns.length > 0) results.push({ status: 'unknown', subject: identity.subject, evidence: { summary: held.unknowns.join('; '), unknowns: held.unknowns } });
        continue;
      }
      const loose = granting.filter((g) => !bound(g.statement, params.conditionKeys));
      const kind = admin.length > 0 ? 'full admin' : `privilege management (${shortList(actions)})`;
      const problems: string[] = [];
      const paths = statementChains(held, loose);
      if (loose.length > 0) problems.push(`${kind} without ${params.conditionKeys.join(' or ')}: ${showPath(paths[0] ?? [])}${paths.length > 1 ? ` (+${paths.length - 1} more)` : ''}`);

      // An admin role people can assume without MFA: the trust policy is the front door.
      let trust: string[] = [];
      if (identity.type === 'role') {
        const role = snapshot.roles.find((r) => r.name === identity.name);
        if (role?.trustPolicy) {
          try {
            const doc = parsePolicy(role.trustPolicy);
            trust = doc.statements
              .filter((s) => s.effect === 'Allow' && humanPrincipals(s).length > 0 && !bound(s, ['acs:MFAPresent']))
              .flatMap((s) => humanPrincipals(s));
          } catch {
            problems.push('its trust policy could not be read');
          }
        }
        if (trust.length > 0) problems.push(`assumable by ${shortList(trust)} without acs:MFAPresent in the trust policy`);
      }
      if (problems.length === 0) continue;
      results.push({
        status: 'fail',
        subject: identity.subject,
        evidence: {
          summary: problems.join('; '),
          path: paths[0] ?? [],
          paths,
          ...(trust.length > 0 ? { trustPrincipals: trust } : {}),
          ...(held.unknowns.length > 0 ? { incomplete: held.unknowns } : {}),
        },
      });
    }
    return results;
  },
});
