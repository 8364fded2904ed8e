import { z } from 'zod';
import { defineRule, type RuleResult } from '../types.js';
import { userSubject } from '../lib/subjects.js';

/**
 * More than one active key on a user: normal for the few days of a rotation, a smell beyond that
 * (shared keys, forgotten copies). No plan: which key to keep is the owner's call.
 */
export default defineRule({
  id: 'ram.access-key-multiple-active',
  title: 'User has more than one active access key',
  severity: 'low',
  subjectType: 'user',
  rationale:
    'Two active keys usually mean a rotation that was never finished or a key copied to several places; each copy is one more thing to leak.',
  remediation: 'Finish the rotation: find which key is still used, move everything to one key, disable the other.',
  references: {
    cis: [],
    docs: ['https://www.alibabacloud.com/help/en/cloud-config/latest/best-practices-for-accesskey-and-permission-governance'],
  },
  requires: ['users', 'accessKeys'],
  params: z.object({}),
  evaluate({ snapshot }): RuleResult[] {
    const results: RuleResult[] = [];
    for (const user of snapshot.users) {
      const subject = userSubject(user);
      if (user.accessKeys === null) {
        results.push({ status: 'unknown', subject, evidence: { summary: 'access keys could not be listed' } });
        continue;
      }
      const active = user.accessKeys.filter((k) => k.status === 'Active').map((k) => k.id);
      if (active.length <= 1) continue;
      results.push({
        status: 'fail',
        subject,
        evidence: { summary: `${active.length} active access keys: ${active.join(', ')}`, activeAccessKeys: active },
      });
    }
    return results;
  },
});
