/**
 * Temporary credentials for another account's role (STS AssumeRole), as a credential the SDK clients
 * take: each `getCredential()` returns the current session and asks STS for a new one shortly before it
 * expires, so a long scan never signs with an expired token.
 */
import { CloudError } from '../errors.js';
import type { CloudCaller } from './caller.js';
import { $Sts, Credential, type CredentialClient, type StsClient } from './sdk.js';

/** The clients AssumeRole needs (a subset of `CloudClients`). */
export interface AssumeRoleClients {
  sts: StsClient;
  caller: CloudCaller;
}

export interface AssumeRoleOptions {
  /** `acs:ram::<account id>:role/<role name>`. */
  roleArn: string;
  /** 2–64 characters: letters, digits and `. @ - _` (shown in the member's ActionTrail). */
  sessionName: string;
  /** 900 to the role's MaxSessionDuration; default 3600. */
  durationSeconds?: number;
  /** Ask for a new session this long before the current one expires; default 5 minutes (at most a quarter of the duration). */
  refreshMarginMs?: number;
  /** Milliseconds since the epoch; default the system clock (this is infrastructure, like the caller's pacer clock). */
  nowMs?: () => number;
}

/** One session's keys, as the credentials library's provider interface returns them. */
interface SessionKeys {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken: string;
  providerName: string;
}

export const ASSUME_ROLE_PROVIDER = 'ramparts/assume_role';
const DEFAULT_DURATION_S = 3600;
const DEFAULT_MARGIN_MS = 5 * 60_000;

/**
 * A credential that signs as `opts.roleArn`. STS is called lazily (on the first signed request) and again
 * whenever the session is within the refresh margin of its Expiration; concurrent requests share one call.
 * A refused AssumeRole becomes a `CloudError` with code `ASSUME_ROLE_FAILED` that names the role and the fix.
 */
export function assumeRoleCredential(clients: AssumeRoleClients, opts: AssumeRoleOptions): CredentialClient {
  const nowMs = opts.nowMs ?? Date.now;
  const durationSeconds = opts.durationSeconds ?? DEFAULT_DURATION_S;
  const margin = opts.refreshMarginMs ?? Math.min(DEFAULT_MARGIN_MS, (durationSeconds * 1000) / 4);
  let current: { keys: SessionKeys; expiresAt: number } | undefined;
  let pending: Promise<SessionKeys> | undefined;

  const refresh = async (): Promise<SessionKeys> => {
    const requestedAt = nowMs();
    const body = await assumeRole(clients, opts.roleArn, opts.sessionName, durationSeconds);
    // Expiration is the server's clock; a local clock behind or ahead of it must not make every request
    // re-assume the role, so the session never counts as valid past `duration` after it was requested.
    const local = requestedAt + durationSeconds * 1000;
    current = { keys: body.keys, expiresAt: body.expiresAt > requestedAt ? Math.min(body.expiresAt, local) : local };
    return body.keys;
  };

  const provider = {
    getProviderName: () => ASSUME_ROLE_PROVIDER,
    getCredentials: async (): Promise<SessionKeys> => {
      if (current && nowMs() < current.expiresAt - margin) return current.keys;
      pending ??= refresh().finally(() => {
        pending = undefined;
      });
      return pending;
    },
  };
  return new Credential(null, provider);
}

async function assumeRole(
  clients: AssumeRoleClients,
  roleArn: string,
  sessionName: string,
  durationSeconds: number,
): Promise<{ keys: SessionKeys; expiresAt: number }> {
  const request = new $Sts.AssumeRoleRequest({ roleArn, roleSessionName: sessionName, durationSeconds });
  let res;
  try {
    res = await clients.caller.call('sts', 'AssumeRole', () => clients.sts.assumeRole(request));
  } catch (err) {
    throw assumeRoleError(roleArn, err);
  }
  const c = res.body?.credentials;
  const expiresAt = Date.parse(c?.expiration ?? '');
  if (!c?.accessKeyId || !c.accessKeySecret || !c.securityToken || Number.isNaN(expiresAt)) {
    throw new CloudError('AssumeRole', `STS AssumeRole for ${roleArn} returned no complete Credentials (AccessKeyId, AccessKeySecret, SecurityToken, Expiration)`, {
      code: 'CLOUD_BAD_RESPONSE',
    });
  }
  return {
    keys: { accessKeyId: c.accessKeyId, accessKeySecret: c.accessKeySecret, securityToken: c.securityToken, providerName: ASSUME_ROLE_PROVIDER },
    expiresAt,
  };
}

const accountOf = (roleArn: string): string => /^acs:ram::([^:]+):/i.exec(roleArn)?.[1] ?? 'the member account';

/** The cloud's own message (`Roles may not be assumed by root accounts.`) from the SDK error under `err`. */
function serverMessage(err: unknown): string {
  let e: unknown = err;
  while (e instanceof CloudError && e.cause !== undefined) e = e.cause;
  const text = e instanceof Error ? e.message : String(e);
  // openapi-core: "<Code>: code: <status>, <message> request id: <id>" (reference §5).
  return text.replace(/^[\w.]+: code: \d+, /, '').replace(/ request id: \S+$/, '').trim();
}

/** What went wrong and what to do, by STS error code (codes from the STS troubleshooting page). */
export function assumeRoleError(roleArn: string, err: unknown): CloudError {
  const cloudCode = err instanceof CloudError ? err.cloudCode : undefined;
  const account = accountOf(roleArn);
  const said = serverMessage(err);
  let advice: string;
  switch (cloudCode) {
    case 'EntityNotExist.Role':
      advice = `the role does not exist in account ${account}: create it there (trusting the scanning account) or set accounts.roleName / accounts.members[].roleArn`;
      break;
    case 'NoPermission':
      advice = /root account/i.test(said)
        ? `${said} Scan with a RAM user or role of the management account, not its root access key`
        : `the role's trust policy does not allow the scanning identity (add acs:ram::<scanning account id>:root to Principal.RAM), or the scanning identity lacks sts:AssumeRole (AliyunSTSAssumeRoleAccess)`;
      break;
    case 'InvalidParameter.DurationSeconds':
      advice = "the session duration exceeds the role's MaxSessionDuration";
      break;
    default:
      advice = err instanceof Error ? err.message : String(err);
  }
  const what = cloudCode ? ` (${cloudCode})` : '';
  return new CloudError('AssumeRole', `cannot assume ${roleArn}${what}: ${advice}`, { cause: err, cloudCode, code: 'ASSUME_ROLE_FAILED' });
}
