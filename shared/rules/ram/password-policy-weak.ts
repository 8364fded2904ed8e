import { z } from 'zod';
import type { PasswordPolicy } from '../../domain/snapshot.js';
import { defineRule, type RuleResult } from '../types.js';
import { accountSubject } from '../lib/subjects.js';

const params = z.object({
  minLength: z.number().int().min(8).max(32).default(14),
  minReusePrevention: z.number().int().min(0).max(24).default(5),
  maxLoginAttempts: z.number().int().min(1).max(32).default(5),
  /** CIS v2.0: expiry, when set, is at least a year. v1.0 auditors: 1. */
  expiryMinDays: z.number().int().min(1).max(1095).default(365),
  /** RAM's own maximum is 1095 days. v1.0 auditors: 90. */
  expiryMaxDays: z.number().int().min(1).max(1095).default(1095),
  /** CIS v2.0 accepts "never expires". v1.0 auditors: true. */
  requireExpiry: z.boolean().default(false),
});
type Params = z.output<typeof params>;

interface Check {
  cis: string;
  check: string;
  /** Null when the setting passes, else what is wrong. */
  problem(policy: PasswordPolicy, p: Params): string | null;
}

/**
 * CIS 1.7–1.14 as one check list. CIS v2.0 1.13 reversed v1.0: passwords should expire after 365
 * days or more (or never), because frequent forced changes make passwords weaker; the expiry params
 * restore the old "≤ 90 days" reading when an auditor asks for it.
 */
const CHECKS: Check[] = [
  { cis: '1.7', check: 'uppercase', problem: (x) => (x.requireUppercaseCharacters ? null : 'no uppercase letter required') },
  { cis: '1.8', check: 'lowercase', problem: (x) => (x.requireLowercaseCharacters ? null : 'no lowercase letter required') },
  { cis: '1.9', check: 'symbol', problem: (x) => (x.requireSymbols ? null : 'no symbol required') },
  { cis: '1.10', check: 'number', problem: (x) => (x.requireNumbers ? null : 'no number required') },
  {
    cis: '1.11',
    check: 'minimum-length',
    problem: (x, p) => (x.minimumPasswordLength >= p.minLength ? null : `minimum length ${x.minimumPasswordLength} < ${p.minLength}`),
  },
  {
    cis: '1.12',
    check: 'reuse-prevention',
    problem: (x, p) =>
      x.passwordReusePrevention >= p.minReusePrevention ? null : `remembers ${x.passwordReusePrevention} old passwords < ${p.minReusePrevention}`,
  },
  {
    cis: '1.13',
    check: 'max-age',
    problem: (x, p) => {
      if (x.maxPasswordAge <= 0) return p.requireExpiry ? 'passwords never expire' : null;
      if (x.maxPasswordAge < p.expiryMinDays) return `passwords expire after ${x.maxPasswordAge} days < ${p.expiryMinDays}`;
      if (x.maxPasswordAge > p.expiryMaxDays) return `passwords expire after ${x.maxPasswordAge} days > ${p.expiryMaxDays}`;
      return null;
    },
  },
  {
    cis: '1.14',
    check: 'lockout',
    problem: (x, p) => {
      if (x.maxLoginAttempts <= 0) return 'no lockout after failed logons';
      return x.maxLoginAttempts <= p.maxLoginAttempts ? null : `lockout after ${x.maxLoginAttempts} failed logons > ${p.maxLoginAttempts}`;
    },
  },
];

/** The account's RAM password policy against CIS 1.7–1.14: one finding listing every failed check. */
export default defineRule({
  id: 'ram.password-policy-weak',
  title: 'RAM password policy is weaker than CIS',
  severity: 'medium',
  subjectType: 'account',
  rationale:
    'The password policy is the only defence of console users without MFA against guessing and reuse; short, simple, reusable passwords fall first.',
  remediation:
    'Update the password policy (RAM console → Settings → Password, or SetPasswordPolicy) to meet each failed check listed in the evidence.',
  references: {
    cis: ['1.7', '1.8', '1.9', '1.10', '1.11', '1.12', '1.13', '1.14'],
    docs: ['https://www.alibabacloud.com/help/doc-detail/116413.htm'],
  },
  requires: ['passwordPolicy'],
  params,
  evaluate({ snapshot, params: p }): RuleResult[] {
    const subject = accountSubject(snapshot);
    const policy = snapshot.passwordPolicy;
    if (!policy) return [{ status: 'unknown', subject, evidence: { summary: 'password policy could not be read' } }];
    const failed = CHECKS.flatMap((c) => {
      const problem = c.problem(policy, p);
      return problem ? [{ cis: c.cis, check: c.check, problem }] : [];
    });
    if (failed.length === 0) return [];
    return [
      {
        status: 'fail',
        subject,
        evidence: {
          summary: `${failed.length} of ${CHECKS.length} CIS password checks fail: ${failed.map((f) => f.problem).join('; ')}`,
          failed,
          policy: { ...policy },
        },
      },
    ];
  },
});
