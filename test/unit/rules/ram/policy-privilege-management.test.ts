import { describe, expect, it } from 'vitest';
import rule from '../../../../shared/rules/ram/policy-privilege-management.js';
import { ADMIN_DOC, doc, group, names, policy, READONLY_DOC, role, run, snapshot, user } from '../builders.js';

const RAM_FULL = doc({ Effect: 'Allow', Action: 'ram:*', Resource: '*' });

describe('ram.policy-privilege-management', () => {
  it('fails an identity that can change RAM and lists the actions', () => {
    const snap = snapshot({
      users: [user('iam-bot', { groups: ['iam'] })],
      groups: [group('iam', ['iam-bot'])],
      policies: [policy('AliyunRAMFullAccess', RAM_FULL, [['group', 'iam']], 'System')],
    });
    const [result] = run(rule, snap);
    expect(result).toMatchObject({ status: 'fail', subject: { type: 'user', name: 'iam-bot' } });
    expect(result?.evidence.actions).toContain('ram:AttachPolicyToUser');
    expect(result?.evidence.actions).toContain('ram:CreatePolicyVersion');
    expect(result?.evidence.path).toEqual(['user:iam-bot', 'group:iam', 'policy:AliyunRAMFullAccess (System)', 'statement 1: Allow ram:* on *']);
  });

  it('fails a single escalation action such as ram:UpdateRole', () => {
    const snap = snapshot({ roles: [role('deployer', null)], policies: [policy('EditTrust', doc({ Effect: 'Allow', Action: 'ram:UpdateRole', Resource: 'acs:ram:*:*:role/*' }), [['role', 'deployer']])] });
    expect(run(rule, snap)).toMatchObject([{ status: 'fail', evidence: { actions: ['ram:UpdateRole'] } }]);
  });

  it('does not report full admins again (ram.policy-full-admin does)', () => {
    const snap = snapshot({ users: [user('admin')], policies: [policy('Admin', ADMIN_DOC, [['user', 'admin']]), policy('Ram', RAM_FULL, [['user', 'admin']])] });
    expect(run(rule, snap)).toEqual([]);
  });

  it('passes read-only identities and identities whose RAM write is denied', () => {
    const deny = doc({ Effect: 'Deny', Action: 'ram:*', Resource: '*' });
    const snap = snapshot({
      users: [user('reader'), user('fenced')],
      policies: [policy('Read', READONLY_DOC, [['user', 'reader']]), policy('Ram', RAM_FULL, [['user', 'fenced']]), policy('NoRam', deny, [['user', 'fenced']])],
    });
    expect(run(rule, snap)).toEqual([]);
  });

  it('is unknown when a held policy document is missing, or an unlisted policy grants RAM writes', () => {
    const snap = snapshot({
      users: [user('x')],
      policies: [policy('Gone', null, [['user', 'x']]), policy('Unlisted', RAM_FULL, null), policy('UnlistedAdmin', ADMIN_DOC, null)],
    });
    expect(run(rule, snap).map((r) => [r.status, r.subject.name])).toEqual([
      ['unknown', 'x'],
      ['unknown', 'Unlisted'],
    ]);
    expect(names(run(rule, snap))).toEqual([]);
  });
});
