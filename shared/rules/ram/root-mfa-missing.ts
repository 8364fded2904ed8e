import { z } from 'zod';
import { defineRule, type RuleResult } from '../types.js';
import { accountSubject } from '../lib/subjects.js';

/** CIS 1.3: the root account's console logon must require MFA. */
export default defineRule({
  id: 'ram.root-mfa-missing',
  title: 'Root account has no MFA',
  severity: 'critical',
  subjectType: 'account',
  rationale:
    'The root account holds every permission and cannot be restricted; without MFA a phished or reused password is enough to take the whole account.',
  remediation: 'Sign in as the root account and bind a virtual MFA device (Security Settings → Account Protection).',
  references: {
    cis: ['1.3'],
    docs: ['https://www.alibabacloud.com/help/doc-detail/28635.htm'],
  },
  requires: ['root'],
  params: z.object({}),
  evaluate({ snapshot }): RuleResult[] {
    const subject = accountSubject(snapshot);
    const mfa = snapshot.root.mfaActive;
    if (mfa === null) return [{ status: 'unknown', subject, evidence: { summary: 'root MFA status could not be collected' } }];
    if (mfa) return [];
    return [{ status: 'fail', subject, evidence: { summary: 'root account console logon has no MFA device', mfaActive: false } }];
  },
});
