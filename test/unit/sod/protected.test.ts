import { describe, expect, it } from 'vitest';
import { plans, type RemediationPlan } from '../../../shared/domain/remediation.js';
import { checkRevocable } from '../../../shared/sod/index.js';
import { BREAK_GLASS, membershipOf, protectedPrincipals } from './fixtures.js';

const codesOf = (plan: RemediationPlan | null, ctx: Parameters<typeof checkRevocable>[2] = {}) => checkRevocable(plan, protectedPrincipals, ctx).map((r) => r.code);

describe('checkRevocable: protected principals are never revocable', () => {
  it('refuses steps on a break-glass user, case-insensitively', () => {
    expect(codesOf(plans.deactivateAccessKey('BG-Admin', 'LTAI5tKey0003'))).toEqual(['protected-principal']);
    expect(codesOf(plans.removeFromGroup(BREAK_GLASS, 'ops'))).toEqual(['protected-principal']);
    expect(codesOf(plans.detachPolicy('user', BREAK_GLASS, 'AdministratorAccess', 'System'))).toEqual(['protected-principal']);
  });

  it("refuses detaching from ramparts' own role, matched by ARN case-insensitively", () => {
    const [refusal] = checkRevocable(plans.detachPolicy('role', 'ramparts-apply', 'AliyunRAMFullAccess', 'System'), protectedPrincipals);
    expect(refusal).toEqual({ code: 'protected-principal', message: expect.stringMatching(/^This plan would change ramparts' own role ramparts-apply \(step 1 \(detach-policy\)\)\. ramparts never revokes/) });
    expect(codesOf(plans.detachPolicy('role', 'other-role', 'AliyunRAMFullAccess', 'System'))).toEqual([]);
  });

  it('refuses a group change that reaches a break-glass member, and fails closed when membership is unknown', () => {
    const detach = plans.detachPolicy('group', 'ops', 'AdministratorAccess', 'System');
    expect(codesOf(detach, { membership: membershipOf({ [BREAK_GLASS]: ['ops'] }) })).toEqual(['protected-principal']);
    expect(codesOf(detach, { membership: membershipOf() })).toEqual([]);
    expect(codesOf(detach)).toEqual(['protected-principal']);
    expect(codesOf(detach, { membership: membershipOf({ [BREAK_GLASS]: null }) })).toEqual(['protected-principal']);
    expect(checkRevocable(detach, { ...protectedPrincipals, breakGlassUsers: [] })).toEqual([]);
  });

  it('refuses a protected subject even without a plan: root, break-glass user or key, own role', () => {
    expect(codesOf(null, { subject: { type: 'account', id: '1234567890123456', name: 'acme' } })).toEqual(['protected-principal']);
    expect(codesOf(null, { subject: { type: 'user', id: 'u1', name: BREAK_GLASS } })).toEqual(['protected-principal']);
    expect(codesOf(null, { subject: { type: 'accessKey', id: 'k', name: 'k', user: BREAK_GLASS } })).toEqual(['protected-principal']);
    expect(codesOf(null, { subject: { type: 'role', id: 'r1', name: 'Ramparts-Apply' } })).toEqual(['protected-principal']);
    expect(codesOf(null, { subject: { type: 'user', id: 'u2', name: 'sam.wu' } })).toEqual([]);
  });

  it('allows ordinary plans', () => {
    expect(checkRevocable(plans.deactivateAccessKey('sam.wu', 'LTAI5tKey0001'), protectedPrincipals, { membership: membershipOf() })).toEqual([]);
  });
});
