import { describe, expect, it } from 'vitest';
import { parseUntil, showDay } from '../../../shared/review/dates.js';
import { createReviewPolicy, DEFAULT_REVIEW_POLICY, overduePoints, reminderPoints, schedule } from '../../../shared/review/policy.js';
import { DEADLINE, DUE, NOW } from './builders.js';

describe('review policy', () => {
  it('has the defaults the issue names', () => {
    expect(DEFAULT_REVIEW_POLICY).toMatchObject({
      dueDays: 7,
      reminderOffsetsDays: [-3, -1, 0],
      overdueDaily: true,
      graceDays: 7,
      attestSeverities: ['high', 'critical'],
      maxSnoozeDays: 90,
      securityGroup: 'security',
    });
    expect(DEFAULT_REVIEW_POLICY.deadlineAction('ram.anything')).toBe('escalate-to-security');
  });

  it('takes per-rule deadline actions and a default', () => {
    const p = createReviewPolicy({ defaultDeadlineAction: 'none', deadlineActions: { 'ram.access-key-unused': 'request-revocation' }, dueDays: 3 });
    expect([p.deadlineAction('ram.access-key-unused'), p.deadlineAction('ram.other'), p.dueDays]).toEqual(['request-revocation', 'none', 3]);
  });

  it('schedules the due date to the end of its UTC day and the deadline graceDays later', () => {
    expect(schedule(NOW, DEFAULT_REVIEW_POLICY)).toEqual({ dueAt: DUE, deadlineAt: DEADLINE });
    expect(showDay(DUE)).toBe('Tue 3 Dec');
  });

  it('puts reminder points at the start of each cadence day and overdue points daily after the due day', () => {
    expect(reminderPoints(DUE, DEFAULT_REVIEW_POLICY)).toEqual(['2024-11-30T00:00:00.000Z', '2024-12-02T00:00:00.000Z', '2024-12-03T00:00:00.000Z']);
    expect(overduePoints(DUE, new Date('2024-12-05T10:00:00Z'))).toEqual(['2024-12-04T00:00:00.000Z', '2024-12-05T00:00:00.000Z']);
  });

  it('reads a snooze date as the end of that day, a full time as given', () => {
    expect(parseUntil('2024-12-20')?.toISOString()).toBe('2024-12-20T23:59:59.999Z');
    expect(parseUntil('2024-12-20T08:00:00Z')?.toISOString()).toBe('2024-12-20T08:00:00.000Z');
    expect(parseUntil('soon')).toBeNull();
  });
});
