import { describe, expect, it } from 'vitest';
import rule from '../../../../shared/rules/ram/policy-attached-to-user.js';
import { group, policy, READONLY_DOC, run, snapshot, user } from '../builders.js';

describe('ram.policy-attached-to-user', () => {
  it('fails once per user, listing every directly attached policy, with no plan', () => {
    const snap = snapshot({
      users: [user('alice', { groups: ['readers'] })],
      groups: [group('readers', ['alice'])],
      policies: [
        policy('AliyunOSSReadOnlyAccess', READONLY_DOC, [['user', 'alice']], 'System'),
        policy('AppDeploy', READONLY_DOC, [['user', 'alice']]),
        policy('GroupOnly', READONLY_DOC, [['group', 'readers']]),
      ],
    });
    const results = run(rule, snap);
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({
      status: 'fail',
      subject: { type: 'user', name: 'alice' },
      evidence: { policies: [{ name: 'AliyunOSSReadOnlyAccess', type: 'System' }, { name: 'AppDeploy', type: 'Custom' }] },
    });
    expect(results[0]?.plan).toBeUndefined();
  });

  it('passes users whose policies come only through groups', () => {
    const snap = snapshot({ users: [user('bob', { groups: ['g'] })], groups: [group('g', ['bob'])], policies: [policy('P', READONLY_DOC, [['group', 'g']])] });
    expect(run(rule, snap)).toEqual([]);
  });

  it('is unknown on a policy whose attachments could not be listed', () => {
    const snap = snapshot({ users: [user('bob')], policies: [policy('Unlisted', READONLY_DOC, null)] });
    expect(run(rule, snap)).toMatchObject([{ status: 'unknown', subject: { type: 'policy', name: 'Unlisted' } }]);
  });
});
