import { plans, type NarrowingProof, type PlanStep, type RemediationPlan } from '../../domain/remediation.js';
import type { PrincipalType, RamPolicy } from '../../domain/snapshot.js';
import {
  generatedPolicyName,
  narrowPolicy,
  parsePolicy,
  proveNarrowing,
  type Narrowing,
  type NarrowingProofResult,
  type PolicyDocument,
} from '../../policy/index.js';
import { shortList } from './identities.js';
import type { UsageWindow } from './usage.js';

/** A narrowing that passed its what-if proof, or why none is offered. */
export type CheckedNarrowing =
  | { ok: true; narrowing: Narrowing; proof: NarrowingProofResult; proofLine: string }
  | { ok: false; narrowing: Narrowing | null; proofLine: string | null; note: string };

/** The proof as one line for the owner: what was checked and what it showed. */
function proofLine(proof: NarrowingProofResult): string {
  const granted = proof.checks.filter((c) => c.before === 'allow' || c.before === 'conditional');
  if (proof.ok) return `what-if check: all ${granted.length} used action(s) the policy granted are still allowed with the new document`;
  const bad = [...proof.failures, ...proof.broadened].map((c) => `${c.action} ${c.before} → ${c.after}`);
  return `what-if check FAILED: ${shortList(bad, 5)}`;
}

/**
 * Synthesizes the narrowed document from `used` (every affected identity's actions) and proves it
 * with {@link proveNarrowing} before anything is offered: a failing proof or an oversized document
 * means no plan, only a note (fail closed).
 */
export function checkedNarrowing(policy: RamPolicy, text: string, doc: PolicyDocument, used: readonly string[]): CheckedNarrowing {
  const narrowing = narrowPolicy({ document: text, policy, used });
  if (!narrowing) return { ok: false, narrowing: null, proofLine: null, note: 'the identities it affects use every grant of the policy, so there is nothing to narrow' };
  if (narrowing.kept.length === 0) return { ok: false, narrowing, proofLine: null, note: 'the narrowed policy would grant nothing' };
  if (!narrowing.fits) return { ok: false, narrowing, proofLine: null, note: narrowing.notes.join('; ') };
  const proof = proveNarrowing([doc], [parsePolicy(narrowing.document)], used);
  const line = proofLine(proof);
  if (!proof.ok) return { ok: false, narrowing, proofLine: line, note: `no plan: ${line}` };
  return { ok: true, narrowing, proof, proofLine: line };
}

const removedText = (n: Narrowing): string => shortList(n.removed, 3);

/**
 * The proof a step carries for the executor's re-check: the kept actions, and those the new document
 * allows only under the condition the original grant had (the what-if proof has already shown that
 * none of them was an unconditional Allow before).
 */
function stepProof(n: Narrowing, window: UsageWindow): NarrowingProof {
  const after = parsePolicy(n.document);
  const conditional = proveNarrowing([after], [after], n.kept)
    .checks.filter((c) => c.after === 'conditional')
    .map((c) => c.action);
  return { used: n.kept, ...(conditional.length > 0 ? { conditional } : {}), window: window.iso };
}

/** Custom policy: a new default version with the narrowed document; rollback sets today's default again. */
export function narrowPlan(policy: RamPolicy, n: Narrowing, window: UsageWindow): RemediationPlan {
  const step: PlanStep = {
    action: 'narrow-policy',
    target: { policyName: policy.name, document: n.document },
    expect: { defaultVersion: policy.defaultVersion },
    proof: stepProof(n, window),
    rollback: { call: 'SetDefaultPolicyVersion', versionId: policy.defaultVersion },
  };
  return {
    summary: `make a new default version of custom policy ${policy.name} granting only the ${n.kept.length} action(s) its holders used (removes ${removedText(n)}; reversible: ${policy.defaultVersion} becomes the default again)`,
    steps: [step],
  };
}

/** One principal's replacement of a system policy: what to attach, and the narrowing behind it. */
export interface Replacement {
  principalType: PrincipalType;
  principalName: string;
  narrowing: Narrowing;
}

/**
 * System policy: for each principal, attach a generated custom policy with the used actions, then
 * detach the system policy (attach first, so no holder is ever without the actions it uses).
 */
export function replacePlan(policy: RamPolicy, replacements: readonly Replacement[], window: UsageWindow): RemediationPlan {
  const steps: PlanStep[] = replacements.flatMap((r) => {
    const name = generatedPolicyName(r.principalName, policy.name);
    const attach: PlanStep = {
      action: 'attach-policy',
      target: {
        principalType: r.principalType,
        principalName: r.principalName,
        policyName: name,
        policyType: 'Custom',
        document: r.narrowing.document,
        description: `ramparts: the actions of ${policy.name} that ${r.principalType} ${r.principalName} used from ${window.iso.from.slice(0, 10)} to ${window.iso.to.slice(0, 10)}`,
      },
      expect: { attached: false },
      proof: stepProof(r.narrowing, window),
      rollback: { call: 'DetachPolicyFrom', deletePolicy: true },
    };
    return [attach, ...plans.detachPolicy(r.principalType, r.principalName, policy.name, policy.type).steps];
  });
  const who = replacements.map((r) => `${r.principalType} ${r.principalName}`).join(', ');
  const first = replacements[0];
  return {
    summary: `replace system policy ${policy.name} on ${who} with ${first ? generatedPolicyName(first.principalName, policy.name) : 'a generated custom policy'} granting only the used action(s) (removes ${first ? removedText(first.narrowing) : 'the rest'}; reversible: attach ${policy.name} again, detach and delete the generated policy)`,
    steps,
  };
}
