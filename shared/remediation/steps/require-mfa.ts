import { $Ram } from '../../cloud/sdk.js';
import { diff, notExist, read, write, type HandlerFor, type Observation, type StepContext } from './types.js';

async function readMfaRequired(ctx: StepContext, userName: string): Promise<Observation> {
  try {
    const res = await read(ctx, 'ram', 'GetLoginProfile', () => ctx.clients.ram.getLoginProfile(new $Ram.GetLoginProfileRequest({ userName })));
    return { exists: true, mfaBindRequired: res.body?.loginProfile?.MFABindRequired === true };
  } catch (err) {
    if (notExist(err)) return { exists: false, mfaBindRequired: null };
    throw err;
  }
}

async function setRequired(ctx: StepContext, userName: string, required: boolean): Promise<void> {
  await write(ctx, 'ram', 'UpdateLoginProfile', () =>
    ctx.clients.ram.updateLoginProfile(new $Ram.UpdateLoginProfileRequest({ userName, MFABindRequired: required })),
  );
}

/** RAM login profile MFABindRequired=true: MFA must be bound at the next console logon. */
export const requireMfa: HandlerFor<'require-mfa'> = {
  action: 'require-mfa',
  principal: (s) => ({ type: 'user', name: s.target.userName }),
  read: (ctx, s) => readMfaRequired(ctx, s.target.userName),
  differences: (s, live) => (live.exists ? diff(s.expect, live) : [`${s.target.userName} no longer has a login profile`]),
  applied: (_s, live) => live.exists === true && live.mfaBindRequired === true,
  rolledBack: (_s, live) => live.exists === true && live.mfaBindRequired === false,
  describe: (s) => `RAM UpdateLoginProfile ${s.target.userName} MFABindRequired=true`,
  apply: (ctx, s) => setRequired(ctx, s.target.userName, true),
  describeRollback: (s) => `RAM UpdateLoginProfile ${s.target.userName} MFABindRequired=false`,
  rollback: (ctx, s) => setRequired(ctx, s.target.userName, false),
};
