import { describe, expect, it } from 'vitest';
import { SYSTEM_POLICIES } from '../../../emulator/system-policies.js';
import type { AccountSnapshot } from '../../../shared/domain/snapshot.js';
import { decide, permissionsResolver, type AccessAnswer, type Identity } from '../../../shared/policy/index.js';
import { ACCOUNT_ID, doc, group, policy, role, snapshot, user } from '../rules/builders.js';

/** The emulator's copies of the published system policy documents (ReadOnlyAccess is abridged there). */
function system(name: string, attachments: Parameters<typeof policy>[2]) {
  const found = SYSTEM_POLICIES.find((p) => p.name === name);
  if (!found) throw new Error(`no system policy ${name} in the emulator catalog`);
  return policy(name, JSON.stringify(found.document), attachments, 'System');
}

const MFA = { Bool: { 'acs:MFAPresent': 'true' } };
const OFFICE = { IpAddress: { 'acs:SourceIp': ['203.0.113.0/24'] } };

function answer(snap: AccountSnapshot, identity: Identity, action: string, resource?: string): AccessAnswer {
  return decide(permissionsResolver(snap)(identity), action, resource);
}

describe('decide with the system policies', () => {
  const snap = snapshot({
    users: [user('alice'), user('bob'), user('erin', { groups: ['admins'] })],
    groups: [group('admins', ['alice', 'erin']), group('readers', ['bob'])],
    roles: [role('ram-operator', null)],
    policies: [
      system('AdministratorAccess', [['group', 'admins']]),
      system('ReadOnlyAccess', [['group', 'readers']]),
      system('AliyunRAMFullAccess', [['role', 'ram-operator']]),
      policy('DenyRam', doc({ Effect: 'Deny', Action: 'ram:*', Resource: '*' }), [['user', 'erin']]),
    ],
  });
  const alice = { type: 'user', name: 'alice' } as const;
  const bob = { type: 'user', name: 'bob' } as const;
  const operator = { type: 'role', name: 'ram-operator' } as const;

  it('AdministratorAccess through a group allows everything, naming the group in the path', () => {
    const result = answer(snap, alice, 'ecs:DeleteInstance', `acs:ecs:cn-hangzhou:${ACCOUNT_ID}:instance/i-001`);
    expect(result).toMatchObject({ decision: 'allow', known: 'allow', dependsOn: [], unknowns: [] });
    expect(result.statement).toMatchObject({
      policy: { name: 'AdministratorAccess', type: 'System' },
      via: { group: 'admins' },
      path: ['user:alice', 'group:admins', 'policy:AdministratorAccess (System)'],
      index: 0,
      effect: 'Allow',
    });
  });

  it('ReadOnlyAccess allows reads across services and nothing that writes', () => {
    for (const action of ['ecs:DescribeInstances', 'oss:ListBuckets', 'ram:GetUser', 'rds:BatchGetThings', 'ram:GenerateCredentialReport']) {
      expect(answer(snap, bob, action, '*').decision, action).toBe('allow');
    }
    for (const action of ['ecs:DeleteInstance', 'ram:CreateUser', 'ram:AttachPolicyToUser', 'oss:PutObject']) {
      const result = answer(snap, bob, action, '*');
      expect(result.decision, action).toBe('implicit-deny');
      expect(result.statement).toBeUndefined();
    }
  });

  it('matches actions case-insensitively', () => {
    expect(answer(snap, bob, 'ECS:describeinstances', '*').decision).toBe('allow');
    expect(answer(snap, operator, 'RAM:attachPolicyToUser').decision).toBe('allow');
  });

  it('AliyunRAMFullAccess on a role allows every RAM action and only RAM actions', () => {
    const result = answer(snap, operator, 'ram:AttachPolicyToUser', `acs:ram::${ACCOUNT_ID}:user/alice`);
    expect(result.decision).toBe('allow');
    expect(result.statement).toMatchObject({ policy: { name: 'AliyunRAMFullAccess' }, via: 'direct', path: ['role:ram-operator', 'policy:AliyunRAMFullAccess (System)'] });
    expect(answer(snap, operator, 'ecs:DescribeInstances', '*').decision).toBe('implicit-deny');
  });

  it('lets a direct explicit Deny win over AdministratorAccess from a group', () => {
    const result = answer(snap, { type: 'user', name: 'erin' }, 'ram:CreateUser', '*');
    expect(result.decision).toBe('deny');
    expect(result.statement).toMatchObject({ policy: { name: 'DenyRam', type: 'Custom' }, via: 'direct', effect: 'Deny', index: 0 });
    expect(answer(snap, { type: 'user', name: 'erin' }, 'ecs:RunInstances', '*').decision).toBe('allow');
  });
});

