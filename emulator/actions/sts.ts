import { isoSeconds } from '../dates.js';
import { ApiError, entityNotExist, invalidParameter } from '../errors.js';
import type { RoleRecord } from '../model.js';
import type { EmulatorState } from '../state.js';
import { trustAllows } from '../trust.js';
import type { ActionContext, ActionTable, WireBody } from './context.js';

/** The ARN STS reports for the caller (AssumeRole's trust check compares against it). */
function callerArn(ctx: ActionContext): string {
  const accountId = ctx.state.account.id;
  const { caller } = ctx;
  if (caller.kind === 'user') return `acs:ram::${accountId}:user/${caller.user.name}`;
  if (caller.kind === 'role') return `acs:ram::${accountId}:role/${caller.role.name.toLowerCase()}`;
  return `acs:ram::${accountId}:root`;
}

/** `acs:ram::<uid>:role/<name>` → the role, looked up case-insensitively (ARNs lower-case the name). */
function roleOf(ctx: ActionContext, arn: string): { state: EmulatorState; role: RoleRecord } {
  const match = /^acs:ram::(\d+):role\/([^/]+)$/i.exec(arn);
  // UNVERIFIED: the code STS answers for a malformed RoleArn.
  if (!match) throw invalidParameter('RoleArn', 'it must look like acs:ram::<account id>:role/<role name>.');
  const [, accountId, name] = match as unknown as [string, string, string];
  const state = ctx.accounts.byId.get(accountId);
  const role = state ? [...state.roles.values()].find((r) => r.name.toLowerCase() === name.toLowerCase()) : undefined;
  if (!state || !role) throw entityNotExist('Role', 'role', arn);
  return { state, role };
}

/** STS 2015-04-01: GetCallerIdentity (who signed the request) and AssumeRole (temporary credentials). */
export const stsActions: ActionTable = {
  GetCallerIdentity: (ctx): WireBody => {
    const accountId = ctx.state.account.id;
    const { caller } = ctx;
    if (caller.kind === 'user') {
      return {
        AccountId: accountId,
        Arn: callerArn(ctx),
        IdentityType: 'RAMUser',
        PrincipalId: caller.user.id,
        UserId: caller.user.id,
        RoleId: '',
      };
    }
    if (caller.kind === 'role') {
      // UNVERIFIED: the `assumed-role` ARN form and the empty UserId, from community captures.
      return {
        AccountId: accountId,
        Arn: `acs:ram::${accountId}:assumed-role/${caller.role.name.toLowerCase()}/${caller.sessionName}`,
        IdentityType: 'AssumedRoleUser',
        PrincipalId: `${caller.role.id}:${caller.sessionName}`,
        UserId: '',
        RoleId: caller.role.id,
      };
    }
    return {
      AccountId: accountId,
      Arn: callerArn(ctx),
      IdentityType: 'Account',
      PrincipalId: accountId,
      UserId: accountId,
      RoleId: '',
    };
  },

  /**
   * Codes from the STS troubleshooting page: `NoPermission` "Roles may not be assumed by root accounts."
   * and "No permission perform sts:AssumeRole on this Role", `InvalidParameter.RoleSessionName`,
   * `InvalidParameter.DurationSeconds`; `EntityNotExist.Role` for an unknown role.
   */
  AssumeRole: (ctx): WireBody => {
    const arn = ctx.params.required('RoleArn');
    const sessionName = ctx.params.required('RoleSessionName');
    if (!/^[\w.@-]{2,64}$/.test(sessionName)) {
      throw new ApiError(400, 'InvalidParameter.RoleSessionName', 'The parameter RoleSessionName is wrongly formed.');
    }
    if (ctx.caller.kind === 'root') throw new ApiError(403, 'NoPermission', 'Roles may not be assumed by root accounts.');
    const { state: target, role } = roleOf(ctx, arn);
    const duration = ctx.params.int('DurationSeconds', 900, role.maxSessionDuration, Math.min(3600, role.maxSessionDuration));
    if (!trustAllows(role.trustPolicy, ctx.state.account.id, callerArn(ctx))) {
      throw new ApiError(
        403,
        'NoPermission',
        `No permission perform sts:AssumeRole on this Role. The trust policy of ${role.arn} does not allow ${callerArn(ctx)}.`,
      );
    }
    const session = ctx.accounts.issueSession(target, role, sessionName, duration, ctx.now);
    return {
      Credentials: {
        AccessKeyId: session.key.id,
        AccessKeySecret: session.key.secret,
        SecurityToken: session.securityToken,
        Expiration: isoSeconds(session.expiration),
      },
      AssumedRoleUser: { Arn: `${role.arn}/${sessionName}`, AssumedRoleId: `${role.id}:${sessionName}` },
    };
  },
};
