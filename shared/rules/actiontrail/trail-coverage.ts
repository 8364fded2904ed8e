import { z } from 'zod';
import type { PartStatus, Trail } from '../../domain/snapshot.js';
import { defineRule, type RuleResult } from '../types.js';
import { parseDate, showDay } from '../lib/dates.js';
import { accountSubject } from '../lib/subjects.js';
import { destinations } from '../lib/trails.js';

const params = z.object({
  /** A logging trail whose last delivery is older than this has a delivery problem (checked only when the time is known). */
  maxDeliveryAgeHours: z.number().positive().default(24),
  /** `auto`: a multi-account trail is required when the scan runs over a Resource Directory (`snapshot.organization`). */
  requireOrganizationTrail: z.union([z.literal('auto'), z.boolean()]).default('auto'),
});
type Params = z.output<typeof params>;

/** The one gap that makes a trail's verdict unknown rather than failed. */
const LOGGING_UNKNOWN = 'logging status unknown';

/** What keeps one trail from recording the account's activity where no operator can erase it; empty when it qualifies. */
function gaps(trail: Trail, now: Date, p: Params, requireOrganization: boolean): string[] {
  const out: string[] = [];
  const stopped = trail.isLogging === false || trail.status !== 'Enable';
  if (stopped) out.push(`not logging${trail.status !== 'Enable' ? ` (status ${trail.status})` : ''}`);
  else if (trail.isLogging === null) out.push(LOGGING_UNKNOWN);
  if (trail.trailRegion !== 'All') out.push(`covers ${trail.trailRegion} only`);
  if (trail.eventRW !== 'All') out.push(`records ${trail.eventRW} only`);
  if (!trail.ossBucketName && !trail.slsProjectArn) out.push(trail.maxComputeProjectArn ? 'delivers to MaxCompute only' : 'delivers nowhere');
  if (trail.latestDeliveryError) out.push(`delivery error: ${trail.latestDeliveryError}`);
  const delivered = parseDate(trail.latestDeliveryTime);
  if (!stopped && delivered && now.getTime() - delivered.getTime() > p.maxDeliveryAgeHours * 3_600_000) {
    out.push(`last delivery ${showDay(trail.latestDeliveryTime ?? '')}, over ${p.maxDeliveryAgeHours} h ago`);
  }
  if (requireOrganization && !trail.isOrganizationTrail) out.push('single-account trail (a multi-account trail is required in a Resource Directory)');
  return out;
}

/**
 * CIS 2.1: at least one trail records every region's read and write events to OSS or SLS, is logging,
 * and delivers without errors; in a Resource Directory, a multi-account trail from the management
 * account does (an account's own trail can be stopped by its own administrators). One finding on the
 * account, listing what each trail lacks.
 */
export default defineRule({
  id: 'actiontrail.trail-coverage',
  title: 'No trail records all API activity to durable storage',
  severity: 'high',
  subjectType: 'account',
  rationale:
    'ActionTrail keeps only 90 days of events in the console; without a logging trail that delivers every region\'s read and write events to OSS or SLS, an intrusion or a mistake leaves no lasting record to investigate.',
  remediation:
    'Create (or fix) a trail with Applied Regions All and Event Type All that delivers to an OSS bucket or SLS project, and start logging it (StartLogging); in a Resource Directory, create it as a multi-account trail from the management account.',
  references: {
    cis: ['2.1'],
    docs: [
      'https://www.alibabacloud.com/help/en/actiontrail/latest/api-actiontrail-2020-07-06-createtrail',
      'https://www.alibabacloud.com/help/en/actiontrail/user-guide/create-a-multi-account-trail',
      'https://www.alibabacloud.com/help/en/actiontrail/user-guide/overview-of-actiontrail',
    ],
  },
  requires: ['trails'],
  params,
  evaluate({ snapshot, now, params: p }): RuleResult[] {
    const subject = accountSubject(snapshot);
    const requireOrganization = p.requireOrganizationTrail === 'auto' ? snapshot.organization !== undefined : p.requireOrganizationTrail;
    const judged = snapshot.trails.map((trail) => ({ trail, gaps: gaps(trail, now, p, requireOrganization) }));
    if (judged.some((j) => j.gaps.length === 0)) return [];

    const trails = judged.map(({ trail, gaps: g }) => ({ name: trail.name, destinations: destinations(trail), isOrganizationTrail: trail.isOrganizationTrail, gaps: g }));
    const listing = trails.length === 0 ? 'no trail' : trails.map((t) => `trail ${t.name}: ${t.gaps.join('; ')}`).join(' | ');
    const evidence = { trails, requireOrganizationTrail: requireOrganization, ...(snapshot.organization ? { managementAccountId: snapshot.organization.managementAccountId } : {}) };
    // A trail whose only gap is an unread logging status may well qualify: that is not a pass, nor a fail.
    const undecided = trails.filter((t) => t.gaps.length === 1 && t.gaps[0] === LOGGING_UNKNOWN);
    if (undecided.length > 0) {
      return [{ status: 'unknown', subject, evidence: { summary: `trail ${undecided.map((t) => t.name).join(', ')} would qualify, but whether it is logging could not be read (GetTrailStatus)`, ...evidence } }];
    }
    // Trails not (fully) listed: "no trail qualifies" may only mean "none seen" (a part without status counts as missing).
    const part = snapshot.parts.trails as PartStatus | undefined;
    if (!part?.complete) {
      return [{ status: 'unknown', subject, evidence: { summary: `trails were not collected completely${part?.error ? ` (${part.error})` : ''}; of those seen: ${listing}`, ...evidence } }];
    }
    return [{ status: 'fail', subject, evidence: { summary: `no trail qualifies: ${listing}`, ...evidence } }];
  },
});
