/**
 * The what-if proof of a least-privilege narrowing (`narrow.ts`): every used action decided, through
 * {@link decide}, against the documents before and after.
 */
import { decide, type Decision } from './decide.js';
import type { PolicyDocument } from './document.js';
import { byServiceThenName } from './narrow.js';

/** One used action, decided against the documents before and after. */
export interface NarrowingCheck {
  action: string;
  before: Decision;
  after: Decision;
}

/** The result of {@link proveNarrowing}: `ok` when no used action lost (or gained) access. */
export interface NarrowingProofResult {
  ok: boolean;
  checks: NarrowingCheck[];
  /** Used actions allowed (or conditional) before and less than that after. */
  failures: NarrowingCheck[];
  /** Used actions the new documents allow more than before: synthesis must never widen. */
  broadened: NarrowingCheck[];
}

const RANK: Record<Decision, number> = { allow: 2, conditional: 1, deny: 0, 'implicit-deny': 0, unknown: 0 };

function asPermissions(docs: readonly PolicyDocument[]): Parameters<typeof decide>[0] {
  return {
    identity: { type: 'user', name: '(what-if)' },
    policies: docs.map((document, i) => ({ policy: { name: `doc-${i + 1}`, type: 'Custom' }, via: 'direct', path: [], document })),
    unattributed: [],
    unknowns: [],
  };
}

/**
 * The what-if proof: decides every used action against the documents before and after. It fails
 * when a used action allowed before is not allowed after (or conditional before and denied after),
 * and when one gains access (a synthesis bug).
 */
export function proveNarrowing(before: readonly PolicyDocument[], after: readonly PolicyDocument[], used: readonly string[]): NarrowingProofResult {
  const [b, a] = [asPermissions(before), asPermissions(after)];
  const checks = [...new Set(used)].sort(byServiceThenName).map((action) => ({ action, before: decide(b, action).decision, after: decide(a, action).decision }));
  const failures = checks.filter((c) => RANK[c.after] < RANK[c.before]);
  const broadened = checks.filter((c) => RANK[c.after] > RANK[c.before]);
  return { ok: failures.length === 0 && broadened.length === 0, checks, failures, broadened };
}

