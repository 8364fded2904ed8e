import { CloudError } from '../errors.js';
import type { PasswordPolicy, SecurityPreference } from '../domain/snapshot.js';
import { call, type InventoryContext } from './context.js';

/**
 * Who are we scanning? STS GetCallerIdentity is the preflight: it proves the endpoint answers and the
 * credentials are valid, so a wrong key or endpoint fails fast with one clear line, before any work.
 */
export async function callerIdentity(ctx: InventoryContext): Promise<{ accountId: string; arn: string }> {
  const { sts, caller } = ctx.clients;
  try {
    await ctx.clients.credential.getCredential();
  } catch (err) {
    throw new CloudError(
      'GetCredential',
      'no Alibaba Cloud credentials found — set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, or configure a profile (~/.alibabacloud/credentials) or a RAM role',
      { cause: err, code: 'CLOUD_NO_CREDENTIALS' },
    );
  }
  // A few attempts at most: a wrong endpoint should fail in seconds, not after a full backoff.
  const res = await caller.call('sts', 'GetCallerIdentity', () => sts.getCallerIdentity(), Math.min(3, caller.maxAttempts));
  const accountId = res.body?.accountId;
  if (!accountId) throw new CloudError('GetCallerIdentity', 'STS GetCallerIdentity returned no AccountId — is the endpoint an Alibaba Cloud STS API?');
  return { accountId, arn: res.body?.arn ?? '' };
}

export async function accountAlias(ctx: InventoryContext): Promise<string | null> {
  try {
    const res = await call(ctx, 'ram', 'GetAccountAlias', () => ctx.clients.ram.getAccountAlias());
    return res.body?.accountAlias || null;
  } catch (err) {
    ctx.tracker.fail('account', err);
    return null;
  }
}

export async function passwordPolicy(ctx: InventoryContext): Promise<PasswordPolicy | null> {
  try {
    const res = await call(ctx, 'ram', 'GetPasswordPolicy', () => ctx.clients.ram.getPasswordPolicy());
    const p = res.body?.passwordPolicy;
    if (!p) throw new Error('GetPasswordPolicy returned no PasswordPolicy');
    return {
      minimumPasswordLength: p.minimumPasswordLength ?? 0,
      requireLowercaseCharacters: p.requireLowercaseCharacters ?? false,
      requireUppercaseCharacters: p.requireUppercaseCharacters ?? false,
      requireNumbers: p.requireNumbers ?? false,
      requireSymbols: p.requireSymbols ?? false,
      hardExpiry: p.hardExpiry ?? false,
      maxPasswordAge: p.maxPasswordAge ?? 0,
      passwordReusePrevention: p.passwordReusePrevention ?? 0,
      // The API spells it MaxLoginAttemps (reference gotcha 7).
      maxLoginAttempts: p.maxLoginAttemps ?? 0,
    };
  } catch (err) {
    ctx.tracker.fail('passwordPolicy', err);
    return null;
  }
}

export async function securityPreference(ctx: InventoryContext): Promise<SecurityPreference | null> {
  try {
    const res = await call(ctx, 'ram', 'GetSecurityPreference', () => ctx.clients.ram.getSecurityPreference());
    const p = res.body?.securityPreference;
    if (!p) throw new Error('GetSecurityPreference returned no SecurityPreference');
    return {
      allowUserToManageAccessKeys: p.accessKeyPreference?.allowUserToManageAccessKeys ?? null,
      allowUserToManageMFADevices: p.MFAPreference?.allowUserToManageMFADevices ?? null,
      enableSaveMFATicket: p.loginProfilePreference?.enableSaveMFATicket ?? null,
      loginNetworkMasks: p.loginProfilePreference?.loginNetworkMasks || null,
      loginSessionDuration: p.loginProfilePreference?.loginSessionDuration ?? null,
    };
  } catch (err) {
    ctx.tracker.fail('securityPreference', err);
    return null;
  }
}
