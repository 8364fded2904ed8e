import { describe, expect, it } from 'vitest';
import rule from '../../../../shared/rules/kms/secret-rotation-overdue.js';
import { ACCOUNT_ID, daysAgo, daysAhead, names, run, secret, snapshot } from '../builders.js';

describe('kms.secret-rotation-overdue', () => {
  it('passes managed secrets rotating on time, young generic secrets, and leaves secrets being deleted to secret-expiring', () => {
    const secrets = [
      secret('db-main'),
      secret('api-token', { type: 'Generic', automaticRotation: 'Invalid', rotationIntervalDays: null, lastRotationDate: null, nextRotationDate: null, createTime: daysAgo(30) }),
      secret('leaving', { automaticRotation: 'Disabled', plannedDeleteTime: daysAhead(5) }),
    ];
    expect(run(rule, snapshot({ secrets }))).toEqual([]);
  });

  it('fails disabled rotation, a missed rotation, a long interval and an old generic secret, with the owner from tags', () => {
    const secrets = [
      secret('db-off', { automaticRotation: 'Disabled', nextRotationDate: null, lastRotationDate: daysAgo(40), tags: { owner: 'dba-team' } }),
      secret('db-stuck', { lastRotationDate: daysAgo(100), nextRotationDate: daysAgo(70), tags: { Owner: 'alice' } }),
      secret('db-slow', { rotationIntervalDays: 180 }),
      secret('api-token', { type: 'Generic', automaticRotation: 'Invalid', rotationIntervalDays: null, lastRotationDate: null, nextRotationDate: null, createTime: daysAgo(120) }),
    ];
    const results = run(rule, snapshot({ secrets }));
    expect(names(results)).toEqual(['db-off', 'db-stuck', 'db-slow', 'api-token']);
    expect(results[0]).toMatchObject({
      subject: { type: 'secret', id: `acs:kms:cn-hangzhou:${ACCOUNT_ID}:secret/db-off`, name: 'db-off' },
      evidence: { summary: `automatic rotation is disabled; last rotated ${daysAgo(40).slice(0, 10)}, 40 days ago`, rotation: 'Disabled', owner: 'dba-team' },
    });
    expect(results[1]!.evidence).toMatchObject({ owner: 'alice', rotationIntervalDays: 30, ageDays: 100, maxAgeDays: 90 });
    expect(results[1]!.evidence.summary).toBe(
      `next rotation was due ${daysAgo(70).slice(0, 10)} (rotation may be failing); older than 90 days; last rotated ${daysAgo(100).slice(0, 10)}, 100 days ago`,
    );
    expect(results[2]!.evidence.summary).toMatch(/^rotation interval 180 days > 90; /);
    expect(results[3]!.evidence.summary).toBe(
      `Generic secret cannot rotate automatically and is older than 90 days: rotate it by hand or convert it to a managed secret; never rotated (created ${daysAgo(120).slice(0, 10)}), 120 days ago`,
    );
    expect(results[3]!.evidence).not.toHaveProperty('owner');
  });

  it('takes the age limit and owner tag from params', () => {
    const snap = snapshot({ secrets: [secret('db', { lastRotationDate: daysAgo(40), tags: { 'cost-owner': 'finops' } })] });
    expect(run(rule, snap)).toEqual([]);
    expect(run(rule, snap, { maxAgeDays: 20, ownerTag: 'cost-owner' })).toMatchObject([{ status: 'fail', evidence: { owner: 'finops' } }]);
  });

  it('is unknown when DescribeSecret failed or a date is unreadable', () => {
    const secrets = [
      secret('hidden', { detailKnown: false, automaticRotation: null, tags: { owner: 'bob' } }),
      secret('garbled', { lastRotationDate: 'last tuesday' }),
    ];
    const results = run(rule, snapshot({ secrets }));
    expect(results.map((r) => [r.subject.name, r.status])).toEqual([
      ['hidden', 'unknown'],
      ['garbled', 'unknown'],
    ]);
    expect(results[0]!.evidence).toEqual({ summary: 'rotation settings could not be read (DescribeSecret failed)', owner: 'bob' });
    expect(results[1]!.evidence.summary).toBe('last rotation date unreadable (last tuesday)');
  });
});
