import { buildAccessIndex, policyKey, policyLabel } from '../domain/access.js';
import type { AccountSnapshot, RamPolicy } from '../domain/snapshot.js';
import { tryParsePolicy, type PolicyDocument } from './document.js';
import type { PolicyParseError } from './errors.js';

/**
 * The effective permissions of a RAM user (own policies plus those of its groups) or role, read from
 * an account snapshot through the access index (`shared/domain/access.ts`), with every document
 * parsed. What could not be read is listed in `unknowns`, so {@link decide} can fail closed.
 */

export const IDENTITY_TYPES = ['user', 'role'] as const;
/** Identities that call APIs: users directly, roles through STS sessions. Groups only pass policies on. */
export type IdentityType = (typeof IDENTITY_TYPES)[number];

/** A user or role, by RAM name (compared case-insensitively). */
export interface Identity {
  type: IdentityType;
  name: string;
}

/** A policy by name and type: the pair is unique in an account. */
export type PolicyRef = Pick<RamPolicy, 'name' | 'type'>;

/** How a policy reaches the identity: attached to it, or through a group it is a member of. */
export type Via = 'direct' | { group: string };

/** One policy that applies to the identity, parsed. */
export interface EffectivePolicy {
  policy: PolicyRef;
  via: Via;
  /** Evidence chain, e.g. `["user:alice", "group:admins", "policy:AdministratorAccess (System)"]`. */
  path: string[];
  document: PolicyDocument;
}

/** A policy attached somewhere we do not know (its attachments could not be listed): any identity may hold it. */
export interface UnattributedPolicy {
  policy: PolicyRef;
  /** Null when the document was not collected or could not be parsed. */
  document: PolicyDocument | null;
}

/** Everything the snapshot says about what one identity may do. */
export interface EffectivePermissions {
  identity: Identity;
  policies: EffectivePolicy[];
  unattributed: UnattributedPolicy[];
  /** Why `policies` may be incomplete: membership unknown, a document missing or unreadable, identity not listed. */
  unknowns: string[];
}

/**
 * Returns a resolver for identities of one snapshot. The access index is built once and each policy
 * document parsed once, since thousands of users share the same few system policies.
 */
export function permissionsResolver(snapshot: AccountSnapshot): (identity: Identity) => EffectivePermissions {
  const index = buildAccessIndex(snapshot);
  const parsed = new Map<string, PolicyDocument | PolicyParseError | null>();
  const read = (policy: RamPolicy): PolicyDocument | PolicyParseError | null => {
    const key = policyKey(policy);
    if (!parsed.has(key)) parsed.set(key, policy.document === null ? null : tryParsePolicy(policy.document));
    return parsed.get(key) ?? null;
  };
  const listed = {
    user: new Set(snapshot.users.map((u) => u.name.toLowerCase())),
    role: new Set(snapshot.roles.map((r) => r.name.toLowerCase())),
  };
  const unattributed = index.unattributed.map((policy): UnattributedPolicy => {
    const doc = read(policy);
    return { policy: { name: policy.name, type: policy.type }, document: doc instanceof Error ? null : doc };
  });

  return (identity) => {
    const access = index.forPrincipal(identity.type, identity.name);
    const unknowns = [...access.unknowns];
    if (!listed[identity.type].has(identity.name.toLowerCase())) {
      unknowns.push(`${identity.type} ${identity.name} is not in the snapshot`);
    }
    const policies: EffectivePolicy[] = [];
    for (const grant of access.grants) {
      const doc = read(grant.policy);
      // A null document is already in access.unknowns.
      if (doc instanceof Error) unknowns.push(`${policyLabel(grant.policy)}: ${doc.message}`);
      else if (doc !== null) {
        policies.push({
          policy: { name: grant.policy.name, type: grant.policy.type },
          via: grant.via === null ? 'direct' : { group: grant.via },
          path: grant.path,
          document: doc,
        });
      }
    }
    return { identity, policies, unattributed, unknowns };
  };
}

/** The effective permissions of one identity; use {@link permissionsResolver} for many. */
export function effectivePermissions(snapshot: AccountSnapshot, identity: Identity): EffectivePermissions {
  return permissionsResolver(snapshot)(identity);
}
