import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decide,
  narrowPolicy,
  parsePolicy,
  POLICY_DOCUMENT_MAX_CHARS,
  type Decision,
  type EffectivePermissions,
  type PolicyDocument,
} from '../../../shared/policy/index.js';

/**
 * The safety property of least-privilege synthesis: whatever the policy (Allow/Deny, Action/NotAction,
 * `*` and `?` wildcards, resources, conditions) and whatever was used, no used action the original
 * allowed loses access, and the result parses and fits RAM's size limit (when it says it does).
 */

const SERVICES = ['ecs', 'oss', 'ram', 'rds'] as const;
const APIS = ['DescribeInstances', 'StartInstance', 'GetObject', 'GetBucketInfo', 'PutObject', 'DeleteObject', 'CreateUser', 'ListUsers'] as const;
const UNIVERSE = SERVICES.flatMap((s) => APIS.map((a) => `${s}:${a}`));

const service = fc.constantFrom(...SERVICES);
const pattern = fc.oneof(
  fc.constantFrom(...UNIVERSE),
  service.map((s) => `${s}:*`),
  service.map((s) => `${s}:Describe*`),
  service.map((s) => `${s}:Get?bject`),
  service.map((s) => `${s.slice(0, 1)}*`),
  fc.constantFrom('*', '*:Get*', '*:List*', 'ecs:*Instance', 'OSS:getobject'),
);
const resources = fc.constantFrom('*', 'acs:oss:*:*:logs/*', 'acs:ecs:*:*:instance/i-1', 'acs:*:*:*:*');
const condition = fc.option(
  fc.constantFrom({ Bool: { 'acs:SecureTransport': 'true' } }, { IpAddress: { 'acs:SourceIp': ['10.0.0.0/8'] } }, { Bool: { 'acs:MFAPresent': true } }),
  { nil: undefined },
);
const statement = fc
  .record({
    effect: fc.constantFrom('Allow', 'Allow', 'Deny'),
    not: fc.boolean(),
    actions: fc.array(pattern, { minLength: 1, maxLength: 3 }),
    notResource: fc.boolean(),
    resources: fc.array(resources, { minLength: 1, maxLength: 2 }),
    condition,
  })
  .map((s) => ({
    Effect: s.effect,
    [s.not ? 'NotAction' : 'Action']: s.actions.length === 1 ? s.actions[0] : s.actions,
    [s.notResource && s.effect === 'Deny' ? 'NotResource' : 'Resource']: s.resources,
    ...(s.condition ? { Condition: s.condition } : {}),
  }));
const policy = fc.array(statement, { minLength: 1, maxLength: 5 }).map((Statement) => JSON.stringify({ Version: '1', Statement }));
/** Used actions from the whole universe: some granted, some not; spelling varies as ActionTrail's may. */
const used = fc.uniqueArray(fc.constantFrom(...UNIVERSE, 'ecs:describeinstances', 'vpc:DescribeVpcs'), { maxLength: 12 });

const RANK: Record<Decision, number> = { allow: 2, conditional: 1, deny: 0, 'implicit-deny': 0, unknown: 0 };
function permissionsOf(document: PolicyDocument): EffectivePermissions {
  return {
    identity: { type: 'user', name: 'prop' },
    policies: [{ policy: { name: 'p', type: 'Custom' }, via: 'direct', path: [], document }],
    unattributed: [],
    unknowns: [],
  };
}

describe('narrowPolicy (property)', () => {
  it('never removes an action used in the window, and stays parseable and within the size limit', () => {
    const seen = { narrowed: 0, collapsed: 0 };
    fc.assert(
      fc.property(policy, used, fc.constantFrom(POLICY_DOCUMENT_MAX_CHARS, 160), (document, actions, maxChars) => {
        const narrowing = narrowPolicy({ document, policy: { name: 'p', type: 'Custom' }, used: actions, maxChars });
        if (narrowing === null) return;
        seen.narrowed += 1;
        if (narrowing.collapsed) seen.collapsed += 1;
        const before = permissionsOf(parsePolicy(document));
        const after = permissionsOf(parsePolicy(narrowing.document));
        if (narrowing.fits) expect(narrowing.document.length).toBeLessThanOrEqual(maxChars);
        for (const action of actions) {
          const was = decide(before, action).decision;
          const now = decide(after, action).decision;
          if (was === 'allow' || was === 'conditional') expect({ action, now: RANK[now] >= RANK[was] }).toEqual({ action, now: true });
          // Nothing the original did not grant is granted now.
          expect({ action, widened: RANK[now] > RANK[was] }).toEqual({ action, widened: false });
        }
      }),
      { seed: 20261128, numRuns: 400 },
    );
    // The generators must reach both paths, or the property proves little.
    expect(seen.narrowed).toBeGreaterThan(100);
    expect(seen.collapsed).toBeGreaterThan(20);
  });
});
