import { z } from 'zod';
import { plans } from '../../domain/remediation.js';
import { defineRule, type RuleResult } from '../types.js';
import { showDay } from '../lib/dates.js';
import { userSubject } from '../lib/subjects.js';

/**
 * CIS 1.4: every RAM user who can sign in to the console has an MFA device. The plan (require MFA at
 * next logon) is proposed unless the login profile already requires it. The credential report does not
 * carry `MFABindRequired` (null); the executor re-reads the live login profile before applying, so the
 * plan's precondition (`false`) is checked then.
 */
export default defineRule({
  id: 'ram.user-console-without-mfa',
  title: 'Console user without MFA',
  severity: 'high',
  subjectType: 'user',
  rationale:
    'A console password alone falls to phishing and password reuse; MFA makes a stolen password useless on its own.',
  remediation:
    'Require MFA for the user (login profile → MFABindRequired) so the next logon binds a device, or remove console access if it is not needed.',
  plan: 'require-mfa',
  references: {
    cis: ['1.4'],
    docs: ['https://www.alibabacloud.com/help/doc-detail/93720.htm', 'https://www.alibabacloud.com/help/doc-detail/119555.htm'],
  },
  requires: ['users', 'loginProfiles', 'mfa'],
  params: z.object({}),
  evaluate({ snapshot }): RuleResult[] {
    const results: RuleResult[] = [];
    for (const user of snapshot.users) {
      const subject = userSubject(user);
      if (!user.consoleKnown) {
        results.push({ status: 'unknown', subject, evidence: { summary: 'console access could not be collected' } });
        continue;
      }
      if (!user.console?.active) continue;
      if (!user.mfaKnown) {
        results.push({ status: 'unknown', subject, evidence: { summary: 'console enabled; MFA status could not be collected' } });
        continue;
      }
      if (user.mfa.active) continue;
      const logon = user.lastLoginDate ? `last logon ${showDay(user.lastLoginDate)}` : 'never logged on';
      const bind = user.console.mfaBindRequired;
      const pending = bind ? ', MFA binding already required at next logon' : '';
      results.push({
        status: 'fail',
        subject,
        evidence: {
          summary: `console logon enabled without MFA, ${logon}${pending}`,
          lastLoginDate: user.lastLoginDate,
          mfaBindRequired: bind,
        },
        ...(bind !== true ? { plan: plans.requireMfa(user.name) } : {}),
      });
    }
    return results;
  },
});
