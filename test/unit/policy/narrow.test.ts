import { describe, expect, it } from 'vitest';
import {
  buildActionCatalog,
  generatedPolicyName,
  lineDiff,
  narrowPolicy,
  parsePolicy,
  POLICY_DOCUMENT_MAX_CHARS,
  proveNarrowing,
} from '../../../shared/policy/index.js';

const doc = (...statements: object[]): string => JSON.stringify({ Version: '1', Statement: statements });
const custom = { name: 'Ops', type: 'Custom' as const };
const statementsOf = (json: string): Array<Record<string, unknown>> => (JSON.parse(json) as { Statement: Array<Record<string, unknown>> }).Statement;

describe('narrowPolicy', () => {
  it('keeps exactly the used actions the original granted, grouped by service', () => {
    const original = doc({ Effect: 'Allow', Action: ['ecs:*', 'oss:Get*', 'rds:*'], Resource: '*' });
    const n = narrowPolicy({ document: original, policy: custom, used: ['oss:GetObject', 'ecs:StopInstance', 'ecs:DescribeInstances', 'vpc:DescribeVpcs'] });
    expect(n).not.toBeNull();
    expect(statementsOf(n!.document)).toEqual([
      { Effect: 'Allow', Action: ['ecs:DescribeInstances', 'ecs:StopInstance', 'oss:GetObject'], Resource: ['*'] },
    ]);
    expect(n!.kept).toEqual(['ecs:DescribeInstances', 'ecs:StopInstance', 'oss:GetObject']);
    expect(n!.removed).toEqual(['ecs:*', 'oss:Get*', 'rds:*']);
    expect(n!.collapsed).toBe(false);
    expect(n!.fits).toBe(true);
  });

  it('keeps narrower original resources and conditions per statement, and Deny statements verbatim', () => {
    const deny = { Sid: 'NoDelete', Effect: 'Deny', Action: 'oss:Delete*', Resource: '*' };
    const condition = { IpAddress: { 'acs:SourceIp': ['10.0.0.0/8'] } };
    const original = doc(
      { Effect: 'Allow', Action: 'oss:*', Resource: 'acs:oss:*:*:logs/*' },
      deny,
      { Effect: 'Allow', Action: 'ecs:*', Resource: '*', Condition: condition },
      { Effect: 'Allow', Action: 'oss:PutObject', Resource: 'acs:oss:*:*:logs/*' },
    );
    const n = narrowPolicy({ document: original, policy: custom, used: ['oss:GetObject', 'oss:PutObject', 'ecs:DescribeInstances'] })!;
    expect(statementsOf(n.document)).toEqual([
      { Effect: 'Allow', Action: ['oss:GetObject', 'oss:PutObject'], Resource: ['acs:oss:*:*:logs/*'] },
      deny,
      { Effect: 'Allow', Action: ['ecs:DescribeInstances'], Resource: ['*'], Condition: condition },
    ]);
    expect(n.removed).toEqual(['ecs:*', 'oss:*']);
  });

  it('turns an Allow NotAction into the used actions it covered', () => {
    const original = doc({ Effect: 'Allow', NotAction: 'ram:*', Resource: '*' });
    const n = narrowPolicy({ document: original, policy: custom, used: ['ram:CreateUser', 'ecs:DescribeInstances'] })!;
    expect(statementsOf(n.document)).toEqual([{ Effect: 'Allow', Action: ['ecs:DescribeInstances'], Resource: ['*'] }]);
    expect(n.removed).toEqual(['NotAction ram:*']);
  });

  it('returns null when nothing would be removed', () => {
    const original = doc({ Effect: 'Allow', Action: ['ecs:DescribeInstances'], Resource: '*' });
    expect(narrowPolicy({ document: original, policy: custom, used: ['ecs:DescribeInstances', 'oss:GetObject'] })).toBeNull();
  });

  it('collapses to service wildcards the original granted, with a note, when the exact list is over the size limit', () => {
    const original = doc({ Effect: 'Allow', Action: ['ecs:*', 'oss:Get*', 'rds:*'], Resource: '*' });
    const used = [...Array.from({ length: 500 }, (_, i) => `ecs:Action${i}`), 'oss:GetObject', 'oss:GetBucketInfo'];
    const n = narrowPolicy({ document: original, policy: custom, used })!;
    expect(n.collapsed).toBe(true);
    expect(n.fits).toBe(true);
    expect(n.document.length).toBeLessThanOrEqual(POLICY_DOCUMENT_MAX_CHARS);
    // oss:* would be wider than the original oss:Get*: the original pattern is kept instead.
    expect(statementsOf(n.document)).toEqual([{ Effect: 'Allow', Action: ['ecs:*', 'oss:Get*'], Resource: ['*'] }]);
    expect(n.removed).toEqual(['rds:*']);
    expect(n.notes.join(' ')).toMatch(/6144-character/);
  });

  it('says so when even the collapsed document does not fit', () => {
    const original = doc({ Effect: 'Allow', Action: ['ecs:Describe*', 'oss:*'], Resource: '*' });
    const n = narrowPolicy({ document: original, policy: custom, used: ['ecs:DescribeInstances'], maxChars: 40 })!;
    expect(n.fits).toBe(false);
    expect(n.notes.join(' ')).toMatch(/narrow it by hand/);
  });

  it('gives a readable exact line diff', () => {
    const original = doc({ Effect: 'Allow', Action: ['ecs:*'], Resource: '*' });
    const n = narrowPolicy({ document: original, policy: custom, used: ['ecs:DescribeInstances'] })!;
    expect(n.diff.split('\n')).toEqual([
      '  … 3 unchanged lines',
      '      {',
      '        "Effect": "Allow",',
      '        "Action": [',
      '-         "ecs:*"',
      '+         "ecs:DescribeInstances"',
      '        ],',
      '-       "Resource": "*"',
      '+       "Resource": [',
      '+         "*"',
      '+       ]',
      '      }',
      '    ]',
      '  }',
    ]);
  });

  it('lists known removed actions with a catalog and spells used actions as catalogued', () => {
    const catalog = buildActionCatalog([parsePolicy(doc({ Effect: 'Allow', Action: ['ecs:DescribeInstances', 'ecs:StopInstance'], Resource: '*' }))]);
    const n = narrowPolicy({ document: doc({ Effect: 'Allow', Action: 'ecs:*', Resource: '*' }), policy: custom, used: ['ecs:describeinstances'], catalog })!;
    expect(n.kept).toEqual(['ecs:DescribeInstances']);
    expect(n.removedKnown).toEqual(['ecs:StopInstance']);
  });

  it('ignores used entries that are not concrete actions', () => {
    const n = narrowPolicy({ document: doc({ Effect: 'Allow', Action: 'ecs:*', Resource: '*' }), policy: custom, used: ['ecs:*', 'ecs:Start'] })!;
    expect(n.kept).toEqual(['ecs:Start']);
    expect(n.notes).toEqual(['ignored used action "ecs:*": not a concrete service:Action name']);
  });
});

