import { describe, expect, it } from 'vitest';
import type { CloudClients } from '../../../shared/cloud/clients.js';
import type { PlanStep } from '../../../shared/domain/remediation.js';
import { alreadyExists, diff, handlerFor, type StepContext } from '../../../shared/remediation/steps/index.js';
import { proofDifferences, sameDocument } from '../../../shared/remediation/steps/narrow-policy.js';

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

  it('EntityAlreadyExists.* is recognised on a CloudError or a raw SDK error', () => {
    expect(alreadyExists({ cloudCode: 'EntityAlreadyExists.User.Group' })).toBe(true);
    expect(alreadyExists({ code: 'EntityAlreadyExists.User.Policy' })).toBe(true);
    expect(alreadyExists({ cloudCode: 'EntityNotExist.User' })).toBe(false);
  });
});

const WIDE = '{"Version":"1","Statement":[{"Effect":"Allow","Action":"ecs:*","Resource":"*"}]}';
const NARROW = JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: ['ecs:DescribeInstances', 'ecs:StartInstance'], Resource: '*' }] });
/** The same document as NARROW, re-indented with its keys in another order (as RAM may return it). */
const NARROW_REFORMATTED = JSON.stringify({ Statement: [{ Resource: '*', Action: ['ecs:DescribeInstances', 'ecs:StartInstance'], Effect: 'Allow' }], Version: '1' }, null, 2);
const proof = (used: string[]) => ({ used, window: { from: '2026-03-03T00:00:00Z', to: '2026-06-01T00:00:00Z' } });

const narrow = (document = NARROW, used = ['ecs:DescribeInstances', 'ecs:StartInstance']): Extract<PlanStep, { action: 'narrow-policy' }> => ({
  action: 'narrow-policy',
  target: { policyName: 'EcsOperator', document },
  expect: { defaultVersion: 'v1' },
  proof: proof(used),
  rollback: { call: 'SetDefaultPolicyVersion', versionId: 'v1' },
});

const attach = (document = NARROW, used = ['ecs:DescribeInstances']): Extract<PlanStep, { action: 'attach-policy' }> => ({
  action: 'attach-policy',
  target: { principalType: 'user', principalName: 'lin', policyName: 'lin-ecs-narrowed', policyType: 'Custom', document, description: 'narrowed' },
  expect: { attached: false },
  proof: proof(used),
  rollback: { call: 'DetachPolicyFrom', deletePolicy: true },
});

describe('narrowing proof', () => {
  it('compares documents as JSON, not as strings', () => {
    expect(sameDocument(NARROW, NARROW_REFORMATTED)).toBe(true);
    expect(sameDocument(NARROW, WIDE)).toBe(false);
    expect(sameDocument(NARROW, null)).toBe(false);
    expect(sameDocument('{not json', '{not json')).toBe(false);
  });

  it('names every used action the narrowed document would no longer allow', () => {
    expect(proofDifferences('P', NARROW, proof(['ecs:DescribeInstances', 'ecs:StartInstance']))).toEqual([]);
    expect(proofDifferences('P', NARROW, proof(['ecs:DescribeInstances', 'ecs:DeleteInstance', 'oss:GetObject']))).toEqual([
      'used action ecs:DeleteInstance (seen 2026-03-03T00:00:00Z – 2026-06-01T00:00:00Z) would no longer be allowed by the narrowed P: implicit-deny',
      'used action oss:GetObject (seen 2026-03-03T00:00:00Z – 2026-06-01T00:00:00Z) would no longer be allowed by the narrowed P: implicit-deny',
    ]);
  });

  it('fails closed: an explicit Deny, a conditional Allow, an unparsable document', () => {
    const denied = JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'ecs:*', Resource: '*' }, { Effect: 'Deny', Action: 'ecs:StartInstance', Resource: '*' }] });
    expect(proofDifferences('P', denied, proof(['ecs:StartInstance']))).toEqual([expect.stringMatching(/ecs:StartInstance .* P: deny$/)]);
    const conditional = JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'ecs:StartInstance', Resource: '*', Condition: { IpAddress: { 'acs:SourceIp': '10.0.0.0/8' } } }] });
    expect(proofDifferences('P', conditional, proof(['ecs:StartInstance']))).toEqual([expect.stringMatching(/only under conditions .*acs:SourceIp/)]);
    expect(proofDifferences('P', '{"Version":"1"}', proof(['ecs:StartInstance']))).toEqual([expect.stringMatching(/does not parse/)]);
  });

  it('accepts a conditional Allow only for actions whose original grant was conditional', () => {
    const conditional = JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: ['ecs:StartInstance', 'ecs:StopInstance'], Resource: '*', Condition: { IpAddress: { 'acs:SourceIp': '10.0.0.0/8' } } }] });
    const both = ['ecs:StartInstance', 'ecs:StopInstance'];
    expect(proofDifferences('P', conditional, { ...proof(both), conditional: ['ecs:StartInstance'] })).toEqual([expect.stringMatching(/ecs:StopInstance .*only under conditions/)]);
    expect(proofDifferences('P', conditional, { ...proof(both), conditional: both })).toEqual([]);
  });
});

