/**
 * The emulated account: a mutable in-memory model built from a scenario (see `build-state.ts`).
 * Handlers read it through the indexes below, so per-entity calls stay O(1) on a 10,000-user account;
 * write actions (a later issue) change it through the methods that keep those indexes consistent.
 */

import type {
  AccountRecord,
  Attachment,
  GroupRecord,
  KeyRecord,
  PasswordPolicyRecord,
  PolicyRecord,
  PolicyType,
  PrincipalType,
  RoleRecord,
  RootRecord,
  SecurityPreferenceRecord,
  UserRecord,
} from './model.js';

export type * from './model.js';

/** Index key of a policy: System and Custom policies live in separate name spaces. */
export function policyKey(type: PolicyType, name: string): string {
  return `${type}:${name}`;
}

/** Index key of an attachment target. */
export function principalKey(type: PrincipalType, name: string): string {
  return `${type}:${name}`;
}

/** The emulated account and its indexes. */
export class EmulatorState {
  readonly users = new Map<string, UserRecord>();
  readonly usersById = new Map<string, UserRecord>();
  readonly groups = new Map<string, GroupRecord>();
  /** Keyed by {@link policyKey}; System policies first, in catalog order, then Custom ones. */
  readonly policies = new Map<string, PolicyRecord>();
  readonly roles = new Map<string, RoleRecord>();
  /** Every access key (users' and root's) by id, for signature checks and IMS GetUser by key. */
  readonly keys = new Map<string, KeyRecord>();
  private readonly byPolicy = new Map<string, Map<string, Attachment>>();
  private readonly byPrincipal = new Map<string, Map<string, Attachment>>();
  private lists = new Map<string, unknown[]>();

  constructor(
    readonly account: AccountRecord,
    readonly root: RootRecord,
    public passwordPolicy: PasswordPolicyRecord,
    public securityPreference: SecurityPreferenceRecord,
    readonly events: Record<string, unknown>[],
  ) {}

  /** Users in listing order; cached until the next structural change ({@link invalidate}). */
  userList(): readonly UserRecord[] {
    return this.cached('users', () => [...this.users.values()]);
  }

  /** Groups in listing order (cached like {@link userList}). */
  groupList(): readonly GroupRecord[] {
    return this.cached('groups', () => [...this.groups.values()]);
  }

  /** System then Custom policies, in listing order (cached). */
  policyList(): readonly PolicyRecord[] {
    return this.cached('policies', () => [...this.policies.values()]);
  }

  /** Roles in listing order (cached). */
  roleList(): readonly RoleRecord[] {
    return this.cached('roles', () => [...this.roles.values()]);
  }

  /** Users with a bound MFA device, in listing order. */
  mfaUsers(): readonly UserRecord[] {
    return this.cached('mfa', () => this.userList().filter((u) => u.mfa !== null));
  }

  /** Call after adding/removing users, groups, policies, roles or MFA devices. */
  invalidate(): void {
    this.lists = new Map();
  }

  /** `name@defaultDomain`, the IMS identity of a user. */
  upn(user: UserRecord): string {
    return `${user.name}@${this.account.defaultDomain}`;
  }

  /** The user an IMS UserPrincipalName designates; the domain must be the account's. */
  userByUpn(upn: string): UserRecord | undefined {
    const at = upn.lastIndexOf('@');
    if (at < 0 || upn.slice(at + 1).toLowerCase() !== this.account.defaultDomain.toLowerCase()) return undefined;
    return this.users.get(upn.slice(0, at));
  }

  /** A policy by type and name. */
  policy(type: PolicyType, name: string): PolicyRecord | undefined {
    return this.policies.get(policyKey(type, name));
  }

  /** Attachments of one policy (users, groups, roles), in attach order. */
  attachmentsOfPolicy(type: PolicyType, name: string): Attachment[] {
    return [...(this.byPolicy.get(policyKey(type, name))?.values() ?? [])];
  }

  /** How many users, groups and roles a policy is attached to (ListPolicies `AttachmentCount`). */
  attachmentCount(type: PolicyType, name: string): number {
    return this.byPolicy.get(policyKey(type, name))?.size ?? 0;
  }

  /** Policies attached to one user, group or role. */
  attachmentsOf(type: PrincipalType, name: string): Attachment[] {
    return [...(this.byPrincipal.get(principalKey(type, name))?.values() ?? [])];
  }

  /** Records an attachment in both indexes (idempotent, like RAM treating a re-attach as a conflict). */
  attach(a: Attachment): void {
    const pk = policyKey(a.policyType, a.policyName);
    const tk = principalKey(a.principalType, a.principalName);
    getOrCreate(this.byPolicy, pk).set(tk, a);
    getOrCreate(this.byPrincipal, tk).set(pk, a);
  }

  /** Removes an attachment from both indexes; false when there was none. */
  detach(principalType: PrincipalType, principalName: string, policyType: PolicyType, policyName: string): boolean {
    const pk = policyKey(policyType, policyName);
    const tk = principalKey(principalType, principalName);
    const had = this.byPolicy.get(pk)?.delete(tk) ?? false;
    this.byPrincipal.get(tk)?.delete(pk);
    return had;
  }

  /** Adds a user to a group, keeping both sides' membership maps in step. */
  addMember(groupName: string, userName: string, joinDate: Date): void {
    this.groups.get(groupName)?.members.set(userName, joinDate);
    this.users.get(userName)?.groups.set(groupName, joinDate);
  }

  private cached<T>(key: string, build: () => T[]): readonly T[] {
    let list = this.lists.get(key) as T[] | undefined;
    if (!list) {
      list = build();
      this.lists.set(key, list);
    }
    return list;
  }
}

function getOrCreate<K, V>(map: Map<K, Map<string, V>>, key: K): Map<string, V> {
  let inner = map.get(key);
  if (!inner) {
    inner = new Map();
    map.set(key, inner);
  }
  return inner;
}
