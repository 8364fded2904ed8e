import { subDays } from 'date-fns';
import { z } from 'zod';
import { defineRule, type RuleResult } from '../types.js';
import { ageInDays, day, parseDate } from '../lib/dates.js';
import { accountSubject } from '../lib/subjects.js';

/**
 * CIS 1.1: avoid using the root account. Fails when root signed in to the console, or a root access
 * key was used, within `days`. Unknown when a logon or key-use time could not be collected and no
 * recent use was seen otherwise.
 */
export default defineRule({
  id: 'ram.root-recent-use',
  title: 'Root account was used recently',
  severity: 'high',
  subjectType: 'account',
  rationale:
    'Every root sign-in or root key call runs with unrestricted power and bypasses RAM policy; day-to-day work belongs to RAM identities with least privilege.',
  remediation:
    'Find out who used the root account and why (ActionTrail), move that work to RAM users or roles, and keep the root credentials locked away for break-glass only.',
  references: {
    cis: ['1.1'],
    docs: ['https://www.alibabacloud.com/help/doc-detail/102600.htm'],
  },
  requires: ['root'],
  params: z.object({ days: z.number().int().positive().default(30) }),
  evaluate({ snapshot, now, params }): RuleResult[] {
    const subject = accountSubject(snapshot);
    const since = subDays(now, params.days);
    const uses: Array<{ via: string; date: string; daysAgo: number }> = [];
    const unknown: string[] = [];
    const note = (via: string, value: string | null, known: boolean): void => {
      if (!known) return void unknown.push(`${via} time unknown`);
      if (value === null) return;
      const date = parseDate(value);
      if (!date) return void unknown.push(`${via} time unreadable (${value})`);
      if (date.getTime() >= since.getTime()) uses.push({ via, date: day(date), daysAgo: Math.max(0, ageInDays(date, now)) });
    };
    note('console logon', snapshot.root.lastLoginDate, snapshot.root.lastLoginKnown);
    if (snapshot.root.accessKeys === null) unknown.push('root access keys unknown');
    for (const key of snapshot.root.accessKeys ?? []) note(`access key ${key.slot}`, key.lastUsed, key.lastUsedKnown);

    if (uses.length > 0) {
      const summary = uses.map((u) => `${u.via} on ${u.date}`).join(', ');
      return [{ status: 'fail', subject, evidence: { summary: `root used within ${params.days} days: ${summary}`, uses, windowDays: params.days } }];
    }
    if (unknown.length > 0) return [{ status: 'unknown', subject, evidence: { summary: unknown.join('; '), windowDays: params.days } }];
    return [];
  },
});
