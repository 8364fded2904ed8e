import type { Severity } from '../domain/finding.js';
import { addDays, endOfUtcDay, startOfUtcDay } from './dates.js';
import type { DeadlineAction } from './types.js';

/** How the review cadence runs (issue 3 "Lifecycle"); built from config by {@link createReviewPolicy}. */
export interface ReviewPolicy {
  /** Days from the prompt to the due date. */
  dueDays: number;
  /** Reminder days relative to the due day (negative = before it). */
  reminderOffsetsDays: number[];
  /** Remind the (escalated) assignees every day once the due date has passed. */
  overdueDaily: boolean;
  /** The deadline action fires this many days after the due date. */
  graceDays: number;
  /** Keeps at these severities need the manager's attestation. */
  attestSeverities: Severity[];
  /** What happens at the deadline for a finding of this rule. It can only *request* a revocation. */
  deadlineAction(ruleId: string): DeadlineAction;
  /** Longest "I'll fix it by" allowed. */
  maxSnoozeDays: number;
  /** The security team's group name: orphaned identities, "not mine", and the last escalation. */
  securityGroup: string;
  /** Group whose members may approve revocations besides the owner's manager. */
  approversGroup: string;
  /** Days after a revocation was applied during which its owner may ask to roll it back. */
  rollbackWindowDays: number;
}

/** Config-shaped input: any field left out takes its default. */
export interface ReviewPolicyInput extends Partial<Omit<ReviewPolicy, 'deadlineAction'>> {
  defaultDeadlineAction?: DeadlineAction;
  /** Per-rule deadline actions by rule id. */
  deadlineActions?: Readonly<Record<string, DeadlineAction>>;
}

/** Builds a policy; the defaults are the ones the issue names (7 days, reminders -3/-1/0, 7 days grace). */
export function createReviewPolicy(input: ReviewPolicyInput = {}): ReviewPolicy {
  const { defaultDeadlineAction = 'escalate-to-security', deadlineActions = {}, ...rest } = input;
  return {
    dueDays: 7,
    reminderOffsetsDays: [-3, -1, 0],
    overdueDaily: true,
    graceDays: 7,
    attestSeverities: ['high', 'critical'],
    maxSnoozeDays: 90,
    securityGroup: 'security',
    approversGroup: 'approvers',
    rollbackWindowDays: 30,
    ...rest,
    deadlineAction: (ruleId) => deadlineActions[ruleId] ?? defaultDeadlineAction,
  };
}

export const DEFAULT_REVIEW_POLICY: ReviewPolicy = createReviewPolicy();

/**
 * Due date and deadline for a prompt sent at `now`. The due date is the end of its UTC day, so the
 * day shown on the card is the whole day the owner has; the deadline is `graceDays` later.
 */
export function schedule(now: Date, policy: ReviewPolicy): { dueAt: string; deadlineAt: string } {
  const due = endOfUtcDay(addDays(now, policy.dueDays));
  return { dueAt: due.toISOString(), deadlineAt: addDays(due, policy.graceDays).toISOString() };
}

/**
 * Reminder points before the due date: the start of the due day plus each offset. They fall at UTC
 * midnight, so they never coincide with the due date or the deadline (ends of days), which lets
 * `remindersSent` hold both reminder points and the deadline marker without ambiguity.
 */
export function reminderPoints(dueAt: string, policy: ReviewPolicy): string[] {
  const dueDay = startOfUtcDay(new Date(dueAt));
  return [...new Set(policy.reminderOffsetsDays)]
    .sort((a, b) => a - b)
    .map((offset) => addDays(dueDay, offset))
    .filter((point) => point.getTime() <= new Date(dueAt).getTime())
    .map((point) => point.toISOString());
}

/** Daily points after the due day (the midnights that start each overdue day) up to `now`. */
export function overduePoints(dueAt: string, now: Date): string[] {
  const points: string[] = [];
  for (let point = addDays(startOfUtcDay(new Date(dueAt)), 1); point.getTime() <= now.getTime(); point = addDays(point, 1)) {
    points.push(point.toISOString());
  }
  return points;
}
