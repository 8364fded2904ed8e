/**
 * The emulated account: a mutable in-memory model built from a scenario (see `build-state.ts`).
 * Handlers read it through the indexes below, so per-entity calls stay O(1) on a 10,000-user account;
 * write actions (`actions/ram-write.ts`, `actions/ims-write.ts`) change it through the methods that keep
 * those indexes consistent.
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
  RecycledKeyRecord,
  RoleRecord,
  RootRecord,
  SecretRecord,
  SecurityPreferenceRecord,
  TrailRecord,
  UserRecord,
} from './model.js';

import type { TrailEventStore } from './trail-events.js';

export type * from './model.js';

/** Deleted keys a user's recycle bin keeps at most; a further delete purges the oldest. */
export const RECYCLE_BIN_MAX_KEYS = 3;
/** Days a deleted key stays restorable. */
export const RECYCLE_BIN_DAYS = 30;
const DAY_MS = 86_400_000;

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
  /** ActionTrail trails by name (DescribeTrails, GetTrailStatus). */
  readonly trailConfigs = new Map<string, TrailRecord>();
  /** KMS secrets by name, in listing order (ListSecrets, DescribeSecret). */
  readonly secrets = new Map<string, SecretRecord>();
  /** User name → deleted keys, oldest deletion first. */
  private readonly bins = new Map<string, RecycledKeyRecord[]>();

  constructor(
    readonly account: AccountRecord,
    readonly root: RootRecord,
    public passwordPolicy: PasswordPolicyRecord,
    public securityPreference: SecurityPreferenceRecord,
    /** ActionTrail's event history (LookupEvents). */
    readonly trail: TrailEventStore,
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

  /** Whether a policy is attached to a principal. */
  isAttached(principalType: PrincipalType, principalName: string, policyType: PolicyType, policyName: string): boolean {
    return this.byPrincipal.get(principalKey(principalType, principalName))?.has(policyKey(policyType, policyName)) ?? false;
  }

  /** Adds a user to a group, keeping both sides' membership maps in step. */
  addMember(groupName: string, userName: string, joinDate: Date): void {
    this.groups.get(groupName)?.members.set(userName, joinDate);
    this.users.get(userName)?.groups.set(groupName, joinDate);
  }

  /** Removes a user from a group (both sides); false when the user was not a member. */
  removeMember(groupName: string, userName: string): boolean {
    const had = this.groups.get(groupName)?.members.delete(userName) ?? false;
    this.users.get(userName)?.groups.delete(groupName);
    return had;
  }

  /**
   * Deletes an access key: it can no longer sign, leaves its owner's key list and, for a RAM user's key,
   * goes to the user's recycle bin (at most {@link RECYCLE_BIN_MAX_KEYS}; the oldest deletion is purged).
   */
  deleteKey(key: KeyRecord, now: Date): void {
    this.keys.delete(key.id);
    const owner = key.owner === null ? null : this.users.get(key.owner);
    const list = owner ? owner.keys : this.root.keys;
    const i = list.indexOf(key);
    if (i >= 0) list.splice(i, 1);
    if (!owner) return;
    const bin = this.recycleBin(owner, now);
    bin.push({ key, recycleDate: now, deleteDate: new Date(now.getTime() + RECYCLE_BIN_DAYS * DAY_MS) });
    while (bin.length > RECYCLE_BIN_MAX_KEYS) bin.shift();
  }

  /** A user's recycle bin as of `now` (keys past their deleteDate are purged first). Live array. */
  recycleBin(user: UserRecord, now: Date): RecycledKeyRecord[] {
    let bin = this.bins.get(user.name);
    if (!bin) {
      bin = [];
      this.bins.set(user.name, bin);
    }
    const kept = bin.filter((r) => r.deleteDate.getTime() > now.getTime());
    if (kept.length !== bin.length) bin.splice(0, bin.length, ...kept);
    return bin;
  }

  /** The recycled key with this id, and its user, as of `now`. */
  recycledKey(keyId: string, now: Date): { user: UserRecord; entry: RecycledKeyRecord } | undefined {
    for (const [name, bin] of this.bins) {
      if (!bin.some((r) => r.key.id === keyId)) continue;
      const user = this.users.get(name);
      const entry = user ? this.recycleBin(user, now).find((r) => r.key.id === keyId) : undefined;
      return user && entry ? { user, entry } : undefined;
    }
    return undefined;
  }

  /** Moves a key out of its user's recycle bin back into the user's keys, Inactive. */
  restoreKey(user: UserRecord, entry: RecycledKeyRecord, now: Date): void {
    const bin = this.recycleBin(user, now);
    bin.splice(bin.indexOf(entry), 1);
    const { key } = entry;
    key.status = 'Inactive';
    key.updateDate = now;
    user.keys.push(key);
    user.keys.sort((a, b) => +a.createDate - +b.createDate);
    this.keys.set(key.id, key);
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
