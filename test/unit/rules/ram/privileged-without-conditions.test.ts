import { describe, expect, it } from 'vitest';
import rule from '../../../../shared/rules/ram/privileged-without-conditions.js';
import { ACCOUNT_ID, ADMIN_DOC, doc, group, names, policy, READONLY_DOC, role, run, snapshot, trust, user } from '../builders.js';

const MFA = { Bool: { 'acs:MFAPresent': ['true'] } };
const OFFICE = { IpAddress: { 'acs:SourceIp': ['203.0.113.0/24'] } };
const ADMIN_WITH = (condition: object) => doc({ Effect: 'Allow', Action: '*', Resource: '*', Condition: condition });
const RAM_WRITE = doc({ Effect: 'Allow', Action: ['ram:AttachPolicyToUser', 'ram:CreateAccessKey'], Resource: '*' });

describe('ram.privileged-without-conditions', () => {
  it('fails a full admin through a group without an MFA or network condition, naming the statement', () => {
    const snap = snapshot({
      users: [user('ops-admin', { groups: ['admins'] })],
      groups: [group('admins', ['ops-admin'])],
      policies: [policy('AdministratorAccess', ADMIN_DOC, [['group', 'admins']], 'System')],
    });
    const [r] = run(rule, snap);
    expect(r).toMatchObject({ status: 'fail', subject: { name: 'ops-admin' } });
    expect(r!.evidence.summary).toBe('full admin without acs:MFAPresent or acs:SourceIp: user:ops-admin → group:admins → policy:AdministratorAccess (System) → statement 1: Allow * on *');
  });

  it('fails privilege management without conditions, listing the actions', () => {
    const snap = snapshot({ users: [user('iam-bot')], policies: [policy('Iam', RAM_WRITE, [['user', 'iam-bot']])] });
    expect(run(rule, snap)[0]!.evidence.summary).toMatch(/^privilege management \(ram:AttachPolicyToUser, ram:CreateAccessKey\) without/);
  });

  it('passes grants bound to MFA or to the office network, and identities with no privileged grant', () => {
    const snap = snapshot({
      users: [user('mfa-admin'), user('office-admin'), user('reader')],
      policies: [
        policy('AdminMfa', ADMIN_WITH(MFA), [['user', 'mfa-admin']]),
        policy('AdminOffice', ADMIN_WITH(OFFICE), [['user', 'office-admin']]),
        policy('Read', READONLY_DOC, [['user', 'reader']]),
      ],
    });
    expect(run(rule, snap)).toEqual([]);
  });

  it('fails one loose statement among bound ones', () => {
    const snap = snapshot({ users: [user('mixed')], policies: [policy('AdminMfa', ADMIN_WITH(MFA), [['user', 'mixed']]), policy('Iam', RAM_WRITE, [['user', 'mixed']])] });
    expect(run(rule, snap)[0]!.evidence.path).toEqual(['user:mixed', 'policy:Iam (Custom)', 'statement 1: Allow ram:AttachPolicyToUser, ram:CreateAccessKey on *']);
  });

  it('fails an admin role people assume without MFA in its trust policy, even when its grants are bound', () => {
    const humans = role('break-glass', trust({ RAM: [`acs:ram::${ACCOUNT_ID}:root`] }));
    const guarded = role('guarded', trust({ RAM: [`acs:ram::${ACCOUNT_ID}:root`] }, { Bool: { 'acs:MFAPresent': 'true' } }));
    const service = role('fc-admin', trust({ Service: ['fc.aliyuncs.com'] }));
    const snap = snapshot({
      roles: [humans, guarded, service],
      policies: [policy('AdminMfa', ADMIN_WITH(OFFICE), [['role', 'break-glass'], ['role', 'guarded'], ['role', 'fc-admin']])],
    });
    const results = run(rule, snap);
    expect(names(results)).toEqual(['break-glass']);
    expect(results[0]!.evidence.summary).toBe(`assumable by acs:ram::${ACCOUNT_ID}:root without acs:MFAPresent in the trust policy`);
  });

  it('is unknown when a held document could not be read and nothing privileged was found', () => {
    const snap = snapshot({ users: [user('x')], policies: [policy('Gone', null, [['user', 'x']])] });
    expect(run(rule, snap)).toMatchObject([{ status: 'unknown', subject: { name: 'x' } }]);
  });
});
