import type { Accounts } from '../accounts.js';
import type { CredentialReports } from '../credential-report.js';
import { type ApiError, entityNotExist, invalidParameter } from '../errors.js';
import type { GroupRecord, KeyRecord, PolicyRecord, PolicyType, RoleRecord, UserRecord } from '../model.js';
import type { Params } from '../params.js';
import type { EmulatorState } from '../state.js';

/**
 * Who signed the request: a RAM user's key, the account itself (a root key, or no key when unverified),
 * or an STS session of a role (temporary `STS.` key plus security token from AssumeRole).
 */
export type Caller =
  | { kind: 'user'; user: UserRecord; key: KeyRecord }
  | { kind: 'root'; key: KeyRecord | null }
  | { kind: 'role'; role: RoleRecord; sessionName: string; key: KeyRecord };

/** Everything an action handler may use. Handlers are synchronous and never read the real clock. */
export interface ActionContext {
  readonly params: Params;
  /** The account the caller's credentials belong to. */
  readonly state: EmulatorState;
  /** Every emulated account and the STS sessions (AssumeRole, ResourceManager ListAccounts). */
  readonly accounts: Accounts;
  /** The emulator clock's now, read once per request. */
  readonly now: Date;
  readonly caller: Caller;
  readonly reports: CredentialReports;
  /** Real milliseconds (monotonic), for processing delays such as the credential report's. */
  readonly realMs: number;
}

/** A response body without `RequestId` (the server adds it), with PascalCase wire names. */
export type WireBody = Record<string, unknown>;
export type ActionHandler = (ctx: ActionContext) => WireBody;
export type ActionTable = Readonly<Record<string, ActionHandler>>;

/** The RAM user named by `UserName`; 404 `EntityNotExist.User`. */
export function userByName(ctx: ActionContext, param = 'UserName'): UserRecord {
  const name = ctx.params.required(param);
  const user = ctx.state.users.get(name);
  if (!user) throw entityNotExist('User', 'user', name);
  return user;
}

/** The RAM user named by the IMS `UserPrincipalName`; 404 `EntityNotExist.User`. */
export function userByUpn(ctx: ActionContext): UserRecord {
  const upn = ctx.params.required('UserPrincipalName');
  const user = ctx.state.userByUpn(upn);
  if (!user) throw entityNotExist('User', 'user', upn);
  return user;
}

/** The RAM user with the IMS `UserId`; 404 `EntityNotExist.User`. */
export function userById(ctx: ActionContext): UserRecord {
  const id = ctx.params.required('UserId');
  const user = ctx.state.usersById.get(id);
  if (!user) throw entityNotExist('User', 'user', id);
  return user;
}

/**
 * 404 for a key that is not in a recycle bin (never deleted, restored, or purged after 30 days).
 * UNVERIFIED: the IMS docs name no code for this; `EntityNotExist.AccessKey.RecycleBin` is the emulator's
 * choice, in the `EntityNotExist.<entity>` family RAM uses.
 */
export function recycledKeyNotExist(id: string): ApiError {
  return entityNotExist('AccessKey.RecycleBin', 'access key in the recycle bin', id);
}

/** The group named by `GroupName`; 404 `EntityNotExist.Group`. */
export function groupByName(ctx: ActionContext): GroupRecord {
  const name = ctx.params.required('GroupName');
  const group = ctx.state.groups.get(name);
  if (!group) throw entityNotExist('Group', 'group', name);
  return group;
}

/** The role named by `RoleName`; 404 `EntityNotExist.Role`. */
export function roleByName(ctx: ActionContext): RoleRecord {
  const name = ctx.params.required('RoleName');
  const role = ctx.state.roles.get(name);
  if (!role) throw entityNotExist('Role', 'role', name);
  return role;
}

/** Validates a `PolicyType` value (`System` | `Custom`). */
export function policyType(raw: string): PolicyType {
  if (raw !== 'System' && raw !== 'Custom') throw invalidParameter('PolicyType', 'it must be System or Custom.');
  return raw;
}

/** The policy named by `PolicyName` + `PolicyType`; 404 `EntityNotExist.Policy`. */
export function policyByName(ctx: ActionContext): PolicyRecord {
  const name = ctx.params.required('PolicyName');
  const type = policyType(ctx.params.required('PolicyType'));
  const policy = ctx.state.policy(type, name);
  if (!policy) throw entityNotExist('Policy', 'policy', `${type} ${name}`);
  return policy;
}

/** One of the user's access keys, by `UserAccessKeyId`; 404 `EntityNotExist.User.AccessKey`. */
export function userKey(ctx: ActionContext, user: UserRecord): KeyRecord {
  const id = ctx.params.required('UserAccessKeyId');
  const key = user.keys.find((k) => k.id === id);
  if (!key) throw entityNotExist('User.AccessKey', 'access key', id);
  return key;
}
