import { describe, expect, it } from 'vitest';
import { parsePolicy, PolicyParseError, tryParsePolicy } from '../../../shared/policy/index.js';

describe('parsePolicy', () => {
  it('normalizes scalar Action/Resource to arrays and keeps statement order', () => {
    const doc = parsePolicy(
      JSON.stringify({
        Version: '1',
        Statement: [
          { Sid: 'read', Effect: 'Allow', Action: 'ecs:Describe*', Resource: '*' },
          { Effect: 'Deny', NotAction: ['ram:*', 'sts:*'], NotResource: 'acs:oss:*:*:logs/*', Extra: true },
        ],
      }),
    );
    expect(doc.version).toBe('1');
    expect(doc.statements).toHaveLength(2);
    expect(doc.statements[0]).toMatchObject({ index: 0, effect: 'Allow', actions: ['ecs:Describe*'], resources: ['*'], conditions: {} });
    expect(doc.statements[1]).toMatchObject({ index: 1, effect: 'Deny', notActions: ['ram:*', 'sts:*'], notResources: ['acs:oss:*:*:logs/*'] });
    expect(doc.statements[1]?.actions).toBeUndefined();
  });

  it('accepts a single statement object and normalizes condition values to strings', () => {
    const doc = parsePolicy(
      JSON.stringify({
        Statement: { Effect: 'allow', Action: 'oss:GetObject', Resource: ['acs:oss:*:*:b/*'], Condition: { Bool: { 'acs:SecureTransport': true }, NumericLessThan: { n: [1, 2] } } },
      }),
    );
    expect(doc.version).toBeNull();
    expect(doc.statements[0]?.effect).toBe('Allow');
    expect(doc.statements[0]?.conditions).toEqual({ Bool: { 'acs:SecureTransport': ['true'] }, NumericLessThan: { n: ['1', '2'] } });
  });

  it('parses trust policy principals (no Resource)', () => {
    const doc = parsePolicy(
      JSON.stringify({
        Version: '1',
        Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: 'acs:ram::1:root', Service: ['ecs.aliyuncs.com'], Odd: 'x' } }],
      }),
    );
    expect(doc.statements[0]?.resources).toBeNull();
    expect(doc.statements[0]?.principal).toEqual({ any: false, ram: ['acs:ram::1:root'], service: ['ecs.aliyuncs.com'], federated: [], other: { Odd: ['x'] } });
    expect(parsePolicy(JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: '*' }] })).statements[0]?.principal?.any).toBe(true);
  });

  it.each([
    ['invalid JSON', '{"Version": "1",', ''],
    ['a non-object document', '[1, 2]', ''],
    ['a missing Statement', '{"Version":"1"}', 'Statement'],
    ['a bad Effect', JSON.stringify({ Statement: [{ Effect: 'Maybe', Action: '*', Resource: '*' }] }), 'Statement[0].Effect'],
    ['both Action and NotAction', JSON.stringify({ Statement: [{ Effect: 'Allow', Action: '*', NotAction: 'ram:*', Resource: '*' }] }), 'Statement[0]'],
    ['neither Action nor NotAction', JSON.stringify({ Statement: [{ Effect: 'Allow', Resource: '*' }] }), 'Statement[0]'],
    ['a non-string action', JSON.stringify({ Statement: [{ Effect: 'Allow', Action: ['ecs:*', 3], Resource: '*' }] }), 'Statement[0].Action[1]'],
    ['no Resource in an identity policy', JSON.stringify({ Statement: [{ Effect: 'Allow', Action: '*' }] }), 'Statement[0]'],
    ['a malformed Condition', JSON.stringify({ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEquals: 'x' } }] }), 'Statement[0].Condition.StringEquals'],
  ])('rejects %s with a typed error', (_name, json, at) => {
    expect(() => parsePolicy(json)).toThrow(PolicyParseError);
    const error = tryParsePolicy(json);
    expect(error).toBeInstanceOf(PolicyParseError);
    expect((error as PolicyParseError).at).toBe(at);
    expect((error as PolicyParseError).code).toBe('POLICY_INVALID');
  });
});
