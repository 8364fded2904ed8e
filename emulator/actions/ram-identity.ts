import { isoOrUndefined, isoSeconds } from '../dates.js';
import { entityNotExist } from '../errors.js';
import { paginate } from '../paging.js';
import { type ActionTable, groupByName, userByName, userKey } from './context.js';
import { accessKey, group, groupMembership, mfaDevice, ramUser, ramUserDetail } from './views.js';

/** RAM 2015-05-01 actions on users, their credentials and groups (reference appendix A). */
export const ramIdentityActions: ActionTable = {
  ListUsers: ({ state, params }) => {
    const page = paginate(state.userList(), (u) => u.name, params, { max: 1000, def: 100 });
    return { ...page.wire, Users: { User: page.items.map(ramUser) } };
  },

  GetUser: (ctx) => ({ User: ramUserDetail(userByName(ctx)) }),

  ListAccessKeys: (ctx) => {
    // Without UserName, RAM lists the caller's own keys (the account's, when signed by a root key).
    const own = ctx.caller.kind === 'user' ? ctx.caller.user.keys : ctx.state.root.keys;
    const keys = ctx.params.get('UserName') === undefined ? own : userByName(ctx).keys;
    return { AccessKeys: { AccessKey: keys.map((k) => accessKey(k, false)) } };
  },

  GetAccessKeyLastUsed: (ctx) => {
    const key = userKey(ctx, userByName(ctx));
    return { AccessKeyLastUsed: { LastUsedDate: isoOrUndefined(key.lastUsedDate) } };
  },

  GetLoginProfile: (ctx) => {
    const user = userByName(ctx);
    const lp = user.loginProfile;
    if (!lp) throw entityNotExist('User.LoginProfile', 'login profile of user', user.name);
    return {
      LoginProfile: {
        UserName: user.name,
        CreateDate: isoSeconds(lp.createDate),
        MFABindRequired: lp.mfaBindRequired,
        PasswordResetRequired: lp.passwordResetRequired,
      },
    };
  },

  GetUserMFAInfo: (ctx) => {
    const user = userByName(ctx);
    if (!user.mfa) throw entityNotExist('User.MFADevice', 'MFA device of user', user.name);
    return { MFADevice: { SerialNumber: user.mfa.serialNumber, Type: 'VMFA' } };
  },

  // RAM's ListVirtualMFADevices takes no paging parameters: one call returns every device.
  ListVirtualMFADevices: ({ state }) => ({
    VirtualMFADevices: { VirtualMFADevice: state.mfaUsers().map((u) => mfaDevice(state, u, false)) },
  }),

  ListGroups: ({ state, params }) => {
    const page = paginate(state.groupList(), (g) => g.name, params, { max: 100, def: 100 });
    return { ...page.wire, Groups: { Group: page.items.map((g) => group(g, false)) } };
  },

  GetGroup: (ctx) => ({ Group: group(groupByName(ctx), false) }),

  ListUsersForGroup: (ctx) => {
    const g = groupByName(ctx);
    const page = paginate([...g.members], ([name]) => name, ctx.params, { max: 1000, def: 100 });
    const users = page.items.map(([name, joinDate]) => ({
      UserName: name,
      DisplayName: ctx.state.users.get(name)?.displayName ?? name,
      JoinDate: isoSeconds(joinDate),
    }));
    return { ...page.wire, Users: { User: users } };
  },

  ListGroupsForUser: (ctx) => {
    const user = userByName(ctx);
    const groups = [...user.groups].map(([name, joinDate]) => groupMembership(ctx.state.groups.get(name)!, joinDate, false));
    return { Groups: { Group: groups } };
  },
};
