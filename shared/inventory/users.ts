import { $Ims, $Ram } from '../cloud/sdk.js';
import type { AccessKey, RamUser, RootAccount } from '../domain/snapshot.js';
import { allPages, call, forEach, isNotFound, type InventoryContext } from './context.js';

/** A user as IMS ListUsers returns it (1000 a page, with LastLoginDate — no GetUser per user). */
export interface ListedUser {
  id: string;
  name: string;
  principalName: string;
  displayName: string;
  email: string | null;
  createDate: string;
  lastLoginDate: string | null;
}

export async function listUsers(ctx: InventoryContext): Promise<ListedUser[]> {
  const users = await allPages(async (marker) => {
    const res = await call(ctx, 'ims', 'ListUsers', () => ctx.clients.ims.listUsers(new $Ims.ListUsersRequest({ maxItems: 1000, marker })));
    ctx.progress({ phase: 'users', done: undefined });
    return { items: res.body?.users?.user, isTruncated: res.body?.isTruncated, marker: res.body?.marker };
  });
  return users.map((u) => {
    const principalName = u.userPrincipalName ?? '';
    return {
      id: u.userId ?? '',
      name: principalName.split('@')[0] ?? principalName,
      principalName,
      displayName: u.displayName ?? '',
      email: u.email || null,
      createDate: u.createDate ?? '',
      lastLoginDate: u.lastLoginDate || null,
    };
  });
}

/** Bound virtual MFA devices by user name, from one ListVirtualMFADevices call (RAM: no paging). */
export async function mfaDevices(ctx: InventoryContext): Promise<Map<string, string> | null> {
  try {
    const res = await call(ctx, 'ram', 'ListVirtualMFADevices', () => ctx.clients.ram.listVirtualMFADevices());
    const map = new Map<string, string>();
    for (const d of res.body?.virtualMFADevices?.virtualMFADevice ?? []) {
      // Unbound devices have no user / activation date.
      if (d.user?.userName && d.activateDate) map.set(d.user.userName, d.serialNumber ?? '');
    }
    return map;
  } catch (err) {
    ctx.tracker.fail('mfa', err);
    return null;
  }
}

/** A user record before credentials are filled in; unknown until a collector proves otherwise. */
export function baseUser(u: ListedUser): RamUser {
  return {
    ...u,
    console: null,
    consoleKnown: false,
    mfa: { active: false, serialNumber: null },
    mfaKnown: false,
    accessKeys: null,
    groups: null,
  };
}

/** RAM ListAccessKeys for one user; null (and a recorded failure) when it fails after retries. */
export async function listAccessKeys(ctx: InventoryContext, userName: string): Promise<Array<Omit<AccessKey, 'lastUsedDate' | 'lastUsedKnown'>> | null> {
  try {
    const res = await call(ctx, 'ram', 'ListAccessKeys', () => ctx.clients.ram.listAccessKeys(new $Ram.ListAccessKeysRequest({ userName })));
    return (res.body?.accessKeys?.accessKey ?? []).map((k) => ({
      id: k.accessKeyId ?? '',
      status: k.status === 'Inactive' ? ('Inactive' as const) : ('Active' as const),
      createDate: k.createDate ?? '',
    }));
  } catch (err) {
    ctx.tracker.fail('accessKeys', err);
    return null;
  }
}

/** Last use of one key (RAM GetAccessKeyLastUsed); undefined when it could not be read. */
export async function keyLastUsed(ctx: InventoryContext, userName: string, accessKeyId: string): Promise<string | null | undefined> {
  try {
    const res = await call(ctx, 'ram', 'GetAccessKeyLastUsed', () =>
      ctx.clients.ram.getAccessKeyLastUsed(new $Ram.GetAccessKeyLastUsedRequest({ userName, userAccessKeyId: accessKeyId })),
    );
    return res.body?.accessKeyLastUsed?.lastUsedDate || null;
  } catch (err) {
    ctx.tracker.fail('accessKeyUsage', err);
    return undefined;
  }
}

/**
 * Per-user collection, for accounts above the credential report's 3,500-user limit (or when the report
 * fails): ListAccessKeys and IMS GetLoginProfile per user, GetAccessKeyLastUsed per active key.
 */
export async function collectPerUser(ctx: InventoryContext, listed: ListedUser[], mfa: Map<string, string> | null, users = listed.map(baseUser)): Promise<RamUser[]> {
  await forEach(ctx, 'users (per-user)', users, async (user) => {
    applyMfa(user, mfa);
    const [keys] = await Promise.all([listAccessKeys(ctx, user.name), loginProfile(ctx, user)]);
    if (keys === null) return;
    user.accessKeys = await Promise.all(
      keys.map(async (k) => {
        if (k.status !== 'Active') return { ...k, lastUsedDate: null, lastUsedKnown: false };
        const used = await keyLastUsed(ctx, user.name, k.id);
        return { ...k, lastUsedDate: used ?? null, lastUsedKnown: used !== undefined };
      }),
    );
  });
  return users;
}

export function applyMfa(user: RamUser, mfa: Map<string, string> | null): void {
  if (mfa === null) return;
  const serial = mfa.get(user.name);
  user.mfa = { active: serial !== undefined, serialNumber: serial ?? null };
  user.mfaKnown = true;
}

async function loginProfile(ctx: InventoryContext, user: RamUser): Promise<void> {
  try {
    const res = await call(ctx, 'ims', 'GetLoginProfile', () =>
      ctx.clients.ims.getLoginProfile(new $Ims.GetLoginProfileRequest({ userPrincipalName: user.principalName })),
    );
    const p = res.body?.loginProfile;
    user.console = { active: (p?.status ?? 'Active') === 'Active', mfaBindRequired: p?.MFABindRequired ?? null, passwordLastChanged: null };
    user.consoleKnown = true;
  } catch (err) {
    if (isNotFound(err, 'EntityNotExist.User.LoginProfile')) {
      user.console = null;
      user.consoleKnown = true;
      return;
    }
    ctx.tracker.fail('loginProfiles', err);
  }
}

/**
 * Root facts without the credential report: MFA from IMS GetAccountMFAInfo, the number of root keys
 * from GetAccountSecurityPracticeReport. Console logon and key use are only in the report, so they stay
 * unknown (rules say so) without making the scan partial.
 */
export async function rootWithoutReport(ctx: InventoryContext): Promise<RootAccount> {
  const root: RootAccount = { lastLoginDate: null, lastLoginKnown: false, mfaActive: null, accessKeys: null };
  await Promise.all([
    (async () => {
      try {
        const res = await call(ctx, 'ims', 'GetAccountMFAInfo', () => ctx.clients.ims.getAccountMFAInfo());
        root.mfaActive = res.body?.isMFAEnable ?? null;
      } catch (err) {
        ctx.tracker.fail('root', err);
      }
    })(),
    (async () => {
      try {
        const res = await call(ctx, 'ims', 'GetAccountSecurityPracticeReport', () => ctx.clients.ims.getAccountSecurityPracticeReport());
        const n = Number(res.body?.accountSecurityPracticeInfo?.accountSecurityPracticeUserInfo?.rootWithAccessKey ?? NaN);
        if (!Number.isFinite(n)) throw new Error('GetAccountSecurityPracticeReport returned no RootWithAccessKey');
        root.accessKeys = Array.from({ length: n }, (_, i) => ({ slot: `key-${i + 1}`, active: null, lastRotated: null, lastUsed: null, lastUsedKnown: false }));
      } catch (err) {
        ctx.tracker.fail('root', err);
      }
    })(),
  ]);
  return root;
}
