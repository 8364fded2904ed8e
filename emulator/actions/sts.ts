import type { ActionTable } from './context.js';

/** STS 2015-04-01 GetCallerIdentity: who signed the request (a RAM user, or the account itself). */
export const stsActions: ActionTable = {
  GetCallerIdentity: ({ state, caller }) => {
    const accountId = state.account.id;
    if (caller.kind === 'user') {
      return {
        AccountId: accountId,
        Arn: `acs:ram::${accountId}:user/${caller.user.name}`,
        IdentityType: 'RAMUser',
        PrincipalId: caller.user.id,
        UserId: caller.user.id,
        RoleId: '',
      };
    }
    return {
      AccountId: accountId,
      Arn: `acs:ram::${accountId}:root`,
      IdentityType: 'Account',
      PrincipalId: accountId,
      UserId: accountId,
      RoleId: '',
    };
  },
};
