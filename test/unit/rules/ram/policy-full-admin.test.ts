import { describe, expect, it } from 'vitest';
import rule from '../../../../shared/rules/ram/policy-full-admin.js';
import { ADMIN_DOC, doc, group, names, policy, READONLY_DOC, role, run, snapshot, user } from '../builders.js';

describe('ram.policy-full-admin', () => {
  it('fails a user who is admin through a group, with the path as evidence', () => {
    const snap = snapshot({
      users: [user('alice', { groups: ['admins'] })],
      groups: [group('admins', ['alice'])],
      policies: [policy('AdministratorAccess', ADMIN_DOC, [['group', 'admins']], 'System')],
    });
    const results = run(rule, snap);
    expect(results.map((r) => [r.status, r.subject.type, r.subject.name])).toEqual([
      ['fail', 'user', 'alice'],
      ['fail', 'group', 'admins'],
    ]);
    expect(results[0]?.evidence.path).toEqual([
      'user:alice',
      'group:admins',
      'policy:AdministratorAccess (System)',
      'statement 1: Allow * on *',
    ]);
    expect(results[0]?.evidence.summary).toBe(
      'full admin: user:alice → group:admins → policy:AdministratorAccess (System) → statement 1: Allow * on *',
    );
  });

  it('fails a role with a direct custom NotAction policy and keeps the conditions visible', () => {
    const nearAdmin = doc({ Effect: 'Allow', NotAction: 'ram:*', Resource: '*', Condition: { IpAddress: { 'acs:SourceIp': '10.0.0.0/8' } } });
    const snap = snapshot({ roles: [role('ops', null)], policies: [policy('PowerUser', nearAdmin, [['role', 'ops']])] });
    const [result] = run(rule, snap);
    expect(result).toMatchObject({ status: 'fail', subject: { type: 'role', id: 'rid-ops' }, evidence: { conditional: true } });
    expect(result?.evidence.summary).toMatch(/^full admin \(under conditions\): role:ops → policy:PowerUser \(Custom\)/);
  });

  it('passes identities without admin statements and ignores service-linked roles', () => {
    const snap = snapshot({
      users: [user('bob')],
      roles: [role('AliyunServiceRoleForConfig', null)],
      policies: [policy('Read', READONLY_DOC, [['user', 'bob']]), policy('SLR', ADMIN_DOC, [['role', 'AliyunServiceRoleForConfig']])],
    });
    expect(run(rule, snap)).toEqual([]);
  });

  it('is unknown for a user whose groups are unknown or whose policy document is missing or malformed', () => {
    const snap = snapshot({
      users: [user('nogroups', { groups: null }), user('nodoc'), user('baddoc')],
      groups: [group('ops', null)],
      policies: [policy('Gone', null, [['user', 'nodoc']]), policy('Bad', '{not json', [['user', 'baddoc']])],
    });
    const unknown = run(rule, snap).filter((r) => r.status === 'unknown');
    expect(unknown.map((r) => r.subject.name)).toEqual(['nogroups', 'nodoc', 'baddoc']);
    expect(unknown[2]?.evidence.summary).toMatch(/policy:Bad \(Custom\): policy document: is not valid JSON/);
  });

  it('is unknown on an admin policy whose attachments could not be listed', () => {
    const snap = snapshot({ policies: [policy('Mystery', ADMIN_DOC, null), policy('Harmless', READONLY_DOC, null)] });
    expect(run(rule, snap).map((r) => [r.status, r.subject.type, r.subject.id])).toEqual([['unknown', 'policy', 'Custom:Mystery']]);
  });

  it('still fails an admin even when another of its policies is unreadable', () => {
    const snap = snapshot({ users: [user('root-ish')], policies: [policy('Admin', ADMIN_DOC, [['user', 'root-ish']]), policy('Gone', null, [['user', 'root-ish']])] });
    expect(names(run(rule, snap))).toEqual(['root-ish']);
  });
});