describe('proveNarrowing', () => {
  it('passes when every used action keeps its access', () => {
    const before = parsePolicy(doc({ Effect: 'Allow', Action: 'ecs:*', Resource: '*' }, { Effect: 'Allow', Action: 'oss:*', Resource: '*', Condition: { Bool: { 'acs:SecureTransport': 'true' } } }));
    const n = narrowPolicy({ document: JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'ecs:*', Resource: '*' }, { Effect: 'Allow', Action: 'oss:*', Resource: '*', Condition: { Bool: { 'acs:SecureTransport': 'true' } } }] }), policy: custom, used: ['ecs:StartInstance', 'oss:GetObject'] })!;
    const proof = proveNarrowing([before], [parsePolicy(n.document)], ['ecs:StartInstance', 'oss:GetObject', 'rds:DescribeDBInstances']);
    expect(proof.ok).toBe(true);
    expect(proof.checks).toEqual([
      { action: 'ecs:StartInstance', before: 'allow', after: 'allow' },
      { action: 'oss:GetObject', before: 'conditional', after: 'conditional' },
      { action: 'rds:DescribeDBInstances', before: 'implicit-deny', after: 'implicit-deny' },
    ]);
  });

  it('detects a narrowing that loses a used action, or turns an allow into a conditional', () => {
    const before = parsePolicy(doc({ Effect: 'Allow', Action: ['ecs:*', 'oss:*'], Resource: '*' }));
    const after = parsePolicy(doc({ Effect: 'Allow', Action: 'ecs:StartInstance', Resource: '*', Condition: { Bool: { 'acs:MFAPresent': 'true' } } }));
    const proof = proveNarrowing([before], [after], ['ecs:StartInstance', 'oss:GetObject']);
    expect(proof.ok).toBe(false);
    expect(proof.failures).toEqual([
      { action: 'ecs:StartInstance', before: 'allow', after: 'conditional' },
      { action: 'oss:GetObject', before: 'allow', after: 'implicit-deny' },
    ]);
  });

  it('detects a narrowing that grants a used action the original did not', () => {
    const before = parsePolicy(doc({ Effect: 'Allow', Action: 'ecs:Describe*', Resource: '*' }));
    const after = parsePolicy(doc({ Effect: 'Allow', Action: 'ecs:*', Resource: '*' }));
    const proof = proveNarrowing([before], [after], ['ecs:DeleteInstance']);
    expect(proof.ok).toBe(false);
    expect(proof.broadened).toEqual([{ action: 'ecs:DeleteInstance', before: 'implicit-deny', after: 'allow' }]);
  });
});

describe('lineDiff and generatedPolicyName', () => {
  it('shortens long unchanged runs', () => {
    const same = ['a', 'b', 'c', 'd', 'e', 'f'];
    const long = [...'ghijklmnop'];
    const before = [...same, 'x', ...long, 'z'].join('\n');
    const after = [...same, 'y', ...long].join('\n');
    expect(lineDiff(before, after).split('\n')).toEqual([
      '  … 3 unchanged lines',
      '  d',
      '  e',
      '  f',
      '- x',
      '+ y',
      '  g',
      '  h',
      '  i',
      '  … 4 unchanged lines',
      '  n',
      '  o',
      '  p',
      '- z',
    ]);
  });

  it('names generated policies within RAM rules', () => {
    expect(generatedPolicyName('ops.team_1', 'AliyunECSFullAccess')).toBe('ramparts-ops-team-1-AliyunECSFullAccess');
    const long = generatedPolicyName('u'.repeat(100), 'AliyunOSSFullAccess');
    expect(long.length).toBeLessThanOrEqual(128);
    expect(long).toMatch(/^[A-Za-z0-9-]+$/);
  });
});
