import { describe, expect, it } from 'vitest';
import { plans } from '../../../../shared/domain/remediation.js';
import rule from '../../../../shared/rules/ram/access-key-unused.js';
import type { UsageIndex } from '../../../../shared/rules/types.js';
import { daysAgo, incomplete, key, names, run, snapshot, user } from '../builders.js';

describe('ram.access-key-unused', () => {
  it('fails an active key unused for 90+ days and proposes deactivating it', () => {
    const snap = snapshot({ users: [user('svc', { accessKeys: [key('LTAIidle', { createDate: daysAgo(300), lastUsedDate: daysAgo(120) })] })] });
    const [result] = run(rule, snap);
    expect(result).toMatchObject({ status: 'fail', subject: { type: 'accessKey', name: 'LTAIidle', user: 'svc' } });
    expect(result?.evidence.summary).toBe('active, last used 2026-08-03 (120 days ago), 300 days old');
    expect(result?.plan).toEqual(plans.deactivateAccessKey('svc', 'LTAIidle'));
  });

  it('fails a never-used key past the grace period, not within it', () => {
    const keys = [key('old', { createDate: daysAgo(45), lastUsedDate: null }), key('new', { createDate: daysAgo(5), lastUsedDate: null })];
    expect(names(run(rule, snapshot({ users: [user('u', { accessKeys: keys })] })))).toEqual(['old']);
  });

  it('passes recently used and inactive keys', () => {
    const keys = [key('used', { createDate: daysAgo(300), lastUsedDate: daysAgo(3) }), key('off', { status: 'Inactive', lastUsedDate: null, createDate: daysAgo(900) })];
    expect(run(rule, snapshot({ users: [user('u', { accessKeys: keys })] }))).toEqual([]);
  });

  it('takes the later of RAM last-used and ActionTrail usage', () => {
    const usage: UsageIndex = {
      lastUsed: (id) => (id.name === 'LTAIidle' ? daysAgo(2) : undefined),
      covers: () => true,
      usedActions: () => [],
      usedServices: () => [],
      origins: () => undefined,
    };
    const snap = snapshot({ users: [user('svc', { accessKeys: [key('LTAIidle', { createDate: daysAgo(300), lastUsedDate: daysAgo(120) })] })] });
    expect(run(rule, snap, {}, usage)).toEqual([]);
  });

  it('is unknown when key usage was not fully collected or the key has no known last-used date', () => {
    const idle = key('LTAIidle', { createDate: daysAgo(300), lastUsedDate: daysAgo(120) });
    expect(run(rule, incomplete(snapshot({ users: [user('svc', { accessKeys: [idle] })] }), 'accessKeyUsage'))).toMatchObject([
      { status: 'unknown', subject: { name: 'LTAIidle' } },
    ]);
    const unknownKey = key('LTAIq', { lastUsedKnown: false, lastUsedDate: null, createDate: daysAgo(300) });
    expect(names(run(rule, snapshot({ users: [user('svc', { accessKeys: [unknownKey] })] })), 'unknown')).toEqual(['LTAIq']);
    expect(names(run(rule, snapshot({ users: [user('nokeys', { accessKeys: null })] })), 'unknown')).toEqual(['nokeys']);
  });
});
