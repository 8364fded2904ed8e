import { describe, expect, it } from 'vitest';
import { plans } from '../../../../shared/domain/remediation.js';
import rule from '../../../../shared/rules/ram/user-console-inactive.js';
import { consoleLogin, daysAgo, names, run, snapshot, user } from '../builders.js';

describe('ram.user-console-inactive', () => {
  it('fails a console user whose last logon is 90+ days ago, proposing to disable console logon', () => {
    const [result] = run(rule, snapshot({ users: [user('old', { console: consoleLogin(), lastLoginDate: daysAgo(120) })] }));
    expect(result).toMatchObject({ status: 'fail', evidence: { idleDays: 120 } });
    expect(result?.evidence.summary).toBe('console enabled, last logon 2026-08-03 (120 days ago)');
    expect(result?.plan).toEqual(plans.disableConsoleLogin('old', 'old@prod-main.onaliyun.com'));
  });

  it('fails a never-logged-on user created more than 90 days ago, but not a new one', () => {
    const users = [
      user('never-old', { console: consoleLogin(), createDate: daysAgo(200) }),
      user('never-new', { console: consoleLogin(), createDate: daysAgo(10) }),
    ];
    expect(names(run(rule, snapshot({ users })))).toEqual(['never-old']);
  });

  it('passes recent logons and users without console, and honours inactiveDays', () => {
    const users = [user('recent', { console: consoleLogin(), lastLoginDate: daysAgo(30) }), user('api', { console: null })];
    expect(run(rule, snapshot({ users }))).toEqual([]);
    expect(names(run(rule, snapshot({ users }), { inactiveDays: 20 }))).toEqual(['recent']);
  });

  it('is unknown when console data is missing or the date is unreadable', () => {
    const users = [user('x', { consoleKnown: false, console: null }), user('y', { console: consoleLogin(), lastLoginDate: 'yesterday' })];
    expect(names(run(rule, snapshot({ users })), 'unknown')).toEqual(['x', 'y']);
  });
});
