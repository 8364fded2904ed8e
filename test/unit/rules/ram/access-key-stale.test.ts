import { describe, expect, it } from 'vitest';
import rule from '../../../../shared/rules/ram/access-key-stale.js';
import { daysAgo, key, names, run, snapshot, user } from '../builders.js';

describe('ram.access-key-stale', () => {
  it('fails an active key older than 90 days, as an access-key subject with its user', () => {
    const snap = snapshot({ users: [user('build-agent', { accessKeys: [key('LTAIold', { createDate: daysAgo(412), lastUsedDate: daysAgo(5) })] })] });
    const [result] = run(rule, snap);
    expect(result).toMatchObject({
      status: 'fail',
      subject: { type: 'accessKey', id: 'LTAIold', name: 'LTAIold', user: 'build-agent' },
      evidence: { ageDays: 412, maxAgeDays: 90 },
    });
    expect(result?.evidence.summary).toBe('active, 412 days old (created 2025-10-15), last used 2026-11-26');
    expect(result?.plan).toBeUndefined();
  });

  it('passes young keys and inactive old keys; maxAgeDays is a param', () => {
    const keys = [key('young', { createDate: daysAgo(30) }), key('off', { status: 'Inactive', createDate: daysAgo(900) })];
    const snap = snapshot({ users: [user('u', { accessKeys: keys })] });
    expect(run(rule, snap)).toEqual([]);
    expect(names(run(rule, snap, { maxAgeDays: 7 }))).toEqual(['young']);
  });

  it('is unknown when keys could not be listed (user subject) or the creation date is unreadable', () => {
    const snap = snapshot({ users: [user('a', { accessKeys: null }), user('b', { accessKeys: [key('bad', { createDate: 'n/a' })] })] });
    expect(run(rule, snap).map((r) => [r.status, r.subject.type, r.subject.name])).toEqual([
      ['unknown', 'user', 'a'],
      ['unknown', 'accessKey', 'bad'],
    ]);
  });
});
