import { z } from 'zod';
import { defineRule, type RuleResult } from '../types.js';
import { ageInDays, day, parseDate } from '../lib/dates.js';
import { ownerEvidence, secretSubject, tagValue } from '../lib/secrets.js';

const DAY_MS = 86_400_000;

/** `on 2026-12-05 (in 4 days)` or `on 2026-11-20 (11 days ago)`. */
function when(date: Date, now: Date): string {
  const ago = ageInDays(date, now);
  return `${day(date)} (${ago > 0 ? `${ago} days ago` : ago === 0 ? 'today' : `in ${-ago} days`})`;
}

/**
 * KMS secrets about to disappear: scheduled for deletion (DeleteSecret's recovery window, 30 days by
 * default) within `withinDays`, or past an expiry date kept in a tag. The CIS Alibaba Cloud Foundations
 * Benchmark v2.0 has no Secrets Manager recommendation, hence no CIS id.
 */
export default defineRule({
  id: 'kms.secret-expiring',
  title: 'Secret scheduled for deletion or about to expire',
  severity: 'medium',
  subjectType: 'secret',
  rationale:
    'A secret about to disappear breaks whatever still reads it, often at night and far from the person who deleted it; confirming nothing uses it first turns an outage into a planned change.',
  remediation:
    'Confirm nothing still reads the secret (ActionTrail GetSecretValue events), or cancel the deletion (RestoreSecret) or extend the expiry tag and plan its replacement.',
  references: {
    cis: [],
    docs: [
      'https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/api-kms-2016-01-20-deletesecret',
      'https://www.alibabacloud.com/help/en/key-management-service/latest/kms-secrets-overview',
    ],
  },
  requires: ['secrets'],
  params: z.object({
    withinDays: z.number().int().nonnegative().default(14),
    /** Tag holding an ISO expiry date (`2027-03-31`) for secrets that expire by agreement rather than by KMS. */
    expiryTag: z.string().min(1).default('expires-at'),
    /** Tag naming the secret's owner, put in evidence as `owner` so the review routes to them. */
    ownerTag: z.string().min(1).default('owner'),
  }),
  evaluate({ snapshot, now, params }): RuleResult[] {
    const results: RuleResult[] = [];
    const soon = (date: Date) => date.getTime() - now.getTime() <= params.withinDays * DAY_MS;
    for (const secret of snapshot.secrets) {
      const problems: string[] = [];
      const unknowns: string[] = [];
      const planned = parseDate(secret.plannedDeleteTime);
      if (secret.plannedDeleteTime !== null && !planned) unknowns.push(`scheduled for deletion, at an unreadable time (${secret.plannedDeleteTime})`);
      if (planned && soon(planned)) problems.push(`scheduled for deletion ${when(planned, now)}`);
      const tagged = tagValue(secret.tags, params.expiryTag);
      const expires = parseDate(tagged);
      if (tagged !== undefined && !expires) unknowns.push(`tag ${params.expiryTag} is not a date: "${tagged}"`);
      if (expires && soon(expires)) problems.push(`expires ${when(expires, now)} by tag ${params.expiryTag}`);
      if (problems.length === 0 && unknowns.length === 0) continue;
      const evidence = {
        plannedDeleteTime: secret.plannedDeleteTime,
        ...(tagged !== undefined ? { expiresAt: tagged } : {}),
        withinDays: params.withinDays,
        ...ownerEvidence(secret, params.ownerTag),
      };
      results.push(
        problems.length > 0
          ? { status: 'fail', subject: secretSubject(secret), evidence: { summary: [...problems, ...unknowns].join('; '), ...evidence } }
          : { status: 'unknown', subject: secretSubject(secret), evidence: { summary: unknowns.join('; '), ...evidence } },
      );
    }
    return results;
  },
});
