import { z } from 'zod';
import { defineRule, type RuleResult } from '../types.js';
import { showDay } from '../lib/dates.js';
import { accountSubject } from '../lib/subjects.js';

/**
 * CIS 1.2: the Alibaba Cloud account (root) should have no access key. An active key is critical; an
 * inactive one still fails (anyone with the root console can re-enable it) but only at medium.
 */
export default defineRule({
  id: 'ram.root-access-key',
  title: 'Root account has an access key',
  severity: 'critical',
  subjectType: 'account',
  rationale:
    'A root access key has every permission in the account and cannot be limited by policy, source IP or MFA; a leak is a full compromise.',
  remediation:
    'Move programs to a RAM user or role with least privilege, then disable and delete the root access keys (root console → AccessKey).',
  references: {
    cis: ['1.2'],
    docs: ['https://www.alibabacloud.com/help/doc-detail/102600.htm'],
  },
  requires: ['root'],
  params: z.object({}),
  evaluate({ snapshot }): RuleResult[] {
    const subject = accountSubject(snapshot);
    const keys = snapshot.root.accessKeys;
    if (keys === null) {
      return [{ status: 'unknown', subject, evidence: { summary: 'root access keys could not be collected' } }];
    }
    if (keys.length === 0) return [];
    // `active: null` (only a count is known) is treated as active: fail closed.
    const active = keys.filter((k) => k.active !== false);
    const described = keys.map((k) => {
      const state = k.active === null ? 'status unknown' : k.active ? 'active' : 'inactive';
      const used = !k.lastUsedKnown ? 'last use unknown' : k.lastUsed ? `last used ${showDay(k.lastUsed)}` : 'never used';
      return `${k.slot} ${state}, ${used}`;
    });
    return [
      {
        status: 'fail',
        subject,
        severity: active.length > 0 ? 'critical' : 'medium',
        evidence: {
          summary: `root has ${keys.length} access key(s): ${described.join('; ')}`,
          activeKeys: active.length,
          keys: keys.map((k) => ({ slot: k.slot, active: k.active, lastRotated: k.lastRotated, lastUsed: k.lastUsed })),
        },
      },
    ];
  },
});
