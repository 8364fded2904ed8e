import { z } from 'zod';
import { defineRule, type RuleResult } from '../types.js';
import { ageInDays, day, parseDate } from '../lib/dates.js';
import { ownerEvidence, secretSubject } from '../lib/secrets.js';

/**
 * KMS secrets are rotated within `maxAgeDays`. Managed secrets (RDS, RAM credentials, ECS, …) should
 * rotate automatically, on time, at an interval within the limit; a Generic secret cannot rotate
 * automatically (KMS reports `Invalid`), so it is judged by the age of its last rotation alone. Secrets
 * scheduled for deletion are left to `kms.secret-expiring`. The CIS Alibaba Cloud Foundations Benchmark
 * v2.0 has no Secrets Manager recommendation, hence no CIS id.
 */
export default defineRule({
  id: 'kms.secret-rotation-overdue',
  title: 'Secret not rotated on schedule',
  severity: 'medium',
  subjectType: 'secret',
  rationale:
    'A database password or key that never changes stays useful to whoever copied it once, from a laptop, a log or a former colleague; regular rotation ends that.',
  remediation:
    'Turn on automatic rotation with an interval within the limit for managed secrets, or fix the failing rotation; for a Generic secret, store a new value (PutSecretValue) after changing the credential, or convert it to a managed secret that rotates itself.',
  references: {
    cis: [],
    docs: [
      'https://www.alibabacloud.com/help/en/key-management-service/latest/kms-secrets-overview',
      'https://www.alibabacloud.com/help/en/kms/user-guide/manage-and-use-generic-secrets',
      'https://www.alibabacloud.com/help/doc-detail/152004.htm',
    ],
  },
  requires: ['secrets'],
  params: z.object({
    maxAgeDays: z.number().int().positive().default(90),
    /** Tag naming the secret's owner, put in evidence as `owner` so the review routes to them. */
    ownerTag: z.string().min(1).default('owner'),
  }),
  evaluate({ snapshot, now, params }): RuleResult[] {
    const results: RuleResult[] = [];
    for (const secret of snapshot.secrets) {
      if (secret.plannedDeleteTime !== null) continue;
      const subject = secretSubject(secret);
      const owner = ownerEvidence(secret, params.ownerTag);
      if (!secret.detailKnown || secret.automaticRotation === null) {
        results.push({ status: 'unknown', subject, evidence: { summary: 'rotation settings could not be read (DescribeSecret failed)', ...owner } });
        continue;
      }
      const problems: string[] = [];
      const unknowns: string[] = [];
      const lastRaw = secret.lastRotationDate ?? secret.createTime;
      const last = parseDate(lastRaw);
      const ageDays = last ? ageInDays(last, now) : null;
      if (!last) unknowns.push(`last rotation date unreadable (${lastRaw})`);
      const stale = ageDays !== null && ageDays > params.maxAgeDays;
      const manual = secret.type === 'Generic' || secret.automaticRotation === 'Invalid';
      if (manual) {
        if (stale) problems.push(`${secret.type} secret cannot rotate automatically and is older than ${params.maxAgeDays} days: rotate it by hand or convert it to a managed secret`);
      } else {
        if (secret.automaticRotation === 'Disabled') problems.push('automatic rotation is disabled');
        const next = parseDate(secret.nextRotationDate);
        if (secret.nextRotationDate && !next) unknowns.push(`next rotation date unreadable (${secret.nextRotationDate})`);
        if (secret.automaticRotation === 'Enabled' && next && next.getTime() < now.getTime()) problems.push(`next rotation was due ${day(next)} (rotation may be failing)`);
        if (secret.rotationIntervalDays !== null && secret.rotationIntervalDays > params.maxAgeDays) problems.push(`rotation interval ${secret.rotationIntervalDays} days > ${params.maxAgeDays}`);
        if (stale) problems.push(`older than ${params.maxAgeDays} days`);
      }
      const lastText = last ? `${secret.lastRotationDate ? `last rotated ${day(last)}` : `never rotated (created ${day(last)})`}, ${ageDays} days ago` : '';
      const evidence = {
        type: secret.type,
        rotation: secret.automaticRotation,
        rotationIntervalDays: secret.rotationIntervalDays,
        lastRotationDate: secret.lastRotationDate,
        nextRotationDate: secret.nextRotationDate,
        createTime: secret.createTime,
        ageDays,
        maxAgeDays: params.maxAgeDays,
        ...owner,
      };
      if (problems.length > 0) {
        results.push({ status: 'fail', subject, evidence: { summary: [...problems, ...(lastText ? [lastText] : [])].join('; '), ...evidence } });
      } else if (unknowns.length > 0) {
        results.push({ status: 'unknown', subject, evidence: { summary: unknowns.join('; '), ...evidence } });
      }
    }
    return results;
  },
});
