import { $Ims } from '../../cloud/sdk.js';
import { diff, notExist, read, write, type HandlerFor, type Observation, type StepContext } from './types.js';

async function readLogin(ctx: StepContext, principalName: string): Promise<Observation> {
  try {
    const res = await read(ctx, 'ims', 'GetLoginProfile', () =>
      ctx.clients.ims.getLoginProfile(new $Ims.GetLoginProfileRequest({ userPrincipalName: principalName })),
    );
    return { exists: true, loginStatus: res.body?.loginProfile?.status ?? null };
  } catch (err) {
    if (notExist(err)) return { exists: false, loginStatus: null };
    throw err;
  }
}

async function setStatus(ctx: StepContext, principalName: string, status: 'Active' | 'Inactive'): Promise<void> {
  await write(ctx, 'ims', 'UpdateLoginProfile', () =>
    ctx.clients.ims.updateLoginProfile(new $Ims.UpdateLoginProfileRequest({ userPrincipalName: principalName, status })),
  );
}

/** IMS login profile Status=Inactive: console logon refused, password kept (reversible). */
export const disableConsoleLogin: HandlerFor<'disable-console-login'> = {
  action: 'disable-console-login',
  principal: (s) => ({ type: 'user', name: s.target.userName }),
  read: (ctx, s) => readLogin(ctx, s.target.principalName),
  differences: (s, live) => (live.exists ? diff(s.expect, live) : [`${s.target.userName} no longer has a login profile`]),
  applied: (_s, live) => live.exists === true && live.loginStatus === 'Inactive',
  rolledBack: (_s, live) => live.exists === true && live.loginStatus === 'Active',
  describe: (s) => `IMS UpdateLoginProfile ${s.target.principalName} Status=Inactive`,
  apply: (ctx, s) => setStatus(ctx, s.target.principalName, 'Inactive'),
  describeRollback: (s) => `IMS UpdateLoginProfile ${s.target.principalName} Status=Active`,
  rollback: (ctx, s) => setStatus(ctx, s.target.principalName, 'Active'),
};
