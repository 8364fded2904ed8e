import { differenceInSeconds } from 'date-fns';
import { $Ims } from '../cloud/sdk.js';
import type { AccessKey, RamUser, RootAccount } from '../domain/snapshot.js';
import { call, forEach, type InventoryContext } from './context.js';
import { parseCredentialReport, ROOT_ROW, type CredentialReportRow, type ReportAccessKey } from './credential-report.js';
import { applyMfa, baseUser, collectPerUser, keyLastUsed, listAccessKeys, type ListedUser } from './users.js';

/** Generates (or reuses, IMS keeps one for 4 h) the credential report and downloads every page. */
export async function fetchCredentialReport(ctx: InventoryContext): Promise<CredentialReportRow[]> {
  const { ims } = ctx.clients;
  const { pollIntervalMs, timeoutMs } = ctx.settings.credentialReport;
  const deadline = Date.now() + timeoutMs;
  // Small reports are ready within a second: poll at 250 ms, doubling up to pollIntervalMs.
  let wait = Math.min(250, pollIntervalMs);
  for (;;) {
    const res = await call(ctx, 'ims', 'GenerateCredentialReport', () => ims.generateCredentialReport());
    const state = res.body?.state;
    if (state === 'COMPLETED') break;
    if (Date.now() + wait > deadline) throw new Error(`credential report still ${state ?? 'not ready'} after ${timeoutMs} ms`);
    ctx.progress({ phase: `credential report ${state?.toLowerCase() ?? 'pending'}` });
    await ctx.sleep(wait);
    wait = Math.min(wait * 2, pollIntervalMs);
  }
  const pages: string[] = [];
  let nextToken: string | undefined;
  for (;;) {
    const res = await call(ctx, 'ims', 'GetCredentialReport', () =>
      ims.getCredentialReport(new $Ims.GetCredentialReportRequest({ maxItems: '3501', nextToken })),
    );
    pages.push(Buffer.from(res.body?.content ?? '', 'base64').toString('utf8'));
    // IsTruncated is typed string in this model (reference gotcha 6).
    if (String(res.body?.isTruncated) !== 'true' || !res.body?.nextToken) break;
    nextToken = res.body.nextToken;
  }
  return parseCredentialReport(pages);
}

/**
 * Users from the credential report: console, MFA and key last-use for everyone in one download;
 * ListAccessKeys only for users the report says have keys (for the AccessKeyIds). Users missing from
 * the report (created after it was generated) are collected per user.
 */
export async function usersFromReport(
  ctx: InventoryContext,
  listed: ListedUser[],
  rows: CredentialReportRow[],
  mfa: Map<string, string> | null,
): Promise<{ users: RamUser[]; root: RootAccount }> {
  const byUpn = new Map(rows.map((r) => [r.user.toLowerCase(), r]));
  const users: RamUser[] = [];
  const missing: RamUser[] = [];
  for (const u of listed) {
    const user = baseUser(u);
    const row = byUpn.get(u.principalName.toLowerCase());
    users.push(user);
    if (!row) {
      missing.push(user);
      continue;
    }
    fromRow(user, row, mfa);
  }
  await forEach(ctx, 'access keys', users.filter((u) => byUpn.get(u.principalName.toLowerCase())?.accessKeys.length), async (user) => {
    const row = byUpn.get(user.principalName.toLowerCase())!;
    const keys = await listAccessKeys(ctx, user.name);
    if (keys === null) return;
    user.accessKeys = await Promise.all(keys.map((k) => withLastUse(ctx, user.name, k, row.accessKeys)));
  });
  if (missing.length > 0) await collectPerUser(ctx, [], mfa, missing);
  return { users, root: rootFromReport(byUpn.get(ROOT_ROW)) };
}

function fromRow(user: RamUser, row: CredentialReportRow, mfa: Map<string, string> | null): void {
  user.lastLoginDate = user.lastLoginDate ?? row.userLastLogon;
  if (row.passwordExist !== null) {
    user.console = row.passwordExist ? { active: row.passwordActive ?? true, mfaBindRequired: null, passwordLastChanged: row.passwordLastChanged } : null;
    user.consoleKnown = true;
  }
  if (row.mfaActive !== null) {
    user.mfa = { active: row.mfaActive, serialNumber: mfa?.get(user.name) ?? null };
    user.mfaKnown = true;
  } else {
    applyMfa(user, mfa);
  }
  if (row.accessKeys.length === 0) user.accessKeys = [];
}

/**
 * The report names key slots, not AccessKeyIds; a slot's `last_rotated` is the key's creation time,
 * so match on that (to the second). Keys the report does not know get GetAccessKeyLastUsed.
 */
async function withLastUse(ctx: InventoryContext, userName: string, key: Omit<AccessKey, 'lastUsedDate' | 'lastUsedKnown'>, slots: ReportAccessKey[]): Promise<AccessKey> {
  const slot = slots.find((s) => s.lastRotated !== null && Math.abs(differenceInSeconds(new Date(s.lastRotated), new Date(key.createDate))) <= 1);
  if (slot) return { ...key, lastUsedDate: slot.lastUsed, lastUsedKnown: true };
  const used = await keyLastUsed(ctx, userName, key.id);
  return { ...key, lastUsedDate: used ?? null, lastUsedKnown: used !== undefined };
}

function rootFromReport(row: CredentialReportRow | undefined): RootAccount {
  if (!row) return { lastLoginDate: null, lastLoginKnown: false, mfaActive: null, accessKeys: null };
  return {
    lastLoginDate: row.userLastLogon,
    lastLoginKnown: true,
    mfaActive: row.mfaActive,
    accessKeys: row.accessKeys.map((k) => ({ slot: k.slot, active: k.active, lastRotated: k.lastRotated, lastUsed: k.lastUsed, lastUsedKnown: true })),
  };
}
