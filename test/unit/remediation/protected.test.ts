import { describe, expect, it } from 'vitest';
import { protectedReason } from '../../../shared/remediation/protected.js';

const p = { breakGlassUsers: ['Break-Glass'], roleArns: ['acs:ram::1234567890123456:role/Ramparts-Apply'] };

describe('protectedReason', () => {
  it.each([
    [{ type: 'user', name: 'root' }, /root account/],
    [{ type: 'user', name: '' }, /root account/],
    [{ type: 'user', name: 'break-glass' }, /break-glass user/],
    [{ type: 'user', name: ' BREAK-GLASS ' }, /break-glass user/],
    [{ type: 'role', name: 'ramparts-apply' }, /own roles/],
    [{ type: 'role', name: 'ACS:RAM::1234567890123456:ROLE/RAMPARTS-APPLY' }, /own roles/],
  ] as const)('%j is protected', (principal, reason) => {
    expect(protectedReason(principal, p)).toMatch(reason);
  });

  it.each([
    [{ type: 'user', name: 'ops-wu' }],
    [{ type: 'user', name: 'ramparts-apply' }],
    [{ type: 'role', name: 'break-glass' }],
    [{ type: 'group', name: 'break-glass' }],
    [{ type: 'role', name: 'ramparts' }],
  ] as const)('%j is not', (principal) => {
    expect(protectedReason(principal, p)).toBeNull();
  });
});
