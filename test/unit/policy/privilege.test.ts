import { describe, expect, it } from 'vitest';
import {
  describeStatement,
  isFullAdmin,
  parsePolicy,
  privilegeManagement,
  PRIVILEGE_MANAGEMENT_ACTIONS,
  serviceWildcards,
} from '../../../shared/policy/index.js';

const p = (...statements: object[]) => parsePolicy(JSON.stringify({ Version: '1', Statement: statements }));
const first = (statement: object) => {
  const s = p(statement).statements[0];
  if (!s) throw new Error('no statement');
  return s;
};

describe('isFullAdmin', () => {
  it.each([
    [{ Effect: 'Allow', Action: '*', Resource: '*' }, true],
    [{ Effect: 'Allow', Action: ['ecs:*', '*:*'], Resource: ['acs:*:*:*:*'] }, true],
    [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { IpAddress: { 'acs:SourceIp': '10.0.0.0/8' } } }, true],
    [{ Effect: 'Allow', NotAction: ['ram:*'], Resource: '*' }, true],
    [{ Effect: 'Allow', Action: '*', NotResource: 'acs:oss:*:*:audit/*' }, true],
    [{ Effect: 'Allow', NotAction: '*', Resource: '*' }, false],
    [{ Effect: 'Deny', Action: '*', Resource: '*' }, false],
    [{ Effect: 'Allow', Action: 'ecs:*', Resource: '*' }, false],
    [{ Effect: 'Allow', Action: '*', Resource: 'acs:ecs:*:*:instance/*' }, false],
  ])('%j → %s', (statement, expected) => {
    expect(isFullAdmin(first(statement))).toBe(expected);
  });
});

describe('privilegeManagement', () => {
  it('lists every escalation action granted by ram:*', () => {
    const result = privilegeManagement([p({ Effect: 'Allow', Action: 'ram:*', Resource: '*' })]);
    expect(result.actions.map((a) => a.action)).toEqual([...PRIVILEGE_MANAGEMENT_ACTIONS]);
  });

  it('lists only the granted actions and not detach/delete', () => {
    const doc = p({ Effect: 'Allow', Action: ['ram:AttachPolicyTo*', 'ram:Detach*', 'ram:DeleteUser', 'ram:List*'], Resource: 'acs:ram:*:*:*' });
    expect(privilegeManagement([doc]).actions.map((a) => a.action)).toEqual([
      'ram:AttachPolicyToUser',
      'ram:AttachPolicyToGroup',
      'ram:AttachPolicyToRole',
    ]);
  });

  it('honours a Deny in another policy of the same identity', () => {
    const grant = p({ Effect: 'Allow', Action: ['ram:CreateAccessKey', 'ram:UpdateRole'], Resource: '*' });
    const deny = p({ Effect: 'Deny', Action: 'ram:CreateAccessKey', Resource: '*' });
    expect(privilegeManagement([grant, deny]).actions.map((a) => a.action)).toEqual(['ram:UpdateRole']);
  });

  it('reports sts:AssumeRole on any role as evidence only', () => {
    const assume = privilegeManagement([p({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' })]);
    expect(assume.actions).toEqual([]);
    expect(assume.assumeAnyRole?.action).toBe('sts:AssumeRole');
    const narrow = privilegeManagement([p({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: 'acs:ram::1:role/deployer' })]);
    expect(narrow.assumeAnyRole).toBeNull();
    expect(privilegeManagement([p({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: 'acs:ram:*:1:role/*' })]).assumeAnyRole).not.toBeNull();
  });
});

describe('serviceWildcards', () => {
  it('finds *, svc:* and Allow NotAction, not narrower wildcards or Deny', () => {
    const doc = p(
      { Effect: 'Allow', Action: ['ecs:*', 'oss:Get*', 'rds:Describe*'], Resource: '*' },
      { Effect: 'Allow', Action: '*', Resource: 'acs:oss:*:*:b/*' },
      { Effect: 'Allow', NotAction: 'ram:*', Resource: '*' },
      { Effect: 'Deny', Action: 'kms:*', Resource: '*' },
    );
    expect(serviceWildcards(doc).map((w) => [w.statement.index, w.pattern])).toEqual([
      [0, 'ecs:*'],
      [1, '*'],
      [2, 'NotAction'],
    ]);
  });
});

describe('describeStatement', () => {
  it('is one readable, 1-based line', () => {
    expect(describeStatement(first({ Effect: 'Allow', Action: '*', Resource: '*' }))).toBe('statement 1: Allow * on *');
    expect(
      describeStatement(first({ Effect: 'Allow', NotAction: ['a:*', 'b:*', 'c:*', 'd:*'], Resource: '*', Condition: { Bool: { k: true } } })),
    ).toBe('statement 1: Allow NotAction a:*, b:*, c:* +1 more on * (conditional)');
  });
});
