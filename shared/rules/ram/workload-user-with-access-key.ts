import { z } from 'zod';
import { defineRule, type KeyOrigins, type RuleResult } from '../types.js';
import { day, parseDate } from '../lib/dates.js';
import { accessKeySubject, userSubject } from '../lib/subjects.js';
import { usageGap, usageWindow } from '../lib/usage.js';

const ECS_ROLE = 'attach an instance RAM role to the ECS instance (the SDKs read its STS token from the instance metadata service)';
const FC_ROLE = 'give the function a function role (Function Compute passes its STS token in the invocation context)';
const ACK_ROLE = 'use RRSA (RAM Roles for Service Accounts) for the pod';

/** What to move the workload to, by the runtimes seen; ECS when only the addresses tell. */
function recommendation(runtimes: string[]): string {
  const steps = [...new Set(runtimes.map((f) => (f === 'fc' ? FC_ROLE : f === 'ack' ? ACK_ROLE : ECS_ROLE)))];
  return `${(steps.length > 0 ? steps : [ECS_ROLE]).join('; or ')}; then delete the key`;
}

const percent = (share: number): string => `${Math.round(share * 100)}%`;

/**
 * An active access key of a RAM user used, within `windowDays`, from inside Alibaba Cloud: at least
 * `minInternalShare` of its calls from internal addresses (private, 100.64/10, a VPC endpoint), or any
 * call by a cloud-runtime client (FC, ECS, ACK user agents). Such a key lives on an instance or in a
 * function that could take a role instead and never hold a long-term secret.
 *
 * Fails closed: without activity data covering the window, one `unknown`; a key used in the window
 * whose origins were not recorded (SLS aggregates, an index saved before origins) is `unknown`. A key
 * not used in the window passes (`ram.access-key-unused` judges those). No plan: the key can go only
 * after the workload uses the role, which the owner has to change first.
 */
export default defineRule({
  id: 'ram.workload-user-with-access-key',
  title: 'Access key used by a workload inside Alibaba Cloud',
  severity: 'medium',
  subjectType: 'accessKey',
  rationale:
    'A workload on ECS, Function Compute or ACK can get short-lived credentials from a role; a long-term key copied onto it can leak with an image, a snapshot or a log and works from anywhere until someone deletes it.',
  remediation:
    'Attach a RAM role to the ECS instance (instance RAM role), the FC function (function role) or the pod (RRSA), switch the workload to it, then delete the key.',
  references: {
    cis: [],
    docs: [
      'https://www.alibabacloud.com/help/en/ecs/user-guide/attach-an-instance-ram-role-to-an-ecs-instance',
      'https://www.alibabacloud.com/help/en/functioncompute/fc-3-0/grant-function-compute-permissions-to-access-other-alibaba-cloud-services',
      'https://www.alibabacloud.com/help/doc-detail/356611.html',
    ],
  },
  requires: ['users', 'accessKeys'],
  params: z.object({
    /** Look-back of the judgement; at most the 90 days of origins the usage index keeps per key. */
    windowDays: z.number().int().positive().max(90).default(30),
    /** Share of calls from inside Alibaba Cloud (of those with a judgeable address) that marks a workload. */
    minInternalShare: z.number().min(0).max(1).default(0.5),
  }),
  evaluate({ snapshot, usage, now, params }): RuleResult[] {
    const results: RuleResult[] = [];
    const keys: { user: (typeof snapshot.users)[number]; id: string }[] = [];
    for (const user of snapshot.users) {
      if (user.accessKeys === null) results.push({ status: 'unknown', subject: userSubject(user), evidence: { summary: 'access keys could not be listed' } });
      else for (const key of user.accessKeys) if (key.status === 'Active') keys.push({ user, id: key.id });
    }
    if (keys.length === 0) return results;
    const window = usageWindow(now, params.windowDays);
    const gap = usageGap(snapshot, usage, window, 'where keys are used from cannot be told');
    if (gap || !usage) return [...results, ...(gap ? [gap] : [])];
    for (const { user, id } of keys) {
      const subject = accessKeySubject(user, { id });
      const last = parseDate(usage.lastUsed({ type: 'accessKey', name: id }));
      if (!last || last.getTime() < window.from.getTime()) continue;
      const origins = usage.origins(id, window.from);
      const verdict = origins ? judge(origins, params.minInternalShare) : null;
      if (!origins || !verdict) {
        const why = origins ? 'no call had an address or client that tells inside from outside' : 'where it was used from was not recorded for the whole window';
        results.push({ status: 'unknown', subject, evidence: { summary: `used in the last ${params.windowDays} days (last ${day(last)}), but ${why}`, window: window.iso } });
        continue;
      }
      if (!verdict.fail) continue;
      const internalIps = origins.samples.filter((s) => s.network === 'internal').map((s) => s.ip);
      const runtimes = origins.agents.filter((a) => a.runtime).map((a) => a.family);
      const parts: string[] = [];
      if (verdict.judged > 0) {
        const ips = internalIps.length > 0 ? ` (${internalIps.join(', ')})` : '';
        parts.push(`${percent(verdict.share)} of ${verdict.judged} calls in the last ${params.windowDays} days came from inside Alibaba Cloud${ips}`);
      }
      if (runtimes.length > 0) parts.push(`called by ${runtimes.join(', ')} runtime clients`);
      results.push({
        status: 'fail',
        subject,
        evidence: {
          summary: parts.join('; '),
          internalShare: Math.round(verdict.share * 100) / 100,
          uses: { internal: origins.internal, public: origins.public, other: origins.other },
          sampleIps: origins.samples,
          clients: origins.agents,
          lastUsedDate: last.toISOString(),
          window: window.iso,
          recommendation: recommendation(runtimes),
        },
      });
    }
    return results;
  },
});

/**
 * Share of calls from inside among those with a judgeable address, and whether the key fails. Null
 * when nothing in the window tells: no judgeable address and no cloud-runtime client.
 */
function judge(o: KeyOrigins, minShare: number): { share: number; judged: number; fail: boolean } | null {
  const judged = o.internal + o.public;
  const runtime = o.agents.some((a) => a.runtime);
  if (judged === 0 && !runtime) return null;
  const share = judged > 0 ? o.internal / judged : 0;
  return { share, judged, fail: runtime || (o.internal > 0 && share >= minShare) };
}
