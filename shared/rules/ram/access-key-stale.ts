import { z } from 'zod';
import { defineRule, type RuleResult } from '../types.js';
import { ageInDays, day, parseDate, showDay } from '../lib/dates.js';
import { accessKeySubject, userSubject } from '../lib/subjects.js';

/**
 * CIS 1.6: active access keys are rotated within `maxAgeDays`. No plan: the fix is a rotation the
 * owner performs (new key, redeploy, then disable the old one), not a revocation.
 */
export default defineRule({
  id: 'ram.access-key-stale',
  title: 'Access key not rotated',
  severity: 'high',
  subjectType: 'accessKey',
  rationale:
    'Long-lived keys leak through code, logs and laptops; rotation limits how long a leaked key stays useful.',
  remediation:
    'Create a second key, move every program to it, confirm the old key is no longer used, then disable and delete the old key.',
  references: {
    cis: ['1.6'],
    docs: ['https://www.alibabacloud.com/help/doc-detail/116401.htm', 'https://www.alibabacloud.com/help/doc-detail/152682.htm'],
  },
  requires: ['users', 'accessKeys'],
  params: z.object({ maxAgeDays: z.number().int().positive().default(90) }),
  evaluate({ snapshot, now, params }): RuleResult[] {
    const results: RuleResult[] = [];
    for (const user of snapshot.users) {
      if (user.accessKeys === null) {
        results.push({ status: 'unknown', subject: userSubject(user), evidence: { summary: 'access keys could not be listed' } });
        continue;
      }
      for (const key of user.accessKeys) {
        if (key.status !== 'Active') continue;
        const subject = accessKeySubject(user, key);
        const created = parseDate(key.createDate);
        if (!created) {
          results.push({ status: 'unknown', subject, evidence: { summary: `active, creation date unreadable (${key.createDate})` } });
          continue;
        }
        const ageDays = ageInDays(created, now);
        if (ageDays <= params.maxAgeDays) continue;
        const used = !key.lastUsedKnown ? 'last use unknown' : key.lastUsedDate ? `last used ${showDay(key.lastUsedDate)}` : 'never used';
        results.push({
          status: 'fail',
          subject,
          evidence: {
            summary: `active, ${ageDays} days old (created ${day(created)}), ${used}`,
            ageDays,
            maxAgeDays: params.maxAgeDays,
            createDate: key.createDate,
            lastUsedDate: key.lastUsedKnown ? key.lastUsedDate : undefined,
          },
        });
      }
    }
    return results;
  },
});
