import { z } from 'zod';
import { describeStatement, serviceWildcards } from '../../policy/index.js';
import { defineRule, type RuleResult } from '../types.js';
import { documentReader } from '../lib/documents.js';
import { policySubject } from '../lib/subjects.js';

/**
 * A custom policy that grants whole services (`ecs:*`), everything (`*`), or everything but a list
 * (Allow `NotAction`). System policies are Alibaba's and are judged by who holds them instead.
 * Reported whether attached or not: an unattached policy is one click from being used.
 */
export default defineRule({
  id: 'ram.policy-service-wildcard',
  title: 'Custom policy grants every action of a service',
  severity: 'medium',
  subjectType: 'policy',
  rationale:
    'A service wildcard grants today\'s and tomorrow\'s actions, including deletes and permission changes nobody meant to give; least privilege names the actions.',
  remediation:
    'Replace each wildcard with the actions the holders actually use (ActionTrail shows them), or narrow the resources it applies to.',
  references: {
    cis: [],
    docs: ['https://www.alibabacloud.com/help/doc-detail/93733.htm'],
  },
  requires: ['policies'],
  params: z.object({
    /** Services whose wildcard is accepted (e.g. a data team's own `oss`), by RAM code. */
    ignoreServices: z.array(z.string()).default(() => []),
  }),
  evaluate({ snapshot, params }): RuleResult[] {
    const read = documentReader();
    const ignored = new Set(params.ignoreServices.map((s) => s.toLowerCase()));
    const results: RuleResult[] = [];
    for (const policy of snapshot.policies) {
      if (policy.type !== 'Custom') continue;
      const subject = policySubject(policy);
      const doc = read(policy);
      if (!doc.ok) {
        results.push({ status: 'unknown', subject, evidence: { summary: doc.reason } });
        continue;
      }
      const found = serviceWildcards(doc.doc).filter((w) => !ignored.has(w.pattern.split(':')[0]?.toLowerCase() ?? ''));
      if (found.length === 0) continue;
      const patterns = [...new Set(found.map((w) => w.pattern))];
      const count = policy.attachments?.length;
      const held = count === undefined ? 'holders unknown' : `attached to ${count} ${count === 1 ? 'identity' : 'identities'}`;
      results.push({
        status: 'fail',
        subject,
        evidence: {
          summary: `grants ${patterns.join(', ')}; ${held}`,
          wildcards: patterns,
          statements: [...new Set(found.map((w) => describeStatement(w.statement)))],
          attachmentCount: policy.attachments?.length ?? policy.attachmentCount,
        },
      });
    }
    return results;
  },
});
