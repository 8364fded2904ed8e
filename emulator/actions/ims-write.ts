import { ApiError } from '../errors.js';
import { type ActionTable, recycledKeyNotExist, userById, userByUpn, userKey } from './context.js';
import { imsLoginProfile } from './views.js';
import { deleteKey, setKeyStatus, updateLoginProfile } from './writes.js';

/** Access keys a RAM user may hold at once. */
export const USER_KEYS_MAX = 2;

/** IMS 2019-08-15 actions that change the account (reference §2, appendix B). */
export const imsWriteActions: ActionTable = {
  UpdateAccessKey: (ctx) => {
    setKeyStatus(ctx, userKey(ctx, userByUpn(ctx)));
    return {};
  },

  DeleteAccessKey: (ctx) => {
    deleteKey(ctx, userKey(ctx, userByUpn(ctx)));
    return {};
  },

  /** Also toggles console login (`Status`), reversibly; answers the updated `LoginProfile`. */
  UpdateLoginProfile: (ctx) => {
    const user = userByUpn(ctx);
    updateLoginProfile(ctx, user, ctx.state.upn(user), true);
    return { LoginProfile: imsLoginProfile(ctx.state, user) };
  },

  /**
   * Puts a deleted key back, Inactive. 404 (see {@link recycledKeyNotExist}) when it is not in the user's
   * bin. UNVERIFIED: a user already holding {@link USER_KEYS_MAX} keys gets 409
   * `LimitExceeded.User.AccessKey`, the code CreateAccessKey is believed to use at the limit.
   */
  RestoreAccessKeyFromRecycleBin: (ctx) => {
    const user = userById(ctx);
    const id = ctx.params.required('UserAccessKeyId');
    const entry = ctx.state.recycleBin(user, ctx.now).find((r) => r.key.id === id);
    if (!entry) throw recycledKeyNotExist(id);
    if (user.keys.length >= USER_KEYS_MAX) {
      throw new ApiError(409, 'LimitExceeded.User.AccessKey', `The user ${user.name} already has ${USER_KEYS_MAX} access keys, the maximum.`);
    }
    ctx.state.restoreKey(user, entry, ctx.now);
    return {};
  },
};
