import { describe, expect, it } from 'vitest';
import { plans } from '../../../../shared/domain/remediation.js';
import rule from '../../../../shared/rules/ram/user-console-without-mfa.js';
import { consoleLogin, daysAgo, run, snapshot, user } from '../builders.js';

describe('ram.user-console-without-mfa', () => {
  it('fails a console user without MFA and proposes requiring MFA', () => {
    const [result] = run(rule, snapshot({ users: [user('ops-wu', { console: consoleLogin(), lastLoginDate: daysAgo(2) })] }));
    expect(result).toMatchObject({ status: 'fail', subject: { type: 'user', id: 'uid-ops-wu', name: 'ops-wu' } });
    expect(result?.evidence.summary).toBe('console logon enabled without MFA, last logon 2026-11-29');
    expect(result?.plan).toEqual(plans.requireMfa('ops-wu'));
  });

  it('proposes the plan when the credential report did not say whether MFA binding is required', () => {
    const [result] = run(rule, snapshot({ users: [user('b', { console: consoleLogin({ mfaBindRequired: null }) })] }));
    expect(result?.plan).toEqual(plans.requireMfa('b'));
  });

  it('proposes no plan when MFA binding is already required (the precondition would not hold)', () => {
    const [result] = run(rule, snapshot({ users: [user('a', { console: consoleLogin({ mfaBindRequired: true }) })] }));
    expect(result?.status).toBe('fail');
    expect(result?.plan).toBeUndefined();
  });

  it('passes users with MFA, without console access, or with an inactive login profile', () => {
    const users = [
      user('mfa', { console: consoleLogin(), mfa: { active: true, serialNumber: 'acs:ram::1:mfa/mfa' } }),
      user('api-only', { console: null }),
      user('disabled', { console: consoleLogin({ active: false }) }),
    ];
    expect(run(rule, snapshot({ users }))).toEqual([]);
  });

  it('is unknown when console or MFA data is missing for the user', () => {
    const users = [user('c', { consoleKnown: false, console: null }), user('m', { console: consoleLogin(), mfaKnown: false })];
    expect(run(rule, snapshot({ users })).map((r) => [r.subject.name, r.status])).toEqual([
      ['c', 'unknown'],
      ['m', 'unknown'],
    ]);
  });
});
