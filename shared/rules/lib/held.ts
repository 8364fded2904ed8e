import { buildAccessIndex, policyKey, type IdentityAccess, type PolicyGrant } from '../../domain/access.js';
import type { AccountSnapshot, RamPolicy } from '../../domain/snapshot.js';
import { describeStatement, type PolicyDocument, type StatementRef } from '../../policy/index.js';
import { documentReader, type DocumentRead } from './documents.js';
import { identitiesOf, type IdentityRef } from './identities.js';

/** The readable policies an identity holds (own and through groups), with the grant paths to each. */
export interface HeldPolicies {
  entries: Array<{ policy: RamPolicy; grants: PolicyGrant[]; doc: PolicyDocument }>;
  /** Why the set may be incomplete: membership unknown, a document missing or unreadable. */
  unknowns: string[];
}

export function heldPolicies(access: IdentityAccess, read: (policy: RamPolicy) => DocumentRead): HeldPolicies {
  const byPolicy = new Map<string, HeldPolicies['entries'][number]>();
  const unknowns = [...access.unknowns];
  for (const grant of access.grants) {
    const key = policyKey(grant.policy);
    const known = byPolicy.get(key);
    if (known) {
      known.grants.push(grant);
      continue;
    }
    const r = read(grant.policy);
    if (r.ok) byPolicy.set(key, { policy: grant.policy, grants: [grant], doc: r.doc });
    else if (grant.policy.document !== null && !unknowns.includes(r.reason)) unknowns.push(r.reason);
  }
  return { entries: [...byPolicy.values()], unknowns };
}

/** Evidence chains (`user:x`, `group:g`, `policy:P (Custom)`, `statement 2: …`) to one statement, deduplicated. */
export function statementChains(held: HeldPolicies, refs: readonly StatementRef[], max = 10): string[][] {
  const out: string[][] = [];
  for (const ref of refs) {
    for (const g of held.entries[ref.doc]?.grants ?? []) {
      const path = [...g.path, describeStatement(ref.statement)];
      if (!out.some((p) => p.join('\u0000') === path.join('\u0000'))) out.push(path);
    }
  }
  return out.slice(0, max);
}

/** Every user and role (groups are judged through their members) with the policies it holds. */
export function* heldByIdentity(snapshot: AccountSnapshot, ignoreRoles: readonly string[]): Generator<{ identity: IdentityRef; held: HeldPolicies }> {
  const index = buildAccessIndex(snapshot);
  const read = documentReader();
  for (const identity of identitiesOf(snapshot, ignoreRoles)) {
    if (identity.type === 'group') continue;
    yield { identity, held: heldPolicies(index.forPrincipal(identity.type, identity.name), read) };
  }
}
