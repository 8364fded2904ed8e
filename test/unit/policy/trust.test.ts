import { describe, expect, it } from 'vitest';
import { analyzeTrust, parsePolicy, parseRamArn } from '../../../shared/policy/index.js';

const OWN = '1234567890123456';
const trust = (principal: unknown, extra: object = {}) =>
  parsePolicy(JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: principal, ...extra }] }));
const kinds = (principal: unknown, extra: object = {}) => analyzeTrust(trust(principal, extra), OWN).map((r) => r.kind);

describe('parseRamArn', () => {
  it('reads account and resource, and bare account ids as root', () => {
    expect(parseRamArn('acs:ram::42:role/Deployer')).toEqual({ account: '42', resource: 'role/Deployer' });
    expect(parseRamArn('42')).toEqual({ account: '42', resource: 'root' });
    expect(parseRamArn('not-an-arn')).toBeNull();
  });
});

describe('analyzeTrust: risks', () => {
  it('flags "Principal": "*" and {"RAM": "*"} as any-principal', () => {
    expect(kinds('*')).toEqual(['any-principal']);
    expect(kinds({ RAM: '*' })).toEqual(['any-principal']);
    expect(kinds({ RAM: 'acs:ram::*:root' })).toEqual(['any-principal']);
    // Conditions do not clear it: "anyone, if ..." is still anyone.
    expect(kinds({ RAM: '*' }, { Condition: { Bool: { 'acs:MFAPresent': 'true' } } })).toEqual(['any-principal']);
  });

  it('flags a foreign account principal (root, user or role) without any Condition', () => {
    expect(kinds({ RAM: ['acs:ram::999:root', 'acs:ram::999:user/bob', 'acs:ram::999:role/ci'] })).toEqual([
      'foreign-account',
      'foreign-account',
      'foreign-account',
    ]);
    expect(kinds({ RAM: '999' })).toEqual(['foreign-account']);
    expect(analyzeTrust(trust({ RAM: 'acs:ram::999:root' }), OWN)[0]?.detail).toContain('account 999');
  });

  it('accepts a foreign account principal that carries a Condition', () => {
    expect(kinds({ RAM: 'acs:ram::999:root' }, { Condition: { StringEquals: { 'sts:ExternalId': 'abc' } } })).toEqual([]);
  });

  it('lists own-account root (the rule decides whether it matters), comparing ids case-insensitively', () => {
    expect(kinds({ RAM: `acs:ram::${OWN}:root` })).toEqual(['own-account-root']);
    expect(analyzeTrust(trust({ RAM: 'ACS:RAM::ABC:root' }), 'abc').map((r) => r.kind)).toEqual(['own-account-root']);
  });

  it('flags OIDC without oidc:sub, without oidc:aud, or with StringLike "*" on oidc:sub', () => {
    const provider = { Federated: `acs:ram::${OWN}:oidc-provider/github` };
    expect(kinds(provider)).toEqual(['oidc-unconstrained']);
    expect(kinds(provider, { Condition: { StringEquals: { 'oidc:aud': 'sts.aliyuncs.com' } } })).toEqual(['oidc-unconstrained']);
    expect(kinds(provider, { Condition: { StringEquals: { 'oidc:sub': 'repo:org/app:ref:refs/heads/main' } } })).toEqual([
      'oidc-unconstrained',
    ]);
    const wild = analyzeTrust(trust(provider, { Condition: { StringEquals: { 'oidc:aud': 'sts.aliyuncs.com' }, StringLike: { 'oidc:sub': '*' } } }), OWN);
    expect(wild.map((r) => r.kind)).toEqual(['oidc-unconstrained']);
    expect(wild[0]?.detail).toContain('matches any subject');
  });

  it('flags SAML without saml:recipient', () => {
    expect(kinds({ Federated: `acs:ram::${OWN}:saml-provider/AzureAD` })).toEqual(['saml-no-recipient']);
  });

  it('flags Allow NotPrincipal as any-principal', () => {
    const doc = parsePolicy(JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', NotPrincipal: { RAM: 'acs:ram::1:root' } }] }));
    expect(analyzeTrust(doc, OWN).map((r) => r.kind)).toEqual(['any-principal']);
  });
});

describe('analyzeTrust: clean shapes', () => {
  it('accepts a service principal', () => {
    expect(kinds({ Service: ['ecs.aliyuncs.com', 'fc.aliyuncs.com'] })).toEqual([]);
  });

  it('accepts SAML with a recipient', () => {
    expect(
      kinds(
        { Federated: `acs:ram::${OWN}:saml-provider/AzureAD` },
        { Condition: { StringEquals: { 'saml:recipient': 'https://signin.alibabacloud.com/saml-role/sso' } } },
      ),
    ).toEqual([]);
  });

  it('accepts OIDC with aud and a specific sub (StringLike with a prefix is fine)', () => {
    const condition = { StringEquals: { 'oidc:aud': 'sts.aliyuncs.com', 'oidc:iss': 'https://token.actions.githubusercontent.com' }, StringLike: { 'oidc:sub': 'repo:org/app:*' } };
    expect(kinds({ Federated: `acs:ram::${OWN}:oidc-provider/github` }, { Condition: condition })).toEqual([]);
  });

  it('accepts a specific role of the same account with a condition, and ignores Deny and non-assume statements', () => {
    expect(kinds({ RAM: `acs:ram::${OWN}:role/deployer` }, { Condition: { Bool: { 'acs:MFAPresent': 'true' } } })).toEqual([]);
    const doc = parsePolicy(
      JSON.stringify({
        Statement: [
          { Effect: 'Deny', Action: 'sts:AssumeRole', Principal: '*' },
          { Effect: 'Allow', Action: 'ecs:DescribeInstances', Principal: '*' },
        ],
      }),
    );
    expect(analyzeTrust(doc, OWN)).toEqual([]);
  });
});
