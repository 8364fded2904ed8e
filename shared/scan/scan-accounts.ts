/**
 * Scanning many accounts: the member accounts listed in `accounts.members` or discovered in the Resource
 * Directory, each through a read-only role assumed with STS AssumeRole, a few at a time. One account's
 * failure is that account's result, never the others' and never "no findings" (STYLE §3).
 */
import pLimit from 'p-limit';
import { assumeRoleCredential } from '../cloud/assume-role.js';
import { createCloudClients, type CloudClients } from '../cloud/clients.js';
import { isActiveMember, listMemberAccounts } from '../cloud/resource-directory.js';
import type { CredentialClient } from '../cloud/sdk.js';
import { memberRoleArn, type Config } from '../config/index.js';
import type { OrganizationInfo } from '../domain/snapshot.js';
import { CloudError, RampartsError } from '../errors.js';
import type { ProgressEvent } from '../inventory/context.js';
import type { ScanReport } from '../report/types.js';
import { scanAccount, type ScanDeps } from './scan-account.js';

/** One account to scan. */
export interface ScanTarget {
  accountId: string;
  name: string;
  roleArn: string;
}

/** How one account's scan ended: a report, or the reason there is none. */
export interface AccountScanResult {
  accountId: string;
  name: string;
  ok: boolean;
  report?: ScanReport;
  /** Why the account has no report (AssumeRole refused, scan error); set when `ok` is false. */
  error?: string;
  /** The error's code (`ASSUME_ROLE_FAILED`, `CLOUD_NO_PERMISSION`, …) when it has one. */
  errorCode?: string;
}

export interface MultiAccountScan {
  accounts: AccountScanResult[];
  /** Members left out on purpose (not active in the directory), one line each. */
  notes: string[];
}

export interface ScanAccountsDeps extends Omit<ScanDeps, 'clients' | 'progress' | 'usage' | 'organization'> {
  /** Clients signed by the scanning identity (the management account): AssumeRole and ListAccounts. */
  clients: CloudClients;
  /** Builds one member's clients from its assumed-role credential; default: `createCloudClients(config.cloud)`. */
  clientsFor?: (credential: CredentialClient, target: ScanTarget) => CloudClients;
  /** Scans one account; default `scanAccount` (tests wrap it to watch concurrency). */
  scan?: (deps: ScanDeps) => Promise<ScanReport>;
  /** Progress of each account's scan, tagged with its id. */
  progress?: (accountId: string, event: ProgressEvent) => void;
}

/** STS RoleSessionName: `ramparts-scan-<unix seconds>`, shown in each member's ActionTrail. */
export function sessionName(now: Date): string {
  return `ramparts-scan-${Math.floor(now.getTime() / 1000)}`;
}

/** The accounts `config.accounts` names: its members (list), or the directory's active members (resource-directory). */
export async function resolveTargets(clients: CloudClients, config: Config): Promise<{ targets: ScanTarget[]; notes: string[] }> {
  const { accounts } = config;
  const overrides = new Map(accounts.members.map((m) => [m.id, m]));
  const target = (id: string, fallbackName: string): ScanTarget => {
    const member = overrides.get(id);
    return { accountId: id, name: member?.name ?? fallbackName, roleArn: memberRoleArn(accounts, { id, roleArn: member?.roleArn }) };
  };
  if (accounts.mode === 'list') return { targets: accounts.members.map((m) => target(m.id, m.name ?? m.id)), notes: [] };
  if (accounts.mode !== 'resource-directory') {
    throw new RampartsError('NOT_MULTI_ACCOUNT', 'accounts.mode is single: scan the account with scanAccount, or set accounts.mode to list or resource-directory');
  }
  const include = new Set(accounts.include);
  const exclude = new Set(accounts.exclude);
  const notes: string[] = [];
  const targets: ScanTarget[] = [];
  for (const m of await listMemberAccounts(clients)) {
    if (exclude.has(m.id) || (include.size > 0 && !include.has(m.id))) continue;
    if (!isActiveMember(m.status)) {
      notes.push(`skipped ${m.name} (${m.id}): its Resource Directory status is ${m.status}, not an active member`);
      continue;
    }
    targets.push(target(m.id, m.name));
  }
  const listed = new Set([...targets.map((t) => t.accountId), ...notes.map((n) => /\((\d{16})\)/.exec(n)?.[1])]);
  for (const id of include) {
    if (!listed.has(id)) notes.push(`accounts.include names ${id}, which is not a member of the Resource Directory`);
  }
  // With include set, `listed` holds only included ids, so an override's absence proves nothing.
  for (const id of include.size === 0 ? overrides.keys() : []) {
    if (!listed.has(id) && !exclude.has(id)) {
      notes.push(`accounts.members names ${id}, which is not a member of the Resource Directory`);
    }
  }
  return { targets, notes };
}