describe('decide: statement semantics', () => {
  /** One user holding one custom policy with `statements`, plus any `extra` policies. */
  function holder(statements: object[], extra: ReturnType<typeof policy>[] = []): AccountSnapshot {
    return snapshot({ users: [user('u', { groups: ['g'] })], groups: [group('g', ['u'])], policies: [policy('P', doc(...statements), [['user', 'u']]), ...extra] });
  }
  const u = { type: 'user', name: 'u' } as const;

  it('supports * and ? wildcards and string or array Action', () => {
    const snap = holder([
      { Effect: 'Allow', Action: 'oss:Get?bject', Resource: '*' },
      { Effect: 'Allow', Action: ['ecs:Describe*', 'vpc:*Vpc*'], Resource: '*' },
    ]);
    expect(answer(snap, u, 'oss:GetObject', '*').decision).toBe('allow');
    expect(answer(snap, u, 'oss:GetObjectAcl', '*').decision).toBe('implicit-deny');
    expect(answer(snap, u, 'ecs:DescribeDisks', '*').statement?.index).toBe(1);
    expect(answer(snap, u, 'vpc:DescribeVpcAttribute', '*').decision).toBe('allow');
    expect(answer(snap, u, 'ecs:StartInstance', '*').decision).toBe('implicit-deny');
  });

  it('NotAction allows everything except the listed actions', () => {
    const snap = holder([{ Effect: 'Allow', NotAction: ['ram:*', 'sts:AssumeRole'], Resource: '*' }]);
    expect(answer(snap, u, 'ecs:DeleteInstance', '*').decision).toBe('allow');
    expect(answer(snap, u, 'sts:GetCallerIdentity', '*').decision).toBe('allow');
    expect(answer(snap, u, 'ram:CreateUser', '*').decision).toBe('implicit-deny');
    expect(answer(snap, u, 'sts:assumerole', '*').decision).toBe('implicit-deny');
  });

  it('NotResource allows everywhere except the listed resources', () => {
    const snap = holder([{ Effect: 'Allow', Action: 'oss:*', NotResource: 'acs:oss:*:*:secret/*' }]);
    expect(answer(snap, u, 'oss:GetObject', 'acs:oss:*:*:public/a.txt').decision).toBe('allow');
    expect(answer(snap, u, 'oss:GetObject', 'acs:oss:*:*:secret/a.txt').decision).toBe('implicit-deny');
  });

  it('matches acs: ARNs with wildcards: RAM names case-insensitively, other relative ids exactly', () => {
    const snap = holder([
      { Effect: 'Allow', Action: 'ecs:*', Resource: 'acs:ecs:*:*:instance/i-001' },
      { Effect: 'Allow', Action: 'oss:GetObject', Resource: 'acs:oss:*:*:Reports/*' },
      { Effect: 'Allow', Action: 'ram:UpdateUser', Resource: `acs:ram::${ACCOUNT_ID}:user/App-*` },
    ]);
    expect(answer(snap, u, 'ecs:StopInstance', `acs:ecs:cn-hangzhou:${ACCOUNT_ID}:instance/i-001`).decision).toBe('allow');
    expect(answer(snap, u, 'ecs:StopInstance', `acs:ecs:cn-hangzhou:${ACCOUNT_ID}:instance/i-002`).decision).toBe('implicit-deny');
    expect(answer(snap, u, 'oss:GetObject', 'acs:oss:*:*:Reports/q1.csv').decision).toBe('allow');
    expect(answer(snap, u, 'oss:GetObject', 'acs:oss:*:*:reports/q1.csv').decision).toBe('implicit-deny');
    expect(answer(snap, u, 'ram:UpdateUser', `acs:ram::${ACCOUNT_ID}:user/app-billing`).decision).toBe('allow');
  });

  it('lets a Deny from a group win over a direct Allow', () => {
    const snap = holder(
      [{ Effect: 'Allow', Action: '*', Resource: '*' }],
      [policy('GroupDeny', doc({ Sid: 'x', Effect: 'Deny', Action: 'ecs:Delete*', Resource: '*' }), [['group', 'g']])],
    );
    const result = answer(snap, u, 'ecs:DeleteInstance', '*');
    expect(result.decision).toBe('deny');
    expect(result.statement).toMatchObject({ policy: { name: 'GroupDeny' }, via: { group: 'g' }, path: ['user:u', 'group:g', 'policy:GroupDeny (Custom)'] });
  });

  it('does not let a Deny on one resource cancel "allowed on some resource"', () => {
    const snap = holder([
      { Effect: 'Allow', Action: 'ram:AttachPolicyToUser', Resource: '*' },
      { Effect: 'Deny', Action: 'ram:AttachPolicyToUser', Resource: `acs:ram:*:*:user/admin` },
    ]);
    expect(answer(snap, u, 'ram:AttachPolicyToUser').decision).toBe('allow');
    expect(answer(snap, u, 'ram:AttachPolicyToUser', `acs:ram::${ACCOUNT_ID}:user/Admin`).decision).toBe('deny');
  });

  it('reports a conditional Allow as conditional, with its conditions', () => {
    const snap = holder([{ Effect: 'Allow', Action: 'ram:*', Resource: '*', Condition: MFA }]);
    const result = answer(snap, u, 'ram:CreateUser', '*');
    expect(result).toMatchObject({ decision: 'conditional', conditions: { Bool: { 'acs:MFAPresent': ['true'] } } });
    expect(result.statement).toMatchObject({ effect: 'Allow', index: 0 });
    expect(result.dependsOn.map((s) => s.index)).toEqual([0]);
  });

  it('prefers an unconditional Allow over a conditional one', () => {
    const snap = holder([
      { Effect: 'Allow', Action: 'ram:*', Resource: '*', Condition: MFA },
      { Effect: 'Allow', Action: 'ram:List*', Resource: '*' },
    ]);
    expect(answer(snap, u, 'ram:ListUsers', '*')).toMatchObject({ decision: 'allow', statement: { index: 1 } });
  });

  it('never reports allow under a conditional Deny: it is conditional on the Deny', () => {
    const snap = holder([
      { Effect: 'Allow', Action: '*', Resource: '*' },
      { Effect: 'Deny', Action: 'ram:*', Resource: '*', Condition: { NotIpAddress: OFFICE.IpAddress } },
    ]);
    const result = answer(snap, u, 'ram:DeleteUser', '*');
    expect(result.decision).toBe('conditional');
    expect(result.statement).toMatchObject({ effect: 'Deny', index: 1 });
    expect(result.conditions).toEqual({ NotIpAddress: { 'acs:SourceIp': ['203.0.113.0/24'] } });
    expect(answer(snap, u, 'ecs:DescribeInstances', '*').decision).toBe('allow');
  });

  it('lists every condition that matters when both the Allow and a Deny are conditional', () => {
    const snap = holder([
      { Effect: 'Allow', Action: 'ram:*', Resource: '*', Condition: MFA },
      { Effect: 'Deny', Action: 'ram:Delete*', Resource: '*', Condition: { NotIpAddress: OFFICE.IpAddress } },
    ]);
    const result = answer(snap, u, 'ram:DeleteUser', '*');
    expect(result).toMatchObject({ decision: 'conditional', statement: { effect: 'Allow', index: 0 } });
    expect(result.dependsOn.map((s) => `${s.effect}:${s.index}`)).toEqual(['Allow:0', 'Deny:1']);
  });

  it('lets an unconditional Deny beat a conditional Allow', () => {
    const snap = holder([
      { Effect: 'Allow', Action: 'ram:*', Resource: '*', Condition: MFA },
      { Effect: 'Deny', Action: 'ram:*', Resource: '*' },
    ]);
    expect(answer(snap, u, 'ram:CreateUser', '*')).toMatchObject({ decision: 'deny', statement: { index: 1 } });
  });

  it('tolerates unknown keys and lower-case field names', () => {
    const snap = holder([{ Sid: 'read', Comment: 'ours', effect: 'allow', action: 'ecs:Describe*', resource: '*', Tags: { a: 1 } }]);
    expect(answer(snap, u, 'ecs:DescribeInstances', '*').decision).toBe('allow');
  });

  it('gives an implicit deny with no statement when nothing applies', () => {
    const result = answer(holder([{ Effect: 'Deny', Action: 'ecs:*', Resource: '*', Condition: MFA }]), u, 'oss:GetObject', '*');
    expect(result).toEqual({ decision: 'implicit-deny', known: 'implicit-deny', dependsOn: [], unknowns: [] });
  });
});

