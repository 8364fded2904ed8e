import { describe, expect, it } from 'vitest';
import type { CloudClients } from '../../../shared/cloud/clients.js';
import type { PlanStep } from '../../../shared/domain/remediation.js';
import { alreadyExists, diff, handlerFor, type StepContext } from '../../../shared/remediation/steps/index.js';

const NOW = new Date('2026-06-01T12:00:00Z');
const ctx = (over: Partial<StepContext> = {}): StepContext => ({
  clients: {} as CloudClients,
  now: NOW,
  approvedAt: NOW,
  deleteKeyAfterInactiveDays: 14,
  ...over,
});

const del: PlanStep = {
  action: 'delete-access-key',
  target: { userName: 'u', userId: '1', accessKeyId: 'K' },
  expect: { status: 'Inactive', inactiveSinceDays: 20 },
  rollback: { call: 'RestoreAccessKeyFromRecycleBin' },
};

describe('step comparisons', () => {
  it('diff names each field that differs', () => {
    expect(diff({ status: 'Active' }, { status: 'Inactive' })).toEqual(['status: approved "Active", live "Inactive"']);
    expect(diff({ attached: true }, {})).toEqual(['attached: approved true, live null']);
    expect(diff({ member: true }, { member: true, extra: 1 })).toEqual([]);
  });

  it('delete-access-key counts inactive days from approval, and refuses a key used since', () => {
    const h = handlerFor(del);
    expect(h.differences(del, { exists: true, status: 'Inactive', lastUsedDate: '2025-01-01T00:00:00Z' }, ctx())).toEqual([]);
    // Approved 20 days inactive; two weeks later it is 34 days.
    expect(h.differences(del, { exists: true, status: 'Inactive', lastUsedDate: null }, ctx({ approvedAt: new Date('2026-05-18T12:00:00Z') }))).toEqual([]);
    expect(h.differences(del, { exists: true, status: 'Inactive', lastUsedDate: null }, ctx({ deleteKeyAfterInactiveDays: 30 }))).toEqual([
      'inactive 20 days, deletion needs 30',
    ]);
    expect(h.differences(del, { exists: true, status: 'Inactive', lastUsedDate: '2026-05-30T00:00:00Z' }, ctx())).toEqual([
      'used on 2026-05-30T00:00:00Z, after it became inactive',
    ]);
    expect(h.differences(del, { exists: true, status: 'Active' }, ctx())).toEqual(['status: approved "Inactive", live "Active"']);
    expect(h.differences(del, { exists: false, status: null }, ctx())).toEqual(['access key K no longer exists']);
    expect(h.applied(del, { exists: false })).toBe(true);
    expect(h.rolledBack(del, { exists: true, status: 'Inactive' })).toBe(true);
  });

  it('target and original states are told apart (a rerun writes nothing twice)', () => {
    const deact: PlanStep = { action: 'deactivate-access-key', target: { userName: 'u', accessKeyId: 'K' }, expect: { status: 'Active' }, rollback: { call: 'UpdateAccessKey', status: 'Active' } };
    const h = handlerFor(deact);
    expect(h.applied(deact, { exists: true, status: 'Inactive' })).toBe(true);
    expect(h.applied(deact, { exists: true, status: 'Active' })).toBe(false);
    expect(h.rolledBack(deact, { exists: true, status: 'Active' })).toBe(true);
    expect(h.applied(deact, { exists: false, status: null })).toBe(false);
  });

  it('narrow-policy is refused as not supported yet', () => {
    const s: PlanStep = { action: 'narrow-policy', target: { policyName: 'P', document: '{}' }, expect: { defaultVersion: 'v1' }, rollback: { call: 'SetDefaultPolicyVersion', versionId: 'v1' } };
    expect(handlerFor(s).refuse?.(s)).toMatch(/not supported yet/);
  });

  it('EntityAlreadyExists.* is recognised on a CloudError or a raw SDK error', () => {
    expect(alreadyExists({ cloudCode: 'EntityAlreadyExists.User.Group' })).toBe(true);
    expect(alreadyExists({ code: 'EntityAlreadyExists.User.Policy' })).toBe(true);
    expect(alreadyExists({ cloudCode: 'EntityNotExist.User' })).toBe(false);
  });
});
