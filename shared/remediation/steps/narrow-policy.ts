import { isDeepStrictEqual } from 'node:util';
import { $Ram } from '../../cloud/sdk.js';
import type { NarrowingProof, PlanStep } from '../../domain/remediation.js';
import { decide, tryParsePolicy, type EffectivePermissions } from '../../policy/index.js';
import { notExist, read, write, type HandlerFor, type Observation, type StepContext } from './types.js';

type Narrow = Extract<PlanStep, { action: 'narrow-policy' }>;

/**
 * Versions a custom policy keeps at most (reference §1.6: quota `VersionsPerPolicyQuota`, commonly 5).
 * CreatePolicyVersion past it answers `LimitExceeded.Policy.Version`; ramparts never frees a slot by
 * itself (RotateStrategy would silently delete the oldest non-default version, which may be someone's
 * rollback point), so the step is refused and a person deletes one.
 */
export const POLICY_VERSION_LIMIT = 5;

/** Two policy documents are the same when their JSON is (RAM may re-indent what it stores; key order does not matter). */
export function sameDocument(a: unknown, b: unknown): boolean {
  if (typeof a !== 'string' || typeof b !== 'string') return false;
  try {
    return isDeepStrictEqual(JSON.parse(a), JSON.parse(b));
  } catch {
    return false;
  }
}

/**
 * The re-checked what-if proof: every action used in the lookback window must still be allowed by
 * `document`, decided by the policy engine on that document alone. Fail closed: a conditional Allow
 * is not an Allow (the request context that satisfied it is unknown) unless the proof lists the action
 * as conditional already before the change (`proof.conditional`), an unparsable document allows
 * nothing. Returns one difference per action that would be lost.
 */
export function proofDifferences(policyName: string, document: string, proof: NarrowingProof): string[] {
  const parsed = tryParsePolicy(document);
  if (parsed instanceof Error) return [`the narrowed document of ${policyName} does not parse (${parsed.message}); nothing can be proved`];
  const permissions: EffectivePermissions = {
    identity: { type: 'user', name: `policy:${policyName}` },
    policies: [{ policy: { name: policyName, type: 'Custom' }, via: 'direct', path: [`policy:${policyName} (narrowed)`], document: parsed }],
    unattributed: [],
    unknowns: [],
  };
  const out: string[] = [];
  for (const action of proof.used) {
    const answer = decide(permissions, action);
    if (answer.decision === 'allow') continue;
    // A grant that was conditional before the change may stay conditional (same condition, kept verbatim).
    if (answer.decision === 'conditional' && proof.conditional?.includes(action)) continue;
    const why = answer.decision === 'conditional' ? `only under conditions ${JSON.stringify(answer.conditions ?? {})}` : answer.decision;
    out.push(`used action ${action} (seen ${proof.window.from} – ${proof.window.to}) would no longer be allowed by the narrowed ${policyName}: ${why}`);
  }
  return out;
}

/** A custom policy's default version and document (GetPolicy), or `exists: false`. */
export async function readCustomPolicy(ctx: StepContext, policyName: string): Promise<Observation> {
  try {
    const res = await read(ctx, 'ram', 'GetPolicy', () => ctx.clients.ram.getPolicy(new $Ram.GetPolicyRequest({ policyName, policyType: 'Custom' })));
    const body = res.body;
    return {
      exists: true,
      defaultVersion: body?.defaultPolicyVersion?.versionId ?? body?.policy?.defaultVersion ?? null,
      defaultDocument: body?.defaultPolicyVersion?.policyDocument ?? body?.policy?.policyDocument ?? null,
      attachmentCount: body?.policy?.attachmentCount ?? null,
    };
  } catch (err) {
    if (notExist(err)) return { exists: false };
    throw err;
  }
}

async function readNarrow(ctx: StepContext, s: Narrow): Promise<Observation> {
  const policy = await readCustomPolicy(ctx, s.target.policyName);
  if (!policy.exists) return policy;
  const res = await read(ctx, 'ram', 'ListPolicyVersions', () =>
    ctx.clients.ram.listPolicyVersions(new $Ram.ListPolicyVersionsRequest({ policyName: s.target.policyName, policyType: 'Custom' })),
  );
  const versions = (res.body?.policyVersions?.policyVersion ?? []).map((v) => v.versionId ?? '?');
  const { attachmentCount: _count, ...rest } = policy;
  return { ...rest, versions };
}

const isApplied = (s: Narrow, live: Observation) => live.exists === true && sameDocument(live.defaultDocument, s.target.document);

/**
 * CreatePolicyVersion (SetAsDefault=true) with the narrowed document; rollback SetDefaultPolicyVersion
 * back to the version the approver saw. The narrowed version is left in place on rollback: once not
 * default it grants nothing, it records what was applied, and deleting it would need a further
 * write permission (DeletePolicyVersion) for no safety gain. It does hold one of the 5 version slots.
 *
 * The policy is not a principal: the `group`-typed `policy:<name>` pseudo principal never matches a
 * protected one, so the protected-principal check does not stop a narrowing of a policy a protected
 * principal holds (separation of duties sees its holders through `Membership.attachmentsOfPolicy`).
 */
export const narrowPolicy: HandlerFor<'narrow-policy'> = {
  action: 'narrow-policy',
  principal: (s) => ({ type: 'group', name: `policy:${s.target.policyName}` }),
  read: readNarrow,
  differences(s, live) {
    if (live.exists !== true) return [`custom policy ${s.target.policyName} no longer exists`];
    const out: string[] = [];
    // Already the narrowed document (e.g. narrowed by hand the same way): not drift.
    if (!isApplied(s, live)) {
      if (live.defaultVersion !== s.expect.defaultVersion) {
        out.push(`defaultVersion: approved ${JSON.stringify(s.expect.defaultVersion)}, live ${JSON.stringify(live.defaultVersion ?? null)}`);
      }
      const versions = Array.isArray(live.versions) ? live.versions.length : 0;
      if (versions >= POLICY_VERSION_LIMIT) {
        out.push(`policy ${s.target.policyName} has ${versions} versions (the RAM limit); delete an old non-default version, then retry`);
      }
    }
    return [...out, ...proofDifferences(s.target.policyName, s.target.document, s.proof)];
  },
  applied: isApplied,
  rolledBack: (s, live) => live.defaultVersion === s.rollback.versionId,
  describe: (s) => `RAM CreatePolicyVersion ${s.target.policyName} SetAsDefault=true (narrowed to ${s.proof.used.length} used actions)`,
  async apply(ctx, s) {
    await write(ctx, 'ram', 'CreatePolicyVersion', () =>
      ctx.clients.ram.createPolicyVersion(
        new $Ram.CreatePolicyVersionRequest({ policyName: s.target.policyName, policyDocument: s.target.document, setAsDefault: true, rotateStrategy: 'None' }),
      ),
    );
  },
  describeRollback: (s) => `RAM SetDefaultPolicyVersion ${s.target.policyName} ${s.rollback.versionId}`,
  async rollback(ctx, s) {
    await write(ctx, 'ram', 'SetDefaultPolicyVersion', () =>
      ctx.clients.ram.setDefaultPolicyVersion(new $Ram.SetDefaultPolicyVersionRequest({ policyName: s.target.policyName, versionId: s.rollback.versionId })),
    );
  },
};
