import { z } from 'zod';
import { matchesGlob } from '../../policy/index.js';
import { defineRule, type RuleResult } from '../types.js';
import { ageInDays, day, parseDate } from '../lib/dates.js';
import { SERVICE_LINKED_ROLES } from '../lib/identities.js';
import { roleSubject } from '../lib/subjects.js';
import { usageGap, usageWindow } from '../lib/usage.js';

/**
 * A role nobody assumed or used in `lookbackDays`. Roles younger than that and service-linked roles
 * (`AliyunServiceRoleFor*`, managed by the services themselves) are skipped; without activity data
 * covering the window, one `unknown`.
 *
 * No plan, on purpose: deleting a role cannot be undone by the executor (a new role gets a new RoleId
 * and ARN, so trust relationships and external references to it break), and detaching its policies
 * would only leave an empty role whose trust policy still lets principals in. The owner decides;
 * `ram.permission-unused` already proposes detaching the policies it never used.
 */
export default defineRule({
  id: 'ram.role-unused',
  title: 'Role not used',
  severity: 'low',
  subjectType: 'role',
  rationale:
    'An unused role is a standing door: whoever its trust policy lets in can still assume it, and nobody watches a role no one uses.',
  remediation:
    'Confirm with the owner that nothing assumes the role (CI, other accounts, SSO), then delete it, or remove the principals from its trust policy.',
  references: {
    cis: [],
    docs: ['https://www.alibabacloud.com/help/en/ram/user-guide/delete-a-ram-role'],
  },
  requires: ['roles'],
  params: z.object({
    lookbackDays: z.number().int().positive().default(90),
  }),
  evaluate({ snapshot, usage, now, params }): RuleResult[] {
    const window = usageWindow(now, params.lookbackDays);
    const roles = snapshot.roles.filter((r) => !SERVICE_LINKED_ROLES.some((glob) => matchesGlob(glob, r.name, { ignoreCase: true })));
    // No role to judge, nothing unknown: an account without roles needs no activity data.
    if (roles.length === 0) return [];
    const gap = usageGap(snapshot, usage, window);
    if (gap || !usage) return gap ? [gap] : [];
    const results: RuleResult[] = [];
    for (const role of roles) {
      const subject = roleSubject(role);
      const created = parseDate(role.createDate);
      if (!created) {
        results.push({ status: 'unknown', subject, evidence: { summary: 'creation date unknown, so its age cannot be told' } });
        continue;
      }
      const ageDays = ageInDays(created, now);
      if (ageDays < params.lookbackDays) continue;
      const last = parseDate(usage.lastUsed({ type: 'role', name: role.name }));
      if (last && last.getTime() >= window.from.getTime()) continue;
      const summary = last
        ? `not used in ${params.lookbackDays} days (last used ${day(last)}), created ${day(created)}`
        : `no activity in the ${params.lookbackDays} days of activity data, created ${day(created)} (${ageDays} days ago)`;
      results.push({ status: 'fail', subject, evidence: { summary, lastUsedDate: last?.toISOString() ?? null, createDate: role.createDate, window: window.iso } });
    }
    return results;
  },
});
