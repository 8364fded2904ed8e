import { describe, expect, it } from 'vitest';
import rule from '../../../../shared/rules/kms/secret-expiring.js';
import { daysAgo, daysAhead, names, run, secret, snapshot } from '../builders.js';

describe('kms.secret-expiring', () => {
  it('passes secrets with no deletion or expiry in sight', () => {
    const secrets = [secret('db'), secret('later', { plannedDeleteTime: daysAhead(25), tags: { 'expires-at': '2027-06-30' } })];
    expect(run(rule, snapshot({ secrets }))).toEqual([]);
  });

  it('fails a secret scheduled for deletion soon (or overdue) and one whose expiry tag is near, with the owner', () => {
    const secrets = [
      secret('old-db', { plannedDeleteTime: daysAhead(4), tags: { owner: 'dba-team' } }),
      secret('gone-db', { plannedDeleteTime: daysAgo(2) }),
      secret('partner-key', { tags: { 'expires-at': '2026-12-10', owner: 'alice' } }),
    ];
    const results = run(rule, snapshot({ secrets }));
    expect(names(results)).toEqual(['old-db', 'gone-db', 'partner-key']);
    expect(results[0]).toMatchObject({
      subject: { type: 'secret', name: 'old-db' },
      evidence: { summary: `scheduled for deletion ${daysAhead(4).slice(0, 10)} (in 4 days)`, owner: 'dba-team', withinDays: 14 },
    });
    expect(results[1]!.evidence.summary).toBe(`scheduled for deletion ${daysAgo(2).slice(0, 10)} (2 days ago)`);
    expect(results[2]!.evidence).toMatchObject({ summary: 'expires 2026-12-10 (in 9 days) by tag expires-at', expiresAt: '2026-12-10', owner: 'alice' });
  });

  it('takes the window and tag names from params', () => {
    const snap = snapshot({ secrets: [secret('db', { plannedDeleteTime: daysAhead(25), tags: { 'valid-until': '2026-12-03' } })] });
    expect(run(rule, snap, { withinDays: 30 })).toHaveLength(1);
    expect(run(rule, snap, { expiryTag: 'valid-until' })[0]!.evidence.summary).toBe('expires 2026-12-03 (in 2 days) by tag valid-until');
  });

  it('is unknown when the expiry tag is not a date, saying which value', () => {
    const results = run(rule, snapshot({ secrets: [secret('vendor', { tags: { 'expires-at': 'end of Q3', owner: 'bob' } })] }));
    expect(results).toMatchObject([{ status: 'unknown', subject: { name: 'vendor' }, evidence: { summary: 'tag expires-at is not a date: "end of Q3"', owner: 'bob' } }]);
  });
});
