import { z } from 'zod';
import { defineRule, type RuleResult } from '../types.js';
import { userSubject } from '../lib/subjects.js';

/**
 * A person's console login and a program's access key on one identity: the key inherits everything
 * the person may do, and a leaked key cannot be told apart from the person. No plan: which of the two
 * to remove is the owner's call.
 */
export default defineRule({
  id: 'ram.user-console-and-access-key',
  title: 'User has both console logon and an active access key',
  severity: 'medium',
  subjectType: 'user',
  rationale:
    'Mixing human and program access on one RAM user gives the key the human\'s permissions and blurs the audit trail; keep people and programs on separate identities.',
  remediation:
    'Create a separate RAM user (or better, a role) for the program, move the access key use there, then delete the key from the person\'s user.',
  references: {
    cis: [],
    docs: ['https://www.alibabacloud.com/help/en/cloud-config/latest/best-practices-for-accesskey-and-permission-governance'],
  },
  requires: ['users', 'loginProfiles', 'accessKeys'],
  params: z.object({}),
  evaluate({ snapshot }): RuleResult[] {
    const results: RuleResult[] = [];
    for (const user of snapshot.users) {
      const subject = userSubject(user);
      const consoleOn = user.consoleKnown ? (user.console?.active ?? false) : null;
      const activeKeys = user.accessKeys?.filter((k) => k.status === 'Active').map((k) => k.id) ?? null;
      // One known "no" settles it; otherwise any unknown side leaves the verdict open.
      if (consoleOn === false || activeKeys?.length === 0) continue;
      if (consoleOn === null || activeKeys === null) {
        const missing = [consoleOn === null ? 'console access' : null, activeKeys === null ? 'access keys' : null].filter(Boolean);
        results.push({ status: 'unknown', subject, evidence: { summary: `${missing.join(' and ')} could not be collected` } });
        continue;
      }
      results.push({
        status: 'fail',
        subject,
        evidence: {
          summary: `console logon enabled and ${activeKeys.length} active access key(s): ${activeKeys.join(', ')}`,
          activeAccessKeys: activeKeys,
        },
      });
    }
    return results;
  },
});