/** The management account per scanning identity's clients: one STS call per run, not per member. */
const managementAccounts = new WeakMap<CloudClients, Promise<string>>();

async function callerAccountId(clients: CloudClients): Promise<string> {
  const res = await clients.caller.call('sts', 'GetCallerIdentity', () => clients.sts.getCallerIdentity(), Math.min(3, clients.caller.maxAttempts));
  const id = res.body?.accountId;
  if (!id) throw new CloudError('GetCallerIdentity', 'STS GetCallerIdentity returned no AccountId — is the endpoint an Alibaba Cloud STS API?');
  return id;
}

/**
 * The Resource Directory a resource-directory scan runs over, for `snapshot.organization` (the trail
 * rules then require a multi-account trail and know whose it is). That mode lists members with
 * ListAccounts, called with the management account's credentials (`accounts.mode` docs), so the
 * scanning identity's account is taken as the management account; GetCallerIdentity needs no grant.
 * UNVERIFIED: a delegated administrator account that may call ListAccounts would be mistaken for the
 * management account (ResourceManager GetResourceDirectory's MasterAccountId tells them apart).
 */
export async function organizationOf(clients: CloudClients, config: Config): Promise<OrganizationInfo | undefined> {
  if (config.accounts.mode !== 'resource-directory') return undefined;
  let id = managementAccounts.get(clients);
  if (!id) {
    id = callerAccountId(clients);
    managementAccounts.set(clients, id);
    // A failure is not cached: the next member asks again.
    id.catch(() => managementAccounts.delete(clients));
  }
  return { managementAccountId: await id };
}

/**
 * Scans every member account with at most `config.accounts.concurrency` in flight (the CLI; FC fans out
 * one invocation per account instead, each running {@link scanTarget}); results keep the order of the targets.
 */
export async function scanAccounts(deps: ScanAccountsDeps): Promise<MultiAccountScan> {
  const { targets, notes } = await resolveTargets(deps.clients, deps.config);
  const limit = pLimit(deps.config.accounts.concurrency);
  const session = sessionName(deps.now);
  const accounts = await Promise.all(targets.map((t) => limit(() => scanTarget(deps, t, session))));
  return { accounts, notes };
}

/**
 * Scans one member: its role is assumed first (so a refusal is reported as such), then the account is
 * scanned with clients that sign with the assumed role. Its findings carry the account (and their
 * fingerprints its id), so each member's review tasks stay its own. Never throws: a failure is the result.
 */
export async function scanTarget(deps: ScanAccountsDeps, t: ScanTarget, session = sessionName(deps.now)): Promise<AccountScanResult> {
  const { clients, config } = deps;
  const clientsFor =
    deps.clientsFor ??
    ((credential: CredentialClient) =>
      createCloudClients(config.cloud, {
        credential,
        onRetry: ({ product, action, attempt, error }) =>
          deps.logger?.debug({ product, action, attempt, code: error.code, requestId: error.requestId }, 'retrying cloud call'),
      }));
  const scan = deps.scan ?? scanAccount;
  const base = { accountId: t.accountId, name: t.name };
  try {
    const credential = assumeRoleCredential(clients, { roleArn: t.roleArn, sessionName: session });
    // Assume the role up front: a refusal is this account's error, not a scan full of denied calls.
    await credential.getCredential();
    const organization = await organizationOf(clients, config);
    const report = await scan({
      now: deps.now,
      rules: deps.rules,
      usageStore: deps.usageStore,
      sleep: deps.sleep,
      logger: deps.logger,
      elapsed: deps.elapsed,
      clients: clientsFor(credential, t),
      config: { ...config, account: { ...config.account, name: t.name } },
      progress: deps.progress ? (e) => deps.progress?.(t.accountId, e) : undefined,
      account: { id: t.accountId, name: t.name },
      ...(organization ? { organization } : {}),
    });
    if (report.account.id !== t.accountId) {
      throw new RampartsError('ACCOUNT_MISMATCH', `the role ${t.roleArn} belongs to account ${report.account.id}, not ${t.accountId}: fix accounts.members[].roleArn`);
    }
    return { ...base, ok: true, report };
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    deps.logger?.warn({ accountId: t.accountId, code }, 'account scan failed');
    return { ...base, ok: false, error: err instanceof Error ? err.message : String(err), ...(typeof code === 'string' ? { errorCode: code } : {}) };
  }
}
