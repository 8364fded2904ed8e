import { z } from 'zod';
import { buildAccessIndex } from '../../domain/access.js';
import { defineRule, type RuleResult } from '../types.js';
import { documentReader } from '../lib/documents.js';
import { distinctPaths, identitiesOf, SERVICE_LINKED_ROLES, showPath } from '../lib/identities.js';
import { hasFullAdmin, powerAnalyzer, relevantUnattributed } from '../lib/power.js';
import { policySubject } from '../lib/subjects.js';

/**
 * CIS 1.15 seen from the identities: a user, group or role that holds `*` on `*` (or Allow NotAction
 * on `*`), directly or through a group. A Condition on the statement does not clear it; it is shown.
 */
export default defineRule({
  id: 'ram.policy-full-admin',
  title: 'Identity has full administrative privileges',
  severity: 'critical',
  subjectType: 'user',
  rationale:
    'Full admin can read, change and delete everything in the account, including RAM itself; every such identity is one stolen credential away from losing the account.',
  remediation:
    'Replace the admin policy with policies scoped to the services and resources the identity really uses; keep full admin on a few break-glass identities with MFA.',
  references: {
    cis: ['1.15'],
    docs: ['https://www.alibabacloud.com/help/doc-detail/93733.htm', 'https://www.alibabacloud.com/help/doc-detail/116818.htm'],
  },
  requires: ['users', 'groups', 'policies', 'roles'],
  params: z.object({ ignoreRoles: z.array(z.string()).default(() => [...SERVICE_LINKED_ROLES]) }),
  evaluate({ snapshot, params }): RuleResult[] {
    const index = buildAccessIndex(snapshot);
    const read = documentReader();
    const analyze = powerAnalyzer(read);
    const results: RuleResult[] = [];
    for (const identity of identitiesOf(snapshot, params.ignoreRoles)) {
      const power = analyze(index.forPrincipal(identity.type, identity.name));
      if (power.fullAdmin.length > 0) {
        const paths = distinctPaths(power.fullAdmin.map((a) => a.path));
        const first = paths[0] ?? [];
        const conditional = power.fullAdmin.every((a) => a.conditional);
        results.push({
          status: 'fail',
          subject: identity.subject,
          evidence: {
            summary: `full admin${conditional ? ' (under conditions)' : ''}: ${showPath(first)}${paths.length > 1 ? ` (+${paths.length - 1} more)` : ''}`,
            path: first,
            paths,
            conditional,
            ...(power.unknowns.length > 0 ? { incomplete: power.unknowns } : {}),
          },
        });
      } else if (power.unknowns.length > 0) {
        results.push({ status: 'unknown', subject: identity.subject, evidence: { summary: power.unknowns.join('; '), unknowns: power.unknowns } });
      }
    }
    for (const { policy, reason } of relevantUnattributed(index, read, hasFullAdmin)) {
      results.push({ status: 'unknown', subject: policySubject(policy), evidence: { summary: `may grant full admin: ${reason}` } });
    }
    return results;
  },
});
