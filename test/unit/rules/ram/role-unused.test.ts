import { describe, expect, it } from 'vitest';
import rule from '../../../../shared/rules/ram/role-unused.js';
import { daysAgo, role, run, snapshot, usageOf } from '../builders.js';

const old = (name: string, createdDaysAgo = 200) => ({ ...role(name, null), createDate: daysAgo(createdDaysAgo) });

describe('ram.role-unused', () => {
  it('fails a role with no activity in the lookback, with no plan', () => {
    const snap = snapshot({ roles: [old('idle'), old('busy'), old('stale')] });
    const usage = usageOf([
      ['role:busy', 'ecs:DescribeInstances', daysAgo(10)],
      ['role:stale', 'ecs:DescribeInstances', daysAgo(110)],
    ], 120);
    const results = run(rule, snap, {}, usage);
    expect(results.map((r) => [r.status, r.subject.name])).toEqual([
      ['fail', 'idle'],
      ['fail', 'stale'],
    ]);
    expect(results[0]?.evidence.summary).toMatch(/no activity in the 90 days/);
    expect(results[1]?.evidence).toMatchObject({ lastUsedDate: daysAgo(110), summary: expect.stringMatching(/last used/) });
    expect(results.every((r) => r.plan === undefined)).toBe(true);
  });

  it('skips roles younger than the lookback and service-linked roles', () => {
    const snap = snapshot({ roles: [old('new', 20), old('AliyunServiceRoleForECS')] });
    expect(run(rule, snap, {}, usageOf([]))).toEqual([]);
    expect(run(rule, snap, { lookbackDays: 10 }, usageOf([]))).toMatchObject([{ subject: { name: 'new' } }]);
  });

  it('is unknown without activity data covering the lookback', () => {
    const snap = snapshot({ roles: [old('idle')] });
    expect(run(rule, snap)).toMatchObject([{ status: 'unknown', subject: { type: 'account' } }]);
    expect(run(rule, snap, {}, usageOf([], 60))).toMatchObject([{ status: 'unknown', subject: { type: 'account' } }]);
    expect(run(rule, snapshot())).toEqual([]);
  });

  it('is unknown for a role whose creation date is unreadable', () => {
    const snap = snapshot({ roles: [{ ...old('odd'), createDate: 'yesterday' }] });
    expect(run(rule, snap, {}, usageOf([]))).toMatchObject([{ status: 'unknown', subject: { name: 'odd' } }]);
  });
});
