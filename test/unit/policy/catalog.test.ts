import { describe, expect, it } from 'vitest';
import { SYSTEM_POLICIES } from '../../../emulator/system-policies.js';
import { buildActionCatalog, parsePolicy, systemPolicyDocuments } from '../../../shared/policy/index.js';
import { ADMIN_DOC, doc, policy, snapshot } from '../rules/builders.js';

const systemDocs = SYSTEM_POLICIES.map((p) => parsePolicy(JSON.stringify(p.document)));

describe('buildActionCatalog', () => {
  const catalog = buildActionCatalog(systemDocs, ['ecs:DescribeInstances', 'ecs:RunInstances', 'oss:GetObject', 'ram:CreateUser']);

  it('collects the concrete actions of the system policies and the observed ones, by service', () => {
    for (const action of ['actiontrail:LookupEvents', 'ram:GenerateCredentialReport', 'vpc:DescribeVpcs', 'log:ListProject', 'sts:AssumeRole', 'ecs:RunInstances']) {
      expect(catalog.has(action), action).toBe(true);
    }
    expect(catalog.has('ecs:*')).toBe(false);
    expect(catalog.has('*:Describe*')).toBe(false);
    expect([...(catalog.services.get('vpc') ?? [])].sort()).toEqual(['vpc:DescribeVRouters', 'vpc:DescribeVSwitches', 'vpc:DescribeVpcs']);
    expect(catalog.services.has('*')).toBe(false);
  });

  it('dedupes case-insensitively, keeping the spelling first seen, and ignores names that are not service:Action', () => {
    const small = buildActionCatalog([parsePolicy(doc({ Effect: 'Allow', Action: 'ECS:DescribeInstances', Resource: '*' }))], [
      'ecs:describeinstances',
      'ecs:StopInstance',
      '',
      'ecs',
      'ecs:Stop*',
      ':x',
    ]);
    expect(small.size).toBe(2);
    expect([...(small.services.get('ecs') ?? [])]).toEqual(['ECS:DescribeInstances', 'ecs:StopInstance']);
  });

  it('expands * and ? patterns into the known actions, sorted, ignoring case', () => {
    expect(catalog.expand('vpc:DescribeV*')).toEqual(['vpc:DescribeVRouters', 'vpc:DescribeVSwitches', 'vpc:DescribeVpcs']);
    expect(catalog.expand('ECS:*instances')).toEqual(['ecs:DescribeInstances', 'ecs:RunInstances']);
    expect(catalog.expand('oss:Get?bject')).toEqual(['oss:GetObject']);
    expect(catalog.expand('*:List*')).toEqual(['log:ListProject', 'oss:ListBuckets', 'ram:ListRoles']);
    expect(catalog.expand('nosuch:*')).toEqual([]);
  });

  it('returns a concrete pattern as itself, in the catalog spelling when known', () => {
    expect(catalog.expand('ram:createuser')).toEqual(['ram:CreateUser']);
    expect(catalog.expand('ram:DeleteUser')).toEqual(['ram:DeleteUser']);
  });

  it('lists the known actions a statement covers, honouring NotAction', () => {
    const [allow, notAction] = parsePolicy(
      doc({ Effect: 'Allow', Action: ['ecs:*Instances', 'ecs:RunInstances', 'oss:GetObject'], Resource: '*' }, { Effect: 'Allow', NotAction: ['ram:*', 'sts:*', 'vpc:*', 'actiontrail:*', 'log:*', 'oss:*', 'dm:*'], Resource: '*' }),
    ).statements;
    if (!allow || !notAction) throw new Error('two statements expected');
    expect(catalog.actionsOf(allow)).toEqual(['ecs:DescribeInstances', 'ecs:RunInstances', 'oss:GetObject']);
    expect(catalog.actionsOf(notAction)).toEqual(['ecs:DescribeInstances', 'ecs:RunInstances']);
  });

  it('expands AdministratorAccess to the whole catalog', () => {
    const admin = SYSTEM_POLICIES.find((p) => p.name === 'AdministratorAccess');
    const statement = admin && parsePolicy(JSON.stringify(admin.document)).statements[0];
    expect(statement && catalog.actionsOf(statement)).toHaveLength(catalog.size);
  });
});

describe('systemPolicyDocuments', () => {
  it('takes the fetched System policies only, skipping missing and unreadable documents', () => {
    const snap = snapshot({
      policies: [
        policy('AdministratorAccess', ADMIN_DOC, [], 'System'),
        policy('NotFetched', null, [], 'System'),
        policy('Garbled', '{', [], 'System'),
        policy('Mine', doc({ Effect: 'Allow', Action: 'ecs:Typo', Resource: '*' }), []),
      ],
    });
    const docs = systemPolicyDocuments(snap);
    expect(docs).toHaveLength(1);
    expect(docs[0]?.statements[0]?.actions).toEqual(['*']);
  });
});
