import { z } from 'zod';
import { plans } from '../../domain/remediation.js';
import { defineRule, type RuleResult } from '../types.js';
import { ageInDays, day, parseDate } from '../lib/dates.js';
import { userSubject } from '../lib/subjects.js';

/**
 * CIS 1.5: console logon of users who have not signed in for `inactiveDays` should be disabled. A user
 * who never signed in counts from the day it was created.
 */
export default defineRule({
  id: 'ram.user-console-inactive',
  title: 'Console logon enabled but unused',
  severity: 'medium',
  subjectType: 'user',
  rationale:
    'An unused console password is attack surface nobody watches: an abandoned or leaked login keeps working until someone notices.',
  remediation: 'Disable console logon for the user (login profile Inactive); it can be re-enabled without a new password.',
  plan: 'disable-console-login',
  references: {
    cis: ['1.5'],
    docs: ['https://www.alibabacloud.com/help/en/ram/user-guide/manage-console-logon-settings-for-a-ram-user'],
  },
  requires: ['users', 'loginProfiles'],
  params: z.object({ inactiveDays: z.number().int().positive().default(90) }),
  evaluate({ snapshot, now, params }): RuleResult[] {
    const results: RuleResult[] = [];
    for (const user of snapshot.users) {
      const subject = userSubject(user);
      if (!user.consoleKnown) {
        results.push({ status: 'unknown', subject, evidence: { summary: 'console access could not be collected' } });
        continue;
      }
      if (!user.console?.active) continue;
      const since = parseDate(user.lastLoginDate ?? user.createDate);
      if (!since) {
        const summary = `console enabled; ${user.lastLoginDate ? 'last logon' : 'creation'} date unreadable`;
        results.push({ status: 'unknown', subject, evidence: { summary } });
        continue;
      }
      const idleDays = ageInDays(since, now);
      if (idleDays < params.inactiveDays) continue;
      const summary = user.lastLoginDate
        ? `console enabled, last logon ${day(since)} (${idleDays} days ago)`
        : `console enabled, never logged on, created ${day(since)} (${idleDays} days ago)`;
      results.push({
        status: 'fail',
        subject,
        evidence: { summary, idleDays, lastLoginDate: user.lastLoginDate, createDate: user.createDate },
        plan: plans.disableConsoleLogin(user.name, user.principalName),
      });
    }
    return results;
  },
});
