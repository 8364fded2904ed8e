import { describe, expect, it } from 'vitest';
import rule from '../../../../shared/rules/ram/root-recent-use.js';
import { daysAgo, run, snapshot } from '../builders.js';

const key = (lastUsed: string | null, lastUsedKnown = true) => ({ slot: 'access_key_1', active: true, lastRotated: null, lastUsed, lastUsedKnown });
const root = (patch: object) => snapshot({ root: { ...snapshot().root, ...patch } });

describe('ram.root-recent-use', () => {
  it('fails on a console logon within 30 days', () => {
    const [result] = run(rule, root({ lastLoginDate: daysAgo(3) }));
    expect(result).toMatchObject({ status: 'fail', evidence: { uses: [{ via: 'console logon', date: '2026-11-28', daysAgo: 3 }] } });
    expect(result?.evidence.summary).toBe('root used within 30 days: console logon on 2026-11-28');
  });

  it('fails on a root access key used within the window', () => {
    expect(run(rule, root({ accessKeys: [key(daysAgo(10))] }))).toMatchObject([{ status: 'fail' }]);
  });

  it('passes when the last use is older than `days`, and honours the param', () => {
    expect(run(rule, root({ lastLoginDate: daysAgo(45), accessKeys: [key(daysAgo(60))] }))).toEqual([]);
    expect(run(rule, root({ lastLoginDate: daysAgo(45) }), { days: 60 })).toMatchObject([{ status: 'fail' }]);
  });

  it('passes when root never logged on and has no keys', () => {
    expect(run(rule, snapshot())).toEqual([]);
  });

  it('is unknown when the logon time or key use is unknown and nothing recent was seen', () => {
    expect(run(rule, root({ lastLoginKnown: false }))).toMatchObject([{ status: 'unknown' }]);
    expect(run(rule, root({ accessKeys: [key(null, false)] }))).toMatchObject([{ status: 'unknown' }]);
    expect(run(rule, root({ accessKeys: null }))).toMatchObject([{ status: 'unknown' }]);
  });

  it('still fails when something is unknown but a recent use is known', () => {
    expect(run(rule, root({ lastLoginDate: daysAgo(1), accessKeys: null }))).toMatchObject([{ status: 'fail' }]);
  });
});
