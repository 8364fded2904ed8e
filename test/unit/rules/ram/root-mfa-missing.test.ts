import { describe, expect, it } from 'vitest';
import rule from '../../../../shared/rules/ram/root-mfa-missing.js';
import { run, snapshot } from '../builders.js';

const withMfa = (mfaActive: boolean | null) => snapshot({ root: { ...snapshot().root, mfaActive } });

describe('ram.root-mfa-missing', () => {
  it('fails when root has no MFA', () => {
    expect(run(rule, withMfa(false))).toMatchObject([{ status: 'fail', subject: { type: 'account' } }]);
  });
  it('passes when root has MFA', () => {
    expect(run(rule, withMfa(true))).toEqual([]);
  });
  it('is unknown when the MFA status could not be collected', () => {
    expect(run(rule, withMfa(null))).toMatchObject([{ status: 'unknown' }]);
  });
});
