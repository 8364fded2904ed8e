import { describe, expect, it } from 'vitest';
import rule from '../../../../shared/rules/ram/role-trust-risky.js';
import { ACCOUNT_ID, ADMIN_DOC, doc, names, policy, READONLY_DOC, role, run, snapshot, trust } from '../builders.js';

const OWN_ROOT = { RAM: `acs:ram::${ACCOUNT_ID}:root` };

describe('ram.role-trust-risky', () => {
  it('fails critical for a role anyone may assume', () => {
    const [result] = run(rule, snapshot({ roles: [role('open', trust('*'))] }));
    expect(result).toMatchObject({ status: 'fail', severity: 'critical', subject: { type: 'role', id: 'rid-open', name: 'open' } });
    expect(result?.evidence.risks).toEqual([{ kind: 'any-principal', principal: '*', statement: 1, conditions: {} }]);
  });

  it('fails high for a foreign account without conditions and for unconstrained federation', () => {
    const roles = [
      role('partner', trust({ RAM: 'acs:ram::999:root' })),
      role('gha', trust({ Federated: `acs:ram::${ACCOUNT_ID}:oidc-provider/github` })),
      role('sso', trust({ Federated: `acs:ram::${ACCOUNT_ID}:saml-provider/idp` })),
    ];
    const results = run(rule, snapshot({ roles }));
    expect(results.map((r) => [r.subject.name, r.status, r.severity])).toEqual([
      ['partner', 'fail', 'high'],
      ['gha', 'fail', 'high'],
      ['sso', 'fail', 'high'],
    ]);
  });

  it('fails own-account root trust only when the role is powerful, showing why', () => {
    const snap = snapshot({
      roles: [role('admin-role', trust(OWN_ROOT)), role('reader-role', trust(OWN_ROOT))],
      policies: [policy('AdministratorAccess', ADMIN_DOC, [['role', 'admin-role']], 'System'), policy('Read', READONLY_DOC, [['role', 'reader-role']])],
    });
    const results = run(rule, snap);
    expect(names(results)).toEqual(['admin-role']);
    expect(results[0]?.evidence.powerPath).toBe('role:admin-role → policy:AdministratorAccess (System) → statement 1: Allow * on *');
  });

  it('passes service roles, SAML with recipient, OIDC with aud+sub and a conditioned foreign account', () => {
    const roles = [
      role('ecs', trust({ Service: 'ecs.aliyuncs.com' })),
      role('sso', trust({ Federated: `acs:ram::${ACCOUNT_ID}:saml-provider/idp` }, { StringEquals: { 'saml:recipient': 'https://signin.alibabacloud.com/saml-role/sso' } })),
      role('gha', trust({ Federated: `acs:ram::${ACCOUNT_ID}:oidc-provider/github` }, { StringEquals: { 'oidc:aud': 'sts.aliyuncs.com', 'oidc:sub': 'repo:o/r:ref:refs/heads/main' } })),
      role('partner', trust({ RAM: 'acs:ram::999:root' }, { StringEquals: { 'sts:ExternalId': 'x' } })),
    ];
    expect(run(rule, snapshot({ roles }))).toEqual([]);
  });

  it('is unknown when the trust policy is missing or malformed, or own-root trust meets unknown power', () => {
    const snap = snapshot({
      roles: [role('none', null), role('bad', '{"Statement":[{"Effect":"Allow"}]}'), role('maybe', trust(OWN_ROOT))],
      policies: [policy('Gone', null, [['role', 'maybe']])],
    });
    expect(names(run(rule, snap), 'unknown')).toEqual(['none', 'bad', 'maybe']);
  });

  it('is unknown for own-root trust when an unlisted policy could make the role powerful', () => {
    const snap = snapshot({ roles: [role('maybe', trust(OWN_ROOT))], policies: [policy('Unlisted', doc({ Effect: 'Allow', Action: 'ram:*', Resource: '*' }), null)] });
    expect(run(rule, snap)).toMatchObject([{ status: 'unknown', subject: { name: 'maybe' } }]);
  });
});