describe('narrow-policy', () => {
  const s = narrow();
  const h = handlerFor(s);
  const live = (over: Record<string, unknown> = {}) => ({ exists: true, defaultVersion: 'v1', defaultDocument: WIDE, versions: ['v1'], ...over });

  it('is supported: no refusal, principal is the policy pseudo-group', () => {
    expect(h.refuse?.(s) ?? null).toBeNull();
    expect(h.principal(s)).toEqual({ type: 'group', name: 'policy:EcsOperator' });
  });

  it('as approved: no differences', () => {
    expect(h.differences(s, live(), ctx())).toEqual([]);
  });

  it('drift: another default version, or the policy is gone', () => {
    expect(h.differences(s, live({ defaultVersion: 'v2', versions: ['v1', 'v2'] }), ctx())).toEqual(['defaultVersion: approved "v1", live "v2"']);
    expect(h.differences(s, { exists: false }, ctx())).toEqual(['custom policy EcsOperator no longer exists']);
  });

  it('already narrowed (same document, reformatted) is applied, not drift', () => {
    const done = live({ defaultVersion: 'v2', defaultDocument: NARROW_REFORMATTED, versions: ['v1', 'v2'] });
    expect(h.applied(s, done)).toBe(true);
    expect(h.differences(s, done, ctx())).toEqual([]);
    expect(h.applied(s, live())).toBe(false);
  });

  it('refuses a narrowing that drops a used action, before any write', () => {
    const lossy = narrow(NARROW, ['ecs:DescribeInstances', 'ecs:StartInstance', 'ecs:RebootInstance']);
    expect(h.differences(lossy, live(), ctx())).toEqual([expect.stringMatching(/^used action ecs:RebootInstance .* no longer be allowed/)]);
  });

  it('refuses at the 5-version limit rather than deleting a version', () => {
    expect(h.differences(s, live({ versions: ['v1', 'v2', 'v3', 'v4', 'v5'] }), ctx())).toEqual([
      'policy EcsOperator has 5 versions (the RAM limit); delete an old non-default version, then retry',
    ]);
    expect(h.differences(s, live({ versions: ['v1', 'v2', 'v3', 'v4'] }), ctx())).toEqual([]);
  });

  it('is rolled back when the approved version is the default again', () => {
    expect(h.rolledBack(s, live())).toBe(true);
    expect(h.rolledBack(s, live({ defaultVersion: 'v2' }))).toBe(false);
    expect(h.describe(s)).toBe('RAM CreatePolicyVersion EcsOperator SetAsDefault=true (narrowed to 2 used actions)');
    expect(h.describeRollback(s)).toBe('RAM SetDefaultPolicyVersion EcsOperator v1');
  });
});

describe('attach-policy', () => {
  const s = attach();
  const h = handlerFor(s);
  const live = (over: Record<string, unknown> = {}) => ({ principalExists: true, attached: false, policyExists: false, documentMatches: null, attachmentCount: null, ...over });

  it('writes to the principal it attaches to (protected-principal check)', () => {
    expect(h.principal(s)).toEqual({ type: 'user', name: 'lin' });
  });

  it('as approved: not there yet, or there with the same document but not attached', () => {
    expect(h.differences(s, live(), ctx())).toEqual([]);
    expect(h.differences(s, live({ policyExists: true, documentMatches: true, attachmentCount: 0 }), ctx())).toEqual([]);
  });

  it('a same-named policy with another document is a name clash', () => {
    expect(h.differences(s, live({ policyExists: true, documentMatches: false, attached: true }), ctx())).toEqual([
      'custom policy lin-ecs-narrowed already exists with a different document (name clash): rename or delete that policy, then approve again',
    ]);
  });

  it('the principal is gone: drift', () => {
    expect(h.differences(s, { principalExists: false, attached: false }, ctx())).toEqual(['user lin no longer exists']);
  });

  it('re-checks the proof', () => {
    const lossy = attach(NARROW, ['ecs:DescribeInstances', 'ecs:DeleteInstance']);
    expect(h.differences(lossy, live(), ctx())).toEqual([expect.stringMatching(/^used action ecs:DeleteInstance .* lin-ecs-narrowed: implicit-deny$/)]);
  });

  it('applied = attached with the same document; rolled back = detached and no unheld copy left', () => {
    const done = live({ policyExists: true, documentMatches: true, attached: true, attachmentCount: 1 });
    expect(h.applied(s, done)).toBe(true);
    expect(h.differences(s, done, ctx())).toEqual([]);
    expect(h.applied(s, live({ policyExists: true, documentMatches: true }))).toBe(false);
    expect(h.rolledBack(s, done)).toBe(false);
    expect(h.rolledBack(s, live())).toBe(true);
    // Detached but the generated policy is still there, held by nobody: the delete is still to do.
    expect(h.rolledBack(s, live({ policyExists: true, documentMatches: true, attachmentCount: 0 }))).toBe(false);
    // Held by someone else, or not ours: left alone.
    expect(h.rolledBack(s, live({ policyExists: true, documentMatches: true, attachmentCount: 2 }))).toBe(true);
    expect(h.rolledBack(s, live({ policyExists: true, documentMatches: false, attachmentCount: 0 }))).toBe(true);
  });
});
