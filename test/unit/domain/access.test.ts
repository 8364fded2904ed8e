import { describe, expect, it } from 'vitest';
import { buildAccessIndex, policyKey, policyLabel } from '../../../shared/domain/access.js';
import { ADMIN_DOC, group, policy, READONLY_DOC, snapshot, user } from '../rules/builders.js';

describe('buildAccessIndex', () => {
  const snap = snapshot({
    users: [user('alice', { groups: ['admins'] }), user('bob', { groups: null }), user('carol', { groups: [] })],
    groups: [group('admins', ['alice', 'bob']), group('readers', ['carol'])],
    policies: [
      policy('AdministratorAccess', ADMIN_DOC, [['group', 'admins']], 'System'),
      policy('AppRead', READONLY_DOC, [['user', 'alice'], ['role', 'app'], ['group', 'readers']]),
      policy('Missing', null, [['user', 'carol']]),
    ],
  });
  const index = buildAccessIndex(snap);

  it('gives direct and group paths for a user', () => {
    const alice = index.forPrincipal('user', 'alice');
    expect(alice.grants.map((g) => g.path)).toEqual([
      ['user:alice', 'policy:AppRead (Custom)'],
      ['user:alice', 'group:admins', 'policy:AdministratorAccess (System)'],
    ]);
    expect(alice.grants.map((g) => g.via)).toEqual([null, 'admins']);
    expect(alice.unknowns).toEqual([]);
  });

  it('derives membership from group member lists when the user listing is missing', () => {
    const bob = index.forPrincipal('user', 'bob');
    expect(bob.grants.map((g) => policyKey(g.policy))).toEqual(['System:AdministratorAccess']);
    expect(bob.unknowns).toEqual([]);
    expect(index.groupsOf('bob')).toEqual(['admins']);
  });

  it('merges both membership sources (a group lists a member the user does not)', () => {
    expect(index.groupsOf('carol')).toEqual(['readers']);
    expect(index.forPrincipal('user', 'carol').grants.map((g) => g.path.join(' → '))).toContain(
      'user:carol → group:readers → policy:AppRead (Custom)',
    );
  });

  it('tracks a policy without document as unknown for its holders', () => {
    expect(index.forPrincipal('user', 'carol').unknowns).toEqual(['document of policy:Missing (Custom) was not collected']);
  });

  it('gives groups and roles their attached policies, case-insensitively', () => {
    expect(index.forPrincipal('role', 'APP').grants.map((g) => policyLabel(g.policy))).toEqual(['policy:AppRead (Custom)']);
    expect(index.forPrincipal('group', 'admins').grants.map((g) => g.path)).toEqual([['group:admins', 'policy:AdministratorAccess (System)']]);
  });

  it('marks membership unknown when neither the user nor every group lists it', () => {
    const partial = buildAccessIndex(snapshot({ users: [user('dave', { groups: null })], groups: [group('ops', null)] }));
    expect(index.groupsOf('nobody')).toEqual([]);
    expect(partial.groupsOf('dave')).toBeNull();
    expect(partial.forPrincipal('user', 'dave').unknowns).toEqual(['group membership of dave is unknown']);
  });

  it('lists policies whose attachments are unknown, unless attached nowhere', () => {
    const unlisted = { ...policy('Broad', ADMIN_DOC, null), attachmentCount: 3 };
    const unused = { ...policy('Unused', ADMIN_DOC, null), attachmentCount: 0 };
    const idx = buildAccessIndex(snapshot({ policies: [unlisted, unused] }));
    expect(idx.unattributed.map((p) => p.name)).toEqual(['Broad']);
  });

  it('builds in linear time for 20,000 users', () => {
    const users = Array.from({ length: 20_000 }, (_, i) => user(`u${i}`, { groups: [`g${i % 50}`] }));
    const groups = Array.from({ length: 50 }, (_, i) => group(`g${i}`, users.filter((_, j) => j % 50 === i).map((u) => u.name)));
    const policies = Array.from({ length: 50 }, (_, i) => policy(`p${i}`, READONLY_DOC, [['group', `g${i}`], ['user', `u${i}`]]));
    const started = performance.now();
    const big = buildAccessIndex(snapshot({ users, groups, policies }));
    let grants = 0;
    for (const u of users) grants += big.forPrincipal('user', u.name).grants.length;
    expect(grants).toBe(20_050);
    expect(performance.now() - started).toBeLessThan(3_000);
  });
});