describe('decide: failing closed', () => {
  const admin = doc({ Effect: 'Allow', Action: '*', Resource: '*' });
  const denyRam = doc({ Effect: 'Deny', Action: 'ram:*', Resource: '*' });

  it('is unknown when group membership is unknown, unless an unconditional Deny already decides', () => {
    const snap = snapshot({
      users: [user('dave', { groups: null })],
      groups: [group('ops', null)],
      policies: [policy('Admin', admin, [['user', 'dave']]), policy('NoRam', denyRam, [['user', 'dave']])],
    });
    const dave = { type: 'user', name: 'dave' } as const;
    expect(answer(snap, dave, 'ecs:RunInstances', '*')).toMatchObject({
      decision: 'unknown',
      known: 'allow',
      unknowns: ['group membership of dave is unknown'],
    });
    expect(answer(snap, dave, 'ram:CreateUser', '*')).toMatchObject({ decision: 'deny', unknowns: [] });
  });

  it('is unknown when a held document is missing or unreadable', () => {
    const snap = snapshot({
      users: [user('u')],
      policies: [policy('Gone', null, [['user', 'u']]), policy('Broken', '{"Statement":', [['user', 'u']])],
    });
    const result = answer(snap, { type: 'user', name: 'u' }, 'ecs:RunInstances', '*');
    expect(result.decision).toBe('unknown');
    expect(result.known).toBe('implicit-deny');
    expect(result.unknowns).toEqual([
      'document of policy:Gone (Custom) was not collected',
      'policy:Broken (Custom): policy document: is not valid JSON',
    ]);
  });

  it('is unknown when a policy with unknown attachments could change the answer', () => {
    const unlisted = { ...policy('Broad', admin, null), attachmentCount: 2 };
    const snap = snapshot({ users: [user('u')], policies: [unlisted, policy('Own', doc({ Effect: 'Allow', Action: 'ecs:*', Resource: '*' }), [['user', 'u']])] });
    const u = { type: 'user', name: 'u' } as const;
    expect(answer(snap, u, 'ecs:RunInstances', '*').decision).toBe('allow'); // an extra Allow changes nothing
    expect(answer(snap, u, 'oss:GetObject', '*')).toMatchObject({
      decision: 'unknown',
      unknowns: ['policy:Broad (Custom) is attached somewhere unknown and has a statement for oss:GetObject'],
    });
  });

  it('is unknown for an identity the snapshot does not list', () => {
    const snap = snapshot({ policies: [policy('Admin', admin, [['role', 'ghost']])] });
    expect(answer(snap, { type: 'role', name: 'ghost' }, 'ecs:RunInstances', '*')).toMatchObject({
      decision: 'unknown',
      known: 'allow',
      unknowns: ['role ghost is not in the snapshot'],
    });
  });
});
