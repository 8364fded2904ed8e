import { z } from 'zod';
import { defineRule, type RuleResult } from '../types.js';
import { classifyIdentities, IDENTITY_CLASSES } from '../lib/classify.js';
import { roleSubject, userSubject } from '../lib/subjects.js';

/**
 * Every identity should be a kind the security team governs on purpose: human administrator, human
 * developer, human end-user federation, workload user, service role, federated role or cross-account
 * role (shared/rules/lib/classify.ts infers it from console and key use, attached power and trust
 * principals). One that fits none is flagged, with why; `params.classes` names the class of identities
 * the inference cannot see (pattern → class).
 */
export default defineRule({
  id: 'ram.identity-unclassified',
  title: 'Identity fits no known identity class',
  severity: 'low',
  subjectType: 'user',
  rationale:
    'Most identity incidents involve an identity type nobody considered: a user with neither console nor keys, a role nobody can explain. Each identity should be a kind with an owner and a governing rule.',
  remediation: 'Find out who or what uses it: delete it if nothing does, or name its class in rules."ram.identity-unclassified".params.classes.',
  references: { cis: [], docs: ['https://www.alibabacloud.com/help/en/ram/security-and-compliance/ram-best-practices'] },
  requires: ['users', 'groups', 'policies', 'roles'],
  params: z.object({
    classes: z
      .array(
        z.object({
          pattern: z.string().min(1),
          type: z.enum(['user', 'role']).optional(),
          class: z.enum(IDENTITY_CLASSES, { error: `must be one of ${IDENTITY_CLASSES.join(', ')}` }),
        }),
      )
      .default([]),
  }),
  evaluate({ snapshot, params }): RuleResult[] {
    const results: RuleResult[] = [];
    const users = new Map(snapshot.users.map((u) => [u.name, u]));
    const roles = new Map(snapshot.roles.map((r) => [r.name, r]));
    for (const c of classifyIdentities(snapshot, params.classes)) {
      if (c.class !== null) continue;
      const subject = c.type === 'user' ? userSubject(users.get(c.name)!) : roleSubject(roles.get(c.name)!);
      const collected = !/could not be/.test(c.basis);
      results.push({ status: collected ? 'fail' : 'unknown', subject, evidence: { summary: c.basis } });
    }
    return results;
  },
});
