import { describe, expect, it } from 'vitest';
import rule from '../../../../shared/rules/ram/root-access-key.js';
import { daysAgo, run, snapshot } from '../builders.js';

const rootKey = (active: boolean | null, lastUsed: string | null = null) => ({
  slot: 'access_key_1',
  active,
  lastRotated: daysAgo(500),
  lastUsed,
  lastUsedKnown: true,
});

describe('ram.root-access-key', () => {
  it('fails critical for an active root key, with the account as subject', () => {
    const [result, ...rest] = run(rule, snapshot({ root: { ...snapshot().root, accessKeys: [rootKey(true, daysAgo(2))] } }));
    expect(rest).toEqual([]);
    expect(result).toMatchObject({ status: 'fail', severity: 'critical', subject: { type: 'account', id: '1234567890123456', name: 'prod-main' } });
    expect(result?.evidence.summary).toBe('root has 1 access key(s): access_key_1 active, last used 2026-11-29');
  });

  it('fails at medium when every root key is inactive', () => {
    const [result] = run(rule, snapshot({ root: { ...snapshot().root, accessKeys: [rootKey(false)] } }));
    expect(result).toMatchObject({ status: 'fail', severity: 'medium', evidence: { activeKeys: 0 } });
  });

  it('treats a key of unknown status as active (fail closed)', () => {
    const [result] = run(rule, snapshot({ root: { ...snapshot().root, accessKeys: [rootKey(null)] } }));
    expect(result?.severity).toBe('critical');
  });

  it('passes when root has no key', () => {
    expect(run(rule, snapshot())).toEqual([]);
  });

  it('is unknown when root keys could not be collected', () => {
    expect(run(rule, snapshot({ root: { ...snapshot().root, accessKeys: null } }))).toMatchObject([{ status: 'unknown' }]);
  });
});
