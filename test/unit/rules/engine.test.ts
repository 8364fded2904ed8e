import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fingerprint } from '../../../shared/domain/finding.js';
import { plans } from '../../../shared/domain/remediation.js';
import { runRules } from '../../../shared/rules/engine.js';
import accessKeyUnused from '../../../shared/rules/ram/access-key-unused.js';
import { defineRule, type Rule } from '../../../shared/rules/types.js';
import { daysAgo, incomplete, key, NOW, snapshot, user } from './builders.js';

/** A rule that fails every user, with a deactivate plan, its threshold taken from params. */
const everyUser = defineRule({
  id: 'test.every-user',
  title: 'Every user',
  severity: 'medium',
  subjectType: 'user',
  rationale: 'test',
  remediation: 'do the thing',
  plan: 'deactivate-access-key',
  references: { cis: [], docs: [] },
  requires: ['users'],
  params: z.object({ minNameLength: z.number().default(0) }),
  evaluate: ({ snapshot: s, params }) =>
    s.users
      .filter((u) => u.name.length >= params.minNameLength)
      .map((u) => ({
        status: 'fail' as const,
        subject: { type: 'user' as const, id: u.id, name: u.name },
        evidence: { summary: u.name },
        plan: plans.deactivateAccessKey(u.name, 'K'),
        ...(u.name === 'vip' ? { severity: 'critical' as const } : {}),
      })),
});

const throwing = defineRule({
  ...everyUser,
  id: 'test.throws',
  severity: 'high',
  plan: undefined,
  evaluate: () => {
    throw new Error('boom: cannot read users');
  },
});

const snap = snapshot({ users: [user('bob'), user('alice'), user('vip')] });
const base = { snapshot: snap, now: NOW, rules: [everyUser] as Rule[] };

describe('runRules', () => {
  it('turns findings into Finding objects with stable fingerprints and plans', () => {
    const { findings, stats } = runRules(base);
    expect(stats).toEqual({ rulesRun: 1, byStatus: { fail: 3, unknown: 0, error: 0 } });
    const bob = findings.find((f) => f.subject.name === 'bob');
    expect(bob).toMatchObject({ rule: 'test.every-user', status: 'fail', severity: 'medium', title: 'Every user', partial: false });
    expect(bob?.fingerprint).toBe(fingerprint('test.every-user', { type: 'user', id: 'uid-bob' }));
    expect(bob?.remediation).toEqual({ summary: plans.deactivateAccessKey('bob', 'K').summary, plan: plans.deactivateAccessKey('bob', 'K') });
    expect(runRules(base).findings.map((f) => f.fingerprint)).toEqual(findings.map((f) => f.fingerprint));
  });

  it('sorts by severity desc, then rule id, then subject name', () => {
    const { findings } = runRules({ ...base, rules: [throwing, everyUser] });
    expect(findings.map((f) => `${f.severity} ${f.rule} ${f.subject.name}`)).toEqual([
      'critical test.every-user vip',
      'high test.throws prod-main',
      'medium test.every-user alice',
      'medium test.every-user bob',
    ]);
  });

  it('turns a throwing rule into one error finding on the account, without a stack', () => {
    const { findings, stats } = runRules({ ...base, rules: [throwing] });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      rule: 'test.throws',
      status: 'error',
      severity: 'high',
      subject: { type: 'account', id: snap.account.id },
      evidence: { summary: 'rule failed: boom: cannot read users', error: 'boom: cannot read users' },
      remediation: { plan: null },
    });
    expect(Object.keys(findings[0]?.evidence ?? {})).toEqual(['summary', 'error']);
    expect(stats.byStatus.error).toBe(1);
  });

  it('applies config: disabled rules do not run, severity and params override', () => {
    expect(runRules({ ...base, ruleConfig: { 'test.every-user': { enabled: false } } })).toMatchObject({ findings: [], stats: { rulesRun: 0 } });
    const tuned = runRules({ ...base, ruleConfig: { 'test.every-user': { severity: 'low', params: { minNameLength: 4 } } } });
    expect(tuned.findings.map((f) => [f.subject.name, f.severity])).toEqual([['alice', 'low']]);
  });

  it('fails closed on invalid params', () => {
    const { findings } = runRules({ ...base, ruleConfig: { 'test.every-user': { params: { minNameLength: 'five' } } } });
    expect(findings).toMatchObject([{ status: 'error', subject: { type: 'account' } }]);
  });

  it('on a partial snapshot drops every plan and marks findings of rules missing a required part', () => {
    const partialOther = runRules({ ...base, snapshot: incomplete(snap, 'roles') });
    expect(partialOther.findings.every((f) => f.remediation.plan === null && !f.partial)).toBe(true);
    expect(partialOther.findings[0]?.remediation.summary).toBe('do the thing');

    const partialUsers = runRules({ ...base, snapshot: incomplete(snap, 'users') });
    expect(partialUsers.findings.filter((f) => f.status === 'fail').every((f) => f.partial)).toBe(true);
    const coverage = partialUsers.findings.find((f) => f.subject.type === 'account');
    expect(coverage).toMatchObject({ status: 'unknown', partial: true, evidence: { parts: ['users'] } });
    expect(coverage?.evidence.summary).toContain('users (users throttled)');
  });

  it('suppresses findings by glob on subject name, optionally limited to types and rules', () => {
    const out = runRules({ ...base, exclusions: [{ pattern: 'a*', reason: 'ticket-1' }, { pattern: 'v?p', types: ['role'], reason: 'wrong type' }] });
    expect(out.findings.map((f) => f.subject.name)).toEqual(['vip', 'bob']);
    expect(out.suppressed).toMatchObject([{ finding: { subject: { name: 'alice' } }, reason: 'ticket-1' }]);
    expect(runRules({ ...base, exclusions: [{ pattern: '*', rules: ['other.rule'], reason: 'x' }] }).findings).toHaveLength(3);
    expect(runRules({ ...base, exclusions: [{ pattern: '*', rules: ['test.*'], reason: 'x' }] }).findings).toHaveLength(0);
  });

  it('matches an access key exclusion on the owning user name, and never suppresses errors', () => {
    const keySnap = snapshot({ users: [user('legacy-ci', { accessKeys: [key('LTAIx', { createDate: daysAgo(300), lastUsedDate: null })] })] });
    const out = runRules({ snapshot: keySnap, now: NOW, rules: [accessKeyUnused], exclusions: [{ pattern: 'legacy-*', reason: 'migrating' }] });
    expect(out.findings).toEqual([]);
    expect(out.suppressed.map((s) => s.finding.subject.name)).toEqual(['LTAIx']);
    const errors = runRules({ ...base, rules: [throwing], exclusions: [{ pattern: '*', reason: 'hide all' }] });
    expect(errors.findings.map((f) => f.status)).toEqual(['error']);
  });

  it('runs every registered rule by default without errors on an empty snapshot', () => {
    const { findings, stats } = runRules({ snapshot: snapshot(), now: NOW });
    expect(stats.rulesRun).toBeGreaterThan(10);
    expect(stats.byStatus.error).toBe(0);
    // The empty snapshot has no password policy (unknown) and no trail (an account with nothing recording
    // its activity fails actiontrail.trail-coverage); nothing else fires.
    expect(findings.map((f) => [f.rule, f.status])).toEqual([
      ['actiontrail.trail-coverage', 'fail'],
      ['ram.password-policy-weak', 'unknown'],
    ]);
  });
});
