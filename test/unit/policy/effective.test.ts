import { describe, expect, it } from 'vitest';
import { effectivePermissions, permissionsResolver } from '../../../shared/policy/index.js';
import { ADMIN_DOC, doc, group, policy, READONLY_DOC, role, snapshot, user } from '../rules/builders.js';

describe('effectivePermissions', () => {
  const snap = snapshot({
    users: [user('alice', { groups: ['admins'] }), user('bob', { groups: [] })],
    groups: [group('admins', ['alice']), group('readers', ['alice', 'bob'])],
    roles: [role('app', null)],
    policies: [
      policy('AdministratorAccess', ADMIN_DOC, [['group', 'admins']], 'System'),
      policy('AppRead', READONLY_DOC, [['user', 'alice'], ['role', 'app'], ['group', 'readers']]),
      policy('Broken', '{"Statement": 1}', [['user', 'bob']]),
    ],
  });

  it('gives a user its own policies and those of every group, with the path', () => {
    const alice = effectivePermissions(snap, { type: 'user', name: 'alice' });
    expect(alice.unknowns).toEqual([]);
    expect(alice.policies.map((p) => ({ policy: p.policy, via: p.via, path: p.path }))).toEqual([
      { policy: { name: 'AppRead', type: 'Custom' }, via: 'direct', path: ['user:alice', 'policy:AppRead (Custom)'] },
      {
        policy: { name: 'AdministratorAccess', type: 'System' },
        via: { group: 'admins' },
        path: ['user:alice', 'group:admins', 'policy:AdministratorAccess (System)'],
      },
      { policy: { name: 'AppRead', type: 'Custom' }, via: { group: 'readers' }, path: ['user:alice', 'group:readers', 'policy:AppRead (Custom)'] },
    ]);
    expect(alice.policies[1]?.document.statements[0]).toMatchObject({ effect: 'Allow', actions: ['*'], resources: ['*'] });
  });

  it('gives a role its attached policies, matching the name case-insensitively', () => {
    const app = effectivePermissions(snap, { type: 'role', name: 'APP' });
    expect(app.policies.map((p) => p.path)).toEqual([['role:APP', 'policy:AppRead (Custom)']]);
    expect(app.unknowns).toEqual([]);
  });

  it('parses each document once for all identities of a snapshot', () => {
    const resolve = permissionsResolver(snap);
    const viaUser = resolve({ type: 'user', name: 'alice' }).policies[0]?.document;
    const viaRole = resolve({ type: 'role', name: 'app' }).policies[0]?.document;
    expect(viaUser).toBeDefined();
    expect(viaRole).toBe(viaUser);
  });

  it('leaves an unreadable document out and says why', () => {
    const bob = effectivePermissions(snap, { type: 'user', name: 'bob' });
    expect(bob.policies.map((p) => p.policy.name)).toEqual(['AppRead']);
    expect(bob.unknowns).toEqual(['policy:Broken (Custom): policy document Statement[0]: must be an object']);
  });

  it('carries policies with unknown attachments for every identity', () => {
    const unlisted = { ...policy('Maybe', doc({ Effect: 'Allow', Action: 'ram:*', Resource: '*' }), null), attachmentCount: 1 };
    const withUnlisted = snapshot({ users: [user('u')], policies: [unlisted] });
    const u = effectivePermissions(withUnlisted, { type: 'user', name: 'u' });
    expect(u.policies).toEqual([]);
    expect(u.unattributed.map((p) => [p.policy.name, p.document?.statements.length])).toEqual([['Maybe', 1]]);
  });
});
