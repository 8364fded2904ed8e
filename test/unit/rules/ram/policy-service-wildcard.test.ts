import { describe, expect, it } from 'vitest';
import rule from '../../../../shared/rules/ram/policy-service-wildcard.js';
import { ADMIN_DOC, doc, names, policy, READONLY_DOC, run, snapshot } from '../builders.js';

describe('ram.policy-service-wildcard', () => {
  it('fails a custom policy granting svc:* with the policy as subject', () => {
    const snap = snapshot({ policies: [policy('EcsAll', doc({ Effect: 'Allow', Action: ['ecs:*', 'vpc:Describe*'], Resource: '*' }), [['group', 'ops'], ['role', 'ci']])] });
    const [result] = run(rule, snap);
    expect(result).toMatchObject({
      status: 'fail',
      subject: { type: 'policy', id: 'Custom:EcsAll', name: 'EcsAll' },
      evidence: { wildcards: ['ecs:*'], statements: ['statement 1: Allow ecs:*, vpc:Describe* on *'], attachmentCount: 2 },
    });
    expect(result?.evidence.summary).toBe('grants ecs:*; attached to 2 identities');
  });

  it('fails `*` in a custom policy, ignores system policies and listed services', () => {
    const snap = snapshot({
      policies: [
        policy('Everything', ADMIN_DOC),
        policy('AdministratorAccess', ADMIN_DOC, [], 'System'),
        policy('OssAll', doc({ Effect: 'Allow', Action: 'oss:*', Resource: 'acs:oss:*:*:data/*' })),
      ],
    });
    expect(names(run(rule, snap))).toEqual(['Everything', 'OssAll']);
    expect(names(run(rule, snap, { ignoreServices: ['OSS'] }))).toEqual(['Everything']);
  });

  it('passes named actions and Deny wildcards', () => {
    const snap = snapshot({ policies: [policy('Read', READONLY_DOC), policy('Guard', doc({ Effect: 'Deny', Action: 'ram:*', Resource: '*' }))] });
    expect(run(rule, snap)).toEqual([]);
  });

  it('is unknown when the document is missing or malformed', () => {
    const snap = snapshot({ policies: [policy('Gone', null), policy('Bad', '{"Statement": 3}')] });
    expect(names(run(rule, snap), 'unknown')).toEqual(['Gone', 'Bad']);
  });
});
