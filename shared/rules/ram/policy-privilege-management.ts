import { z } from 'zod';
import { buildAccessIndex } from '../../domain/access.js';
import { privilegeManagement } from '../../policy/index.js';
import { defineRule, type RuleResult } from '../types.js';
import { documentReader } from '../lib/documents.js';
import { distinctPaths, identitiesOf, SERVICE_LINKED_ROLES, shortList, showPath } from '../lib/identities.js';
import { hasFullAdmin, powerAnalyzer, relevantUnattributed } from '../lib/power.js';
import { policySubject } from '../lib/subjects.js';

/**
 * An identity that can change RAM (attach policies, edit policy versions, mint keys or passwords, edit
 * role trust, join groups, pass roles): it can make itself admin. Full admins are left to
 * `ram.policy-full-admin` so one identity is not reported twice for the same power.
 */
export default defineRule({
  id: 'ram.policy-privilege-management',
  title: 'Identity can change RAM permissions (privilege escalation)',
  severity: 'high',
  subjectType: 'user',
  rationale:
    'An identity that can attach policies, create policy versions or credentials, or edit role trust can grant itself any permission; it is an admin in waiting.',
  remediation:
    'Remove the RAM write actions from the identity\'s policies, or restrict them to the specific users, roles and policies it must manage (Resource), with MFA conditions.',
  references: {
    cis: [],
    docs: ['https://www.alibabacloud.com/help/doc-detail/93733.htm'],
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
      if (power.fullAdmin.length > 0) continue;
      if (power.privilege.length > 0) {
        const actions = power.privilege.map((p) => p.action);
        const paths = distinctPaths(power.privilege.flatMap((p) => p.paths));
        const first = paths[0] ?? [];
        const conditional = power.privilege.every((p) => p.conditional);
        results.push({
          status: 'fail',
          subject: identity.subject,
          evidence: {
            summary: `can change RAM (${shortList(actions)})${conditional ? ' under conditions' : ''} via ${showPath(first)}`,
            actions,
            path: first,
            paths,
            conditional,
            assumeAnyRole: power.assumeAnyRole,
            ...(power.unknowns.length > 0 ? { incomplete: power.unknowns } : {}),
          },
        });
      } else if (power.unknowns.length > 0) {
        results.push({ status: 'unknown', subject: identity.subject, evidence: { summary: power.unknowns.join('; '), unknowns: power.unknowns } });
      }
    }
    const matters = (doc: Parameters<typeof hasFullAdmin>[0]): boolean => !hasFullAdmin(doc) && privilegeManagement([doc]).actions.length > 0;
    for (const { policy, reason } of relevantUnattributed(index, read, matters)) {
      results.push({ status: 'unknown', subject: policySubject(policy), evidence: { summary: `may grant RAM write actions: ${reason}` } });
    }
    return results;
  },
});
