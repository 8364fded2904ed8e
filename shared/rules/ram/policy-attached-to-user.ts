import { z } from 'zod';
import { buildAccessIndex, policyLabel } from '../../domain/access.js';
import { defineRule, type RuleResult } from '../types.js';
import { policySubject, userSubject } from '../lib/subjects.js';

/**
 * CIS 1.16: policies are attached to groups or roles, not users. One finding per user, listing the
 * policies. No plan on purpose: detaching a working grant without first granting it through a group
 * would break the user, so the owner moves it.
 */
export default defineRule({
  id: 'ram.policy-attached-to-user',
  title: 'Policies attached directly to a user',
  severity: 'low',
  subjectType: 'user',
  rationale:
    'Per-user grants drift: nobody reviews them as a set, and they stay when a person changes role. Groups and roles keep permissions reviewable as the account grows.',
  remediation:
    'Add the user to a group (or create one) that holds these policies, confirm the user still works, then detach the policies from the user.',
  references: {
    cis: ['1.16'],
    docs: ['https://www.alibabacloud.com/help/doc-detail/116809.htm', 'https://www.alibabacloud.com/help/doc-detail/116815.htm'],
  },
  requires: ['users', 'policies'],
  params: z.object({}),
  evaluate({ snapshot }): RuleResult[] {
    const index = buildAccessIndex(snapshot);
    const results: RuleResult[] = [];
    for (const user of snapshot.users) {
      const direct = index.forPrincipal('user', user.name).grants.filter((g) => g.via === null);
      if (direct.length === 0) continue;
      const policies = direct.map((g) => policyLabel(g.policy));
      results.push({
        status: 'fail',
        subject: userSubject(user),
        evidence: {
          summary: `${direct.length} polic${direct.length === 1 ? 'y' : 'ies'} attached directly: ${policies.join(', ')}`,
          policies: direct.map((g) => ({ name: g.policy.name, type: g.policy.type })),
        },
      });
    }
    for (const policy of index.unattributed) {
      results.push({
        status: 'unknown',
        subject: policySubject(policy),
        evidence: { summary: `attached to ${policy.attachmentCount} identities, but the attachments could not be listed` },
      });
    }
    return results;
  },
});
