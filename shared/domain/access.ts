import type { AccountSnapshot, PrincipalType, RamPolicy, RamUser } from './snapshot.js';

/**
 * Who holds which policy, and through what: an index over a snapshot built from the inverted listing
 * (`RamPolicy.attachments`, one call per policy) and group membership (`RamUser.groups` and
 * `RamGroup.members`, merged). Building it is O(users + members + attachments); accounts have 10,000+
 * users, so nothing here walks users × policies. Names are compared case-insensitively, as RAM does.
 */

/** One policy that applies to an identity, and the chain that grants it. */
export interface PolicyGrant {
  policy: RamPolicy;
  /** The group the policy comes through; null when attached to the identity itself. */
  via: string | null;
  /** e.g. `["user:alice", "group:admins", "policy:AdministratorAccess (System)"]`. */
  path: string[];
}

/** The policies of one user, group or role, with what could not be known about them. */
export interface IdentityAccess {
  type: PrincipalType;
  name: string;
  grants: PolicyGrant[];
  /**
   * Why `grants` may be incomplete or unreadable (group membership unknown, a policy document not
   * fetched). Empty means complete, as far as attributed policies go (see {@link AccessIndex.unattributed}).
   */
  unknowns: string[];
}

/** Lookups over one snapshot; see {@link buildAccessIndex}. */
export interface AccessIndex {
  /** Policies of a user (direct and through groups), group or role. */
  forPrincipal(type: PrincipalType, name: string): IdentityAccess;
  /** Groups of a user (listed on the user or on the group); null when membership is unknown. */
  groupsOf(userName: string): string[] | null;
  /**
   * Policies whose attachments could not be listed but which are attached somewhere: any identity may
   * hold them. Rules decide whether such a policy matters to them (and then return `unknown`).
   */
  unattributed: RamPolicy[];
}

/** `System:AdministratorAccess`: unique across both policy types. */
export function policyKey(policy: Pick<RamPolicy, 'name' | 'type'>): string {
  return `${policy.type}:${policy.name}`;
}

/** `policy:AdministratorAccess (System)`, as shown in evidence paths. */
export function policyLabel(policy: Pick<RamPolicy, 'name' | 'type'>): string {
  return `policy:${policy.name} (${policy.type})`;
}

function principalKey(type: PrincipalType, name: string): string {
  return `${type}:${name.toLowerCase()}`;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Builds the index; see the module comment for what it reads and what it costs. */
export function buildAccessIndex(snapshot: AccountSnapshot): AccessIndex {
  const attached = new Map<string, RamPolicy[]>();
  const unattributed: RamPolicy[] = [];
  for (const policy of snapshot.policies) {
    if (policy.attachments === null) {
      // ListPolicies' AttachmentCount tells "attached nowhere" apart from "attached, but we do not know where".
      if (policy.attachmentCount !== 0) unattributed.push(policy);
      continue;
    }
    for (const a of policy.attachments) push(attached, principalKey(a.principalType, a.principalName), policy);
  }

  const usersByName = new Map<string, RamUser>(snapshot.users.map((u) => [u.name.toLowerCase(), u]));
  const groupsByMember = new Map<string, string[]>();
  const groupNames = new Map<string, string>();
  let allMembersKnown = true;
  for (const group of snapshot.groups) {
    groupNames.set(group.name.toLowerCase(), group.name);
    if (group.members === null) allMembersKnown = false;
    else for (const member of group.members) push(groupsByMember, member.toLowerCase(), group.name);
  }

  function groupsOf(userName: string): string[] | null {
    const listed = usersByName.get(userName.toLowerCase())?.groups ?? null;
    const fromMembers = groupsByMember.get(userName.toLowerCase()) ?? [];
    // The user's own listing is authoritative when present; members lists fill in when it is not.
    if (listed === null && !allMembersKnown) return null;
    const seen = new Map<string, string>();
    for (const g of [...(listed ?? []), ...fromMembers]) seen.set(g.toLowerCase(), groupNames.get(g.toLowerCase()) ?? g);
    return [...seen.values()];
  }

  function grantsOf(type: PrincipalType, name: string, prefix: string[], via: string | null): PolicyGrant[] {
    return (attached.get(principalKey(type, name)) ?? []).map((policy) => ({
      policy,
      via,
      path: [...prefix, policyLabel(policy)],
    }));
  }

  function forPrincipal(type: PrincipalType, name: string): IdentityAccess {
    const self = `${type}:${name}`;
    const grants = grantsOf(type, name, [self], null);
    const unknowns: string[] = [];
    if (type === 'user') {
      const groups = groupsOf(name);
      if (groups === null) unknowns.push(`group membership of ${name} is unknown`);
      for (const group of groups ?? []) grants.push(...grantsOf('group', group, [self, `group:${group}`], group));
    }
    for (const grant of grants) {
      if (grant.policy.document === null) unknowns.push(`document of ${policyLabel(grant.policy)} was not collected`);
    }
    return { type, name, grants, unknowns };
  }

  return { forPrincipal, groupsOf, unattributed };
}
