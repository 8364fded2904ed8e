import { ApiError, entityNotExist, missingParameter } from '../errors.js';
import type { KeyRecord, KeyStatus, UserRecord } from '../model.js';
import type { ActionContext } from './context.js';

/** Mutations shared by the RAM and IMS write actions (reference §2). */

const KEY_STATUSES: readonly KeyStatus[] = ['Active', 'Inactive'];

/** `Status` (Active | Inactive), mandatory. */
function status(ctx: ActionContext): KeyStatus {
  const s = ctx.params.oneOf('Status', KEY_STATUSES);
  if (s === undefined) throw missingParameter('Status');
  return s;
}

/** UpdateAccessKey: enables or disables a key; a disabled key stops signing at once. */
export function setKeyStatus(ctx: ActionContext, key: KeyRecord): void {
  key.status = status(ctx);
  key.updateDate = ctx.now;
}

/**
 * DeleteAccessKey: the key leaves the user (and can no longer sign) for the user's recycle bin.
 *
 * An Active key is refused with 400 `DeleteConflict.AccessKey.Active`. UNVERIFIED: the console
 * documents that a key must be disabled before it can be deleted; neither the code nor whether the API
 * enforces it is documented, so this code and message are the emulator's choice (RAM's other
 * "must detach/empty first" refusals are `DeleteConflict.*`).
 */
export function deleteKey(ctx: ActionContext, key: KeyRecord): void {
  if (key.status === 'Active') {
    throw new ApiError(
      400,
      'DeleteConflict.AccessKey.Active',
      `The access key ${key.id} is active: disable it (UpdateAccessKey Status=Inactive) before deleting it.`,
    );
  }
  ctx.state.deleteKey(key, ctx.now);
}

/**
 * UpdateLoginProfile: MFABindRequired, PasswordResetRequired, Password (only its change date is kept)
 * and, for IMS, Status. 404 `EntityNotExist.User.LoginProfile` when the user has no console password.
 */
export function updateLoginProfile(ctx: ActionContext, user: UserRecord, who: string, withStatus: boolean): void {
  const lp = user.loginProfile;
  if (!lp) throw entityNotExist('User.LoginProfile', 'login profile of user', who);
  const { params } = ctx;
  const mfa = params.bool('MFABindRequired');
  const reset = params.bool('PasswordResetRequired');
  const s = withStatus ? params.oneOf('Status', KEY_STATUSES) : undefined;
  if (mfa !== undefined) lp.mfaBindRequired = mfa;
  if (reset !== undefined) lp.passwordResetRequired = reset;
  if (s !== undefined) lp.status = s;
  if (params.get('Password') !== undefined) lp.passwordLastChanged = ctx.now;
  lp.updateDate = ctx.now;
}
