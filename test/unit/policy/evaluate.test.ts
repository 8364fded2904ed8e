import { describe, expect, it } from 'vitest';
import { actionMatches, allows, explainAccess, matchesGlob, parsePolicy, resourceMatches } from '../../../shared/policy/index.js';

const p = (...statements: object[]) => parsePolicy(JSON.stringify({ Version: '1', Statement: statements }));

describe('wildcards', () => {
  it('matches * and ? as whole-string globs', () => {
    expect(matchesGlob('svc-*', 'svc-legacy')).toBe(true);
    expect(matchesGlob('svc-*', 'my-svc-legacy')).toBe(false);
    expect(matchesGlob('key-?', 'key-1')).toBe(true);
    expect(matchesGlob('key-?', 'key-12')).toBe(false);
    expect(matchesGlob('a.b', 'axb')).toBe(false); // regex metacharacters are literal
    expect(matchesGlob('Alice', 'alice')).toBe(false);
    expect(matchesGlob('Alice', 'alice', { ignoreCase: true })).toBe(true);
  });

  it('compares actions case-insensitively as svc:Name', () => {
    expect(actionMatches('ram:Attach*', 'ram:AttachPolicyToUser')).toBe(true);
    expect(actionMatches('RAM:attachpolicytouser', 'ram:AttachPolicyToUser')).toBe(true);
    expect(actionMatches('ram:Attach*', 'ram:DetachPolicyFromUser')).toBe(false);
    expect(actionMatches('ecs:*', 'ecsx:Run')).toBe(false);
    expect(actionMatches('*', 'oss:PutObject')).toBe(true);
  });
});

describe('resourceMatches', () => {
  it('matches acs: ARNs as globs, folding case only for RAM resources', () => {
    expect(resourceMatches('acs:ecs:*:*:instance/*', 'acs:ecs:cn-hangzhou:123:instance/i-001')).toBe(true);
    expect(resourceMatches('acs:ecs:*:*:instance/i-00?', 'acs:ecs:cn-hangzhou:123:instance/i-0012')).toBe(false);
    expect(resourceMatches('acs:oss:*:*:Bucket/*', 'acs:oss:*:*:bucket/a')).toBe(false);
    expect(resourceMatches('acs:ram::123:role/AliyunServiceRoleForActionTrail', 'acs:ram::123:role/aliyunserviceroleforactiontrail')).toBe(true);
    expect(resourceMatches('acs:ram:*:*:user/*', 'acs:ram::123:user/alice')).toBe(true);
  });
});

describe('allows / explainAccess', () => {
  it('allows a matching Allow and denies by default', () => {
    const doc = p({ Effect: 'Allow', Action: 'oss:Get*', Resource: 'acs:oss:*:*:bucket/*' });
    expect(allows(doc, 'oss:GetObject', 'acs:oss:*:*:bucket/a.txt')).toBe(true);
    expect(allows(doc, 'oss:GetObject', 'acs:oss:*:*:other/a.txt')).toBe(false);
    expect(allows(doc, 'oss:PutObject', 'acs:oss:*:*:bucket/a.txt')).toBe(false);
    expect(allows(doc, 'oss:GetObject')).toBe(true); // on some resource
  });

  it('lets an explicit Deny win, also across documents', () => {
    const allow = p({ Effect: 'Allow', Action: '*', Resource: '*' });
    const deny = p({ Effect: 'Deny', Action: 'ram:*', Resource: '*' });
    expect(allows([allow, deny], 'ram:CreateUser', '*')).toBe(false);
    expect(allows([allow, deny], 'ecs:RunInstances', '*')).toBe(true);
    const decision = explainAccess([allow, deny], 'ram:CreateUser');
    expect(decision.grants.map((g) => g.doc)).toEqual([0]);
    expect(decision.denies.map((d) => d.doc)).toEqual([1]);
  });

  it('does not let a Deny on one resource cancel "allowed on some resource"', () => {
    const doc = p(
      { Effect: 'Allow', Action: 'ram:AttachPolicyToUser', Resource: '*' },
      { Effect: 'Deny', Action: 'ram:AttachPolicyToUser', Resource: 'acs:ram:*:*:user/admin' },
    );
    expect(allows(doc, 'ram:AttachPolicyToUser')).toBe(true);
    expect(allows(doc, 'ram:AttachPolicyToUser', 'acs:ram:*:*:user/admin')).toBe(false);
  });

  it('handles NotAction and NotResource', () => {
    const doc = p({ Effect: 'Allow', NotAction: ['ram:*'], Resource: '*' }, { Effect: 'Allow', Action: 'oss:*', NotResource: 'acs:oss:*:*:secret/*' });
    expect(allows(doc, 'ecs:DeleteInstance', '*')).toBe(true);
    expect(allows(doc, 'ram:CreateUser', '*')).toBe(false);
    expect(allows(doc, 'oss:GetObject', 'acs:oss:*:*:public/x')).toBe(true);
    const denyAllBut = p({ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', NotAction: 'ecs:Describe*', Resource: '*' });
    expect(allows(denyAllBut, 'ecs:DescribeInstances', '*')).toBe(true);
    expect(allows(denyAllBut, 'ecs:DeleteInstance', '*')).toBe(false);
  });

  it('counts a conditional Allow as a conditional grant and ignores a conditional Deny for the verdict', () => {
    const conditionalAllow = p({ Effect: 'Allow', Action: 'ram:*', Resource: '*', Condition: { Bool: { 'acs:MFAPresent': 'true' } } });
    expect(explainAccess(conditionalAllow, 'ram:CreateUser')).toMatchObject({ allowed: true, conditional: true });
    const conditionalDeny = p(
      { Effect: 'Allow', Action: 'ram:*', Resource: '*' },
      { Effect: 'Deny', Action: 'ram:*', Resource: '*', Condition: { NotIpAddress: { 'acs:SourceIp': '10.0.0.0/8' } } },
    );
    expect(explainAccess(conditionalDeny, 'ram:CreateUser')).toMatchObject({ allowed: true, conditional: true });
    const plain = p({ Effect: 'Allow', Action: 'ram:*', Resource: '*' });
    expect(explainAccess(plain, 'ram:CreateUser')).toMatchObject({ allowed: true, conditional: false });
  });
});
