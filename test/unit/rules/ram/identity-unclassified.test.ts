import { describe, expect, it } from 'vitest';
import { classifyIdentities } from '../../../../shared/rules/lib/classify.js';
import rule from '../../../../shared/rules/ram/identity-unclassified.js';
import { ACCOUNT_ID, ADMIN_DOC, consoleLogin, doc, group, key, names, policy, role, run, snapshot, trust, user } from '../builders.js';

describe('identity classification', () => {
  it('classifies users by console and key use and their power, and roles by their trust principals', () => {
    const snap = snapshot({
      users: [
        user('admin-wu', { console: consoleLogin(), groups: ['admins'] }),
        user('dev-li', { console: consoleLogin() }),
        user('ci-bot', { console: null, accessKeys: [key('LTAI5tFakeCiBot000001')] }),
        user('ghost', { console: null, accessKeys: [] }),
      ],
      groups: [group('admins', ['admin-wu'])],
      roles: [
        role('AliyunServiceRoleForECS', trust({ Service: ['ecs.aliyuncs.com'] })),
        role('fc-runner', trust({ Service: ['fc.aliyuncs.com'] })),
        role('okta-sso', trust({ Federated: [`acs:ram::${ACCOUNT_ID}:saml-provider/okta`] })),
        role('github-deploy', trust({ Federated: [`acs:ram::${ACCOUNT_ID}:oidc-provider/github`] })),
        role('vendor-audit', trust({ RAM: ['acs:ram::9876543210987654:root'] })),
        role('break-glass', trust({ RAM: [`acs:ram::${ACCOUNT_ID}:root`] })),
        role('readers', trust({ RAM: [`acs:ram::${ACCOUNT_ID}:user/dev-li`] })),
        role('nobody', doc({ Effect: 'Deny', Action: 'sts:AssumeRole', Principal: { RAM: ['*'] } })),
      ],
      policies: [policy('AdministratorAccess', ADMIN_DOC, [['group', 'admins'], ['role', 'break-glass']], 'System')],
    });
    expect(classifyIdentities(snap).map((c) => [c.name, c.class])).toEqual([
      ['admin-wu', 'human-administrator'],
      ['dev-li', 'human-developer'],
      ['ci-bot', 'workload-user'],
      ['ghost', null],
      ['AliyunServiceRoleForECS', 'service-role'],
      ['fc-runner', 'service-role'],
      ['okta-sso', 'human-federation'],
      ['github-deploy', 'federated-role'],
      ['vendor-audit', 'cross-account-role'],
      ['break-glass', 'human-administrator'],
      ['readers', 'human-developer'],
      ['nobody', null],
    ]);
    expect(classifyIdentities(snap).find((c) => c.name === 'admin-wu')!.basis).toBe('console logon, full admin');
  });

  it('a configured class wins over what is inferred', () => {
    const snap = snapshot({ users: [user('ghost', { console: null, accessKeys: [] })] });
    expect(classifyIdentities(snap, [{ pattern: 'gho*', type: 'user', class: 'workload-user' }])).toEqual([
      { type: 'user', name: 'ghost', class: 'workload-user', basis: 'configured (gho*)' },
    ]);
  });
});

describe('ram.identity-unclassified', () => {
  it('fails identities that fit no class, saying why; passes classified ones', () => {
    const snap = snapshot({
      users: [user('ghost', { console: null, accessKeys: [] }), user('dev-li', { console: consoleLogin() })],
      roles: [role('nobody', doc({ Effect: 'Deny', Action: 'sts:AssumeRole', Principal: { RAM: ['*'] } })), role('fc-runner', trust({ Service: ['fc.aliyuncs.com'] }))],
    });
    const results = run(rule, snap);
    expect(names(results)).toEqual(['ghost', 'nobody']);
    expect(results[0]!.evidence.summary).toBe('no console logon and no active access key: nothing shows who or what uses it');
    expect(results[1]!.evidence.summary).toBe('its trust policy lets nobody assume it');
  });

  it('takes classes from params', () => {
    const snap = snapshot({ users: [user('ghost', { console: null, accessKeys: [] })] });
    expect(run(rule, snap, { classes: [{ pattern: 'ghost', class: 'workload-user' }] })).toEqual([]);
    expect(() => rule.params.parse({ classes: [{ pattern: 'x', class: 'robot' }] })).toThrow(/must be one of human-administrator/);
  });

  it('is unknown when the data to classify could not be collected', () => {
    const snap = snapshot({ users: [user('blind', { console: null, consoleKnown: false, accessKeys: null })], roles: [role('opaque', null)] });
    expect(run(rule, snap).map((r) => [r.status, r.subject.name])).toEqual([
      ['unknown', 'blind'],
      ['unknown', 'opaque'],
    ]);
  });
});
