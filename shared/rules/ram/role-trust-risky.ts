import { z } from 'zod';
import { buildAccessIndex } from '../../domain/access.js';
import { analyzeTrust, privilegeManagement, tryParsePolicy, type TrustRisk } from '../../policy/index.js';
import { defineRule, type RuleResult } from '../types.js';
import { documentReader } from '../lib/documents.js';
import { showPath } from '../lib/identities.js';
import { hasFullAdmin, powerAnalyzer, relevantUnattributed } from '../lib/power.js';
import { roleSubject } from '../lib/subjects.js';

/**
 * Risky role trust: anyone (`*`), a foreign account without conditions, an OIDC provider without
 * `oidc:sub`/`oidc:aud` constraints, a SAML provider without `saml:recipient`. Trusting the own
 * account's root is normal for ordinary roles, so it only counts when the role is powerful (full
 * admin or RAM write actions); unknown when its power cannot be determined.
 */
export default defineRule({
  id: 'ram.role-trust-risky',
  title: 'Role can be assumed by too broad a set of principals',
  severity: 'high',
  subjectType: 'role',
  rationale:
    'A role\'s trust policy decides who can become it; a broad or unconditioned trust hands the role\'s permissions to identities nobody reviews.',
  remediation:
    'Narrow the trust policy (UpdateRole): name the specific RAM users or roles, add an ExternalId or source conditions for other accounts, and pin oidc:sub, oidc:aud and saml:recipient for identity providers.',
  references: {
    cis: [],
    docs: [
      'https://www.alibabacloud.com/help/en/ram/user-guide/create-a-ram-role-for-a-trusted-idp',
      'https://www.alibabacloud.com/help/doc-detail/93733.htm',
    ],
  },
  requires: ['account', 'roles', 'policies'],
  params: z.object({}),
  evaluate({ snapshot }): RuleResult[] {
    const index = buildAccessIndex(snapshot);
    const read = documentReader();
    const analyze = powerAnalyzer(read);
    const powerMatters = (doc: Parameters<typeof hasFullAdmin>[0]): boolean =>
      hasFullAdmin(doc) || privilegeManagement([doc]).actions.length > 0;
    const unattributed = relevantUnattributed(index, read, powerMatters);
    const results: RuleResult[] = [];
    for (const role of snapshot.roles) {
      const subject = roleSubject(role);
      if (role.trustPolicy === null) {
        results.push({ status: 'unknown', subject, evidence: { summary: 'trust policy could not be read' } });
        continue;
      }
      const doc = tryParsePolicy(role.trustPolicy);
      if (doc instanceof Error) {
        results.push({ status: 'unknown', subject, evidence: { summary: `trust policy unreadable: ${doc.message}` } });
        continue;
      }
      const risks = analyzeTrust(doc, snapshot.account.id);
      const ownRoot = risks.filter((r) => r.kind === 'own-account-root');
      const reported: TrustRisk[] = risks.filter((r) => r.kind !== 'own-account-root');
      let powerPath: string | undefined;
      let powerUnknown: string[] = [];
      if (ownRoot.length > 0) {
        const power = analyze(index.forPrincipal('role', role.name));
        const path = power.fullAdmin[0]?.path ?? power.privilege[0]?.paths[0];
        if (path) {
          powerPath = showPath(path);
          reported.push(...ownRoot);
        } else {
          powerUnknown = [...power.unknowns, ...unattributed.map((u) => `${u.policy.type}:${u.policy.name} ${u.reason}`)];
        }
      }
      if (reported.length === 0) {
        if (powerUnknown.length > 0) {
          const summary = `trusts this account's root; whether the role is powerful is unknown: ${powerUnknown.join('; ')}`;
          results.push({ status: 'unknown', subject, evidence: { summary, unknowns: powerUnknown } });
        }
        continue;
      }
      const critical = reported.some((r) => r.kind === 'any-principal');
      const details = reported.map((r) => r.detail);
      if (powerPath) details.push(`role is powerful: ${powerPath}`);
      results.push({
        status: 'fail',
        subject,
        severity: critical ? 'critical' : 'high',
        evidence: {
          summary: details.join('; '),
          risks: reported.map((r) => ({ kind: r.kind, principal: r.principal, statement: r.statement + 1, conditions: r.conditions })),
          ...(powerPath ? { powerPath } : {}),
          ...(powerUnknown.length > 0 ? { incomplete: powerUnknown } : {}),
        },
      });
    }
    return results;
  },
});
