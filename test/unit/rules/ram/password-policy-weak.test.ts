import { describe, expect, it } from 'vitest';
import type { PasswordPolicy } from '../../../../shared/domain/snapshot.js';
import rule from '../../../../shared/rules/ram/password-policy-weak.js';
import { run, snapshot } from '../builders.js';

const strong: PasswordPolicy = {
  minimumPasswordLength: 14,
  requireLowercaseCharacters: true,
  requireUppercaseCharacters: true,
  requireNumbers: true,
  requireSymbols: true,
  hardExpiry: false,
  maxPasswordAge: 0,
  passwordReusePrevention: 5,
  maxLoginAttempts: 5,
};
const failedIds = (policy: PasswordPolicy, params: object = {}) => {
  const [result] = run(rule, snapshot({ passwordPolicy: policy }), params);
  return (result?.evidence.failed as Array<{ cis: string }> | undefined)?.map((f) => f.cis) ?? [];
};

describe('ram.password-policy-weak', () => {
  it('passes a CIS v2.0 policy (no expiry accepted)', () => {
    expect(run(rule, snapshot({ passwordPolicy: strong }))).toEqual([]);
    expect(run(rule, snapshot({ passwordPolicy: { ...strong, maxPasswordAge: 365 } }))).toEqual([]);
  });

  it('fails the RAM default policy with one finding listing every failed check', () => {
    const ramDefault: PasswordPolicy = {
      minimumPasswordLength: 8,
      requireLowercaseCharacters: false,
      requireUppercaseCharacters: false,
      requireNumbers: false,
      requireSymbols: false,
      hardExpiry: false,
      maxPasswordAge: 0,
      passwordReusePrevention: 0,
      maxLoginAttempts: 0,
    };
    const results = run(rule, snapshot({ passwordPolicy: ramDefault }));
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ status: 'fail', subject: { type: 'account' } });
    expect(failedIds(ramDefault)).toEqual(['1.7', '1.8', '1.9', '1.10', '1.11', '1.12', '1.14']);
    expect(results[0]?.evidence.summary).toMatch(/^7 of 8 CIS password checks fail: no uppercase letter required; /);
  });

  it('checks each threshold at its boundary', () => {
    expect(failedIds({ ...strong, minimumPasswordLength: 13 })).toEqual(['1.11']);
    expect(failedIds({ ...strong, passwordReusePrevention: 4 })).toEqual(['1.12']);
    expect(failedIds({ ...strong, maxLoginAttempts: 6 })).toEqual(['1.14']);
    expect(failedIds({ ...strong, maxPasswordAge: 90 })).toEqual(['1.13']);
  });

  it('can apply the CIS v1.0 expiry reading through params', () => {
    const v1 = { expiryMinDays: 1, expiryMaxDays: 90, requireExpiry: true };
    expect(failedIds({ ...strong, maxPasswordAge: 90 }, v1)).toEqual([]);
    expect(failedIds({ ...strong, maxPasswordAge: 0 }, v1)).toEqual(['1.13']);
    expect(failedIds({ ...strong, maxPasswordAge: 180 }, v1)).toEqual(['1.13']);
  });

  it('is unknown when the policy could not be read', () => {
    expect(run(rule, snapshot({ passwordPolicy: null }))).toMatchObject([{ status: 'unknown', subject: { type: 'account' } }]);
  });
});
