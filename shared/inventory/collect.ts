import type { AccountSnapshot, OrganizationInfo, RamUser, RootAccount } from '../domain/snapshot.js';
import { RampartsError } from '../errors.js';
import type { CloudClients } from '../cloud/clients.js';
import { accountAlias, callerIdentity, passwordPolicy, securityPreference } from './account.js';
import type { InventorySettings, ProgressEvent } from './context.js';
import { collectGroups, collectPolicies, collectRoles } from './graph.js';
import { fetchCredentialReport, usersFromReport } from './report-path.js';
import { collectSecrets } from './secrets.js';
import { PartTracker } from './tracker.js';
import { collectTrails } from './trails.js';
import { collectPerUser, listUsers, mfaDevices, rootWithoutReport } from './users.js';

export interface CollectOptions {
  clients: CloudClients;
  settings: InventorySettings;
  /** Timestamp recorded as `collectedAt` (the composition root's clock). */
  now: Date;
  progress?: (event: ProgressEvent) => void;
  sleep?: (ms: number) => Promise<void>;
  /** The Resource Directory the account is scanned in (multi-account scans in resource-directory mode). */
  organization?: OrganizationInfo;
}

/**
 * Collects an AccountSnapshot with as few API calls as the account allows (see README "API economy").
 * Independent parts run concurrently; the caller bounds and paces requests. A part that fails after
 * retries is recorded in `parts` and leaves its data unknown, never empty-and-fine. Only a failed
 * preflight (credentials, endpoint) throws.
 */
export async function collectSnapshot(opts: CollectOptions): Promise<AccountSnapshot> {
  const tracker = new PartTracker();
  const ctx = {
    clients: opts.clients,
    tracker,
    settings: opts.settings,
    progress: opts.progress ?? (() => {}),
    sleep: opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms))),
  };
  const identity = await callerIdentity(ctx);
  ctx.progress({ phase: `account ${identity.accountId}` });

  const [alias, pwPolicy, secPref, groups, policies, roles, usersAndRoot, trails, secrets] = await Promise.all([
    accountAlias(ctx),
    passwordPolicy(ctx),
    securityPreference(ctx),
    collectGroups(ctx),
    collectPolicies(ctx),
    collectRoles(ctx),
    collectUsers(ctx),
    collectTrails(ctx),
    collectSecrets(ctx),
  ]);
  const { users, root, mode } = usersAndRoot;
  linkGroups(users, groups, tracker.status().groups.complete);

  return {
    account: { id: identity.accountId, alias },
    ...(opts.organization ? { organization: { ...opts.organization } } : {}),
    collectedAt: opts.now.toISOString(),
    mode,
    parts: tracker.status(),
    root,
    users,
    groups,
    policies,
    roles,
    passwordPolicy: pwPolicy,
    securityPreference: secPref,
    trails,
    secrets,
  };
}

type Ctx = Parameters<typeof listUsers>[0];

async function collectUsers(ctx: Ctx): Promise<{ users: RamUser[]; root: RootAccount; mode: AccountSnapshot['mode'] }> {
  const { enabled, maxUsers } = ctx.settings.credentialReport;
  // Generating the report takes a while: start it while users are listed. If the account turns out
  // to be above the report's limit the attempt (one call) is discarded.
  const report = enabled ? settle(fetchCredentialReport(ctx)) : undefined;
  const mfaPromise = mfaDevices(ctx);
  let listed;
  try {
    listed = await listUsers(ctx);
  } catch (err) {
    ctx.tracker.fail('users', err);
    for (const part of ['loginProfiles', 'mfa', 'accessKeys', 'accessKeyUsage'] as const) ctx.tracker.fail(part, new Error('user listing failed'));
    await Promise.all([report, mfaPromise]);
    return { users: [], root: await rootWithoutReport(ctx), mode: 'per-user' };
  }
  ctx.progress({ phase: 'users', done: listed.length, total: listed.length });
  if (report && listed.length <= maxUsers) {
    const rows = await report;
    if (rows.ok) {
      const { users, root } = await usersFromReport(ctx, listed, rows.value, await mfaPromise);
      return { users, root, mode: 'credential-report' };
    }
    if (rows.error instanceof RampartsError && rows.error.code === 'CLOUD_AUTH_FAILED') throw rows.error;
    // Fall back to per-user calls; root logon data only exists in the report, so say so.
    ctx.tracker.fail('credentialReport', rows.error);
    ctx.tracker.fail('root', new Error('credential report unavailable: root console logon and key use unknown'));
  }
  const mfa = await mfaPromise;
  const [users, root] = await Promise.all([collectPerUser(ctx, listed, mfa), rootWithoutReport(ctx)]);
  return { users, root, mode: 'per-user' };
}

async function settle<T>(p: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  try {
    return { ok: true, value: await p };
  } catch (error) {
    return { ok: false, error };
  }
}

/** Fills `user.groups` from group member lists (inverted listing); unknown if any listing failed. */
function linkGroups(users: RamUser[], groups: AccountSnapshot['groups'], complete: boolean): void {
  const byUser = new Map<string, string[]>();
  for (const g of groups) {
    for (const m of g.members ?? []) {
      const list = byUser.get(m);
      if (list) list.push(g.name);
      else byUser.set(m, [g.name]);
    }
  }
  for (const u of users) u.groups = complete ? (byUser.get(u.name) ?? []) : null;
}
