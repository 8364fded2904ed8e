import { z } from 'zod';
import { plans } from '../../domain/remediation.js';
import { defineRule, type RuleResult } from '../types.js';
import { ageInDays, day, latest, parseDate } from '../lib/dates.js';
import { accessKeySubject, userSubject } from '../lib/subjects.js';

/**
 * An active key unused for `unusedDays`, or never used and older than `neverUsedGraceDays`. Last use
 * is the later of RAM's last-used date and ActionTrail's (when a usage index is given). Unknown when
 * the last-used date could not be collected: "no data" is never read as "unused".
 */
export default defineRule({
  id: 'ram.access-key-unused',
  title: 'Active access key not used',
  severity: 'medium',
  subjectType: 'accessKey',
  rationale:
    'A key nobody uses can only be lost, never missed; disabling it removes a credential an attacker could use without anyone noticing.',
  remediation: 'Disable the key (reversible); delete it once nothing has complained for a while.',
  plan: 'deactivate-access-key',
  references: {
    cis: [],
    docs: ['https://www.alibabacloud.com/help/en/cloud-config/latest/best-practices-for-accesskey-and-permission-governance'],
  },
  requires: ['users', 'accessKeys', 'accessKeyUsage'],
  params: z.object({
    unusedDays: z.number().int().positive().default(90),
    neverUsedGraceDays: z.number().int().nonnegative().default(30),
  }),
  evaluate({ snapshot, usage, now, params }): RuleResult[] {
    const results: RuleResult[] = [];
    const usageComplete = snapshot.parts.accessKeyUsage.complete;
    for (const user of snapshot.users) {
      if (user.accessKeys === null) {
        results.push({ status: 'unknown', subject: userSubject(user), evidence: { summary: 'access keys could not be listed' } });
        continue;
      }
      for (const key of user.accessKeys) {
        if (key.status !== 'Active') continue;
        const subject = accessKeySubject(user, key);
        const created = parseDate(key.createDate);
        const ramUse = parseDate(key.lastUsedDate);
        if (!usageComplete || !key.lastUsedKnown || !created || (key.lastUsedDate !== null && !ramUse)) {
          results.push({ status: 'unknown', subject, evidence: { summary: 'active, last use could not be determined' } });
          continue;
        }
        const lastUsed = latest(ramUse, parseDate(usage?.lastUsed({ type: 'accessKey', name: key.id })));
        const ageDays = ageInDays(created, now);
        let summary: string | null = null;
        if (lastUsed) {
          const idleDays = ageInDays(lastUsed, now);
          if (idleDays >= params.unusedDays) summary = `active, last used ${day(lastUsed)} (${idleDays} days ago), ${ageDays} days old`;
        } else if (ageDays > params.neverUsedGraceDays) {
          summary = `active, never used, created ${day(created)} (${ageDays} days ago)`;
        }
        if (!summary) continue;
        results.push({
          status: 'fail',
          subject,
          evidence: { summary, ageDays, lastUsedDate: lastUsed ? lastUsed.toISOString() : null, createDate: key.createDate },
          plan: plans.deactivateAccessKey(user.name, key.id),
        });
      }
    }
    return results;
  },
});
