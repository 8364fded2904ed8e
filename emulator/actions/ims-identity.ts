import { isoOrUndefined, isoSeconds } from '../dates.js';
import { entityNotExist, invalidParameter, missingParameter } from '../errors.js';
import type { UserRecord } from '../model.js';
import { paginate } from '../paging.js';
import { type ActionContext, type ActionTable, groupByName, recycledKeyNotExist, userById, userByUpn, userKey } from './context.js';
import { accessKey, group, groupMembership, imsLoginProfile, imsUser, mfaDevice, recycledKey } from './views.js';

const USER_STATUSES = new Set(['active', 'freeze', 'active,freeze', 'freeze,active']);

/** IMS GetUser finds a user by UserPrincipalName, UserId or one of the user's AccessKeyIds. */
function findUser(ctx: ActionContext): UserRecord {
  const { params, state } = ctx;
  const upn = params.get('UserPrincipalName');
  if (upn !== undefined) return userByUpn(ctx);
  if (params.get('UserId') !== undefined) return userById(ctx);
  const keyId = params.get('UserAccessKeyId');
  if (keyId === undefined) throw missingParameter('UserPrincipalName');
  const owner = state.keys.get(keyId)?.owner;
  const u = owner ? state.users.get(owner) : undefined;
  if (!u) throw entityNotExist('User', 'user with access key', keyId);
  return u;
}

/** IMS 2019-08-15 actions on users, their credentials and groups (reference appendix B). */
export const imsIdentityActions: ActionTable = {
  ListUsers: ({ state, params }) => {
    const status = params.get('Status') ?? 'active';
    if (!USER_STATUSES.has(status)) throw invalidParameter('Status', 'use active, freeze or active,freeze.');
    // Every emulated user is active; a "freeze"-only listing is empty.
    const users = status.includes('active') ? state.userList() : [];
    const page = paginate(users, (u) => u.name, params, { max: 1000, def: 1000 });
    return { ...page.wire, Users: { User: page.items.map((u) => imsUser(state, u)) } };
  },

  GetUser: (ctx) => ({ User: imsUser(ctx.state, findUser(ctx)) }),

  ListAccessKeys: (ctx) => ({ AccessKeys: { AccessKey: userByUpn(ctx).keys.map((k) => accessKey(k, true)) } }),

  GetAccessKeyLastUsed: (ctx) => {
    const key = userKey(ctx, userByUpn(ctx));
    return {
      AccessKeyLastUsed: {
        LastUsedDate: isoOrUndefined(key.lastUsedDate),
        ServiceName: key.lastUsedDate ? (key.lastUsedService ?? undefined) : undefined,
      },
    };
  },

  GetLoginProfile: (ctx) => {
    const user = userByUpn(ctx);
    const lp = user.loginProfile;
    if (!lp) throw entityNotExist('User.LoginProfile', 'login profile of user', ctx.state.upn(user));
    return { LoginProfile: imsLoginProfile(ctx.state, user) };
  },

  // IMS answers a user without MFA with IsMFAEnable=false rather than a 404 (unlike RAM).
  GetUserMFAInfo: (ctx) => {
    const user = userByUpn(ctx);
    if (!user.mfa) return { IsMFAEnable: false };
    return { IsMFAEnable: true, MFADevice: { SerialNumber: user.mfa.serialNumber, Type: 'VMFA' } };
  },

  ListVirtualMFADevices: ({ state, params }) => {
    const page = paginate(state.mfaUsers(), (u) => u.name, params, { max: 100, def: 100 });
    return { ...page.wire, VirtualMFADevices: { VirtualMFADevice: page.items.map((u) => mfaDevice(state, u, true)) } };
  },

  ListGroups: ({ state, params }) => {
    const page = paginate(state.groupList(), (g) => g.name, params, { max: 100, def: 100 });
    return { ...page.wire, Groups: { Group: page.items.map((g) => group(g, true)) } };
  },

  ListUsersForGroup: (ctx) => {
    const g = groupByName(ctx);
    const page = paginate([...g.members], ([name]) => name, ctx.params, { max: 100, def: 100 });
    const users = page.items.map(([name, joinDate]) => {
      const u = ctx.state.users.get(name)!;
      return { UserPrincipalName: ctx.state.upn(u), UserId: u.id, DisplayName: u.displayName, JoinDate: isoSeconds(joinDate) };
    });
    return { ...page.wire, Users: { User: users } };
  },

  ListGroupsForUser: (ctx) => {
    const user = userByUpn(ctx);
    const groups = [...user.groups].map(([name, joinDate]) => groupMembership(ctx.state.groups.get(name)!, joinDate, true));
    return { Groups: { Group: groups } };
  },

  ListAccessKeysInRecycleBin: (ctx) => {
    const bin = ctx.state.recycleBin(userById(ctx), ctx.now);
    return { AccessKeys: { AccessKey: bin.map(recycledKey) } };
  },

  GetAccessKeyInfoInRecycleBin: (ctx) => {
    const id = ctx.params.required('UserAccessKeyId');
    const found = ctx.state.recycledKey(id, ctx.now);
    if (!found) throw recycledKeyNotExist(id);
    const { user, entry } = found;
    return { AccessKey: { ...recycledKey(entry), UserId: user.id, UserPrincipalName: ctx.state.upn(user), UserRecycled: false } };
  },
};
