/**
 * Scanning many accounts on the emulator's `multi-account` scenario: each member through its
 * `ramparts-scan` role (STS AssumeRole from the management account's scanner user). `legacy`'s role
 * does not trust the management account, so its result is an error while the others scan.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { $Sts } from '../../shared/cloud/sdk.js';
import { createCloudClients, staticCredential, type CloudClients } from '../../shared/cloud/clients.js';
import { parseConfig, type Config } from '../../shared/config/index.js';
import { createLogger } from '../../shared/logger.js';
import { ALL_RULES } from '../../shared/rules/registry.js';
import { scanAccount, type ScanDeps } from '../../shared/scan/scan-account.js';
import { scanAccounts, sessionName, type ScanAccountsDeps } from '../../shared/scan/scan-accounts.js';
import { emulatorWith, NOW, SCANNER } from './harness.js';

const PROD = '2000000000000002';
const DEV = '3000000000000003';
const LEGACY = '4000000000000004';
const SANDBOX = '5000000000000005';

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function setup(accounts: Record<string, unknown>): Promise<{ config: Config; clients: CloudClients; emu: Emulator }> {
  const emu = await emulatorWith('multi-account');
  emulator = emu;
  const config = parseConfig({ accounts, activity: { source: 'none' } }, { env: { RAMPARTS_CLOUD_ENDPOINT: emu.url }, rules: ALL_RULES });
  const clients = createCloudClients(config.cloud, { credential: staticCredential(SCANNER.accessKeyId, SCANNER.accessKeySecret) });
  return { config, clients, emu };
}

const deps = (config: Config, clients: CloudClients, over: Partial<ScanAccountsDeps> = {}): ScanAccountsDeps => ({
  clients,
  config,
  now: NOW,
  sleep: async () => {},
  logger: createLogger('silent'),
  ...over,
});

const THREE = [
  { id: PROD, name: 'prod' },
  { id: DEV, name: 'dev' },
  { id: LEGACY, name: 'legacy' },
];

describe('scanAccounts, list mode', () => {
  it('scans each member as itself; a member whose role does not trust the scanner is an error, the others scan', async () => {
    const { config, clients, emu } = await setup({ mode: 'list', members: THREE });
    const result = await scanAccounts(deps(config, clients));

    expect(result.accounts.map((a) => [a.accountId, a.name, a.ok])).toEqual([
      [PROD, 'prod', true],
      [DEV, 'dev', true],
      [LEGACY, 'legacy', false],
    ]);
    const [prod, dev, legacy] = result.accounts;
    // The member's own inventory, read with its assumed-role credentials.
    expect(prod!.report!.account).toMatchObject({ id: PROD, name: 'prod' });
    expect(prod!.report!.partial).toBe(false);
    expect(prod!.report!.findings.some((f) => f.subject.name === 'deploy-bot')).toBe(true);
    expect(dev!.report!.account.id).toBe(DEV);
    expect(dev!.report!.findings.some((f) => f.subject.name === 'deploy-bot')).toBe(false);
    // Never "no findings": no report at all, and the reason.
    expect(legacy!.report).toBeUndefined();
    expect(legacy!.errorCode).toBe('ASSUME_ROLE_FAILED');
    expect(legacy!.error).toContain(`cannot assume acs:ram::${LEGACY}:role/ramparts-scan (NoPermission)`);

    expect(emu.stats().byProduct.sts.calls.AssumeRole).toBe(3);
    expect(emu.stats().byProduct.sts.errors.AssumeRole).toBe(1);
    // No write API was called in any account.
    expect(emu.stats().writes).toEqual({});
  });

  it('uses a member’s own roleArn, and reports a scan error for that account only', async () => {
    const { config, clients } = await setup({
      mode: 'list',
      members: [
        { id: PROD, roleArn: `acs:ram::${PROD}:role/no-such-role` },
        { id: DEV, name: 'dev' },
      ],
    });
    const failing: ScanAccountsDeps['scan'] = async (d: ScanDeps) => {
      if (d.config.account.name === 'dev') throw new Error('inventory exploded');
      return scanAccount(d);
    };
    const result = await scanAccounts(deps(config, clients, { scan: failing }));
    expect(result.accounts[0]).toMatchObject({ accountId: PROD, name: PROD, ok: false, errorCode: 'ASSUME_ROLE_FAILED' });
    expect(result.accounts[0]!.error).toContain('EntityNotExist.Role');
    expect(result.accounts[1]).toMatchObject({ accountId: DEV, ok: false, error: 'inventory exploded' });
  });

  it.each([1, 2])('keeps at most accounts.concurrency = %i AssumeRole calls and scans in flight', async (concurrency) => {
    const { config, clients } = await setup({ mode: 'list', members: THREE, concurrency });
    const gauge = () => {
      const g = { now: 0, max: 0 };
      const track = async <T>(fn: () => Promise<T>): Promise<T> => {
        g.max = Math.max(g.max, ++g.now);
        try {
          await new Promise((r) => setTimeout(r, 20));
          return await fn();
        } finally {
          g.now--;
        }
      };
      return { g, track };
    };
    const assume = gauge();
    const scans = gauge();
    const original = clients.sts.assumeRole.bind(clients.sts);
    clients.sts.assumeRole = (req) => assume.track(() => original(req));
    const result = await scanAccounts(deps(config, clients, { scan: (d) => scans.track(() => scanAccount(d)) }));
    expect(result.accounts.map((a) => a.ok)).toEqual([true, true, false]);
    expect(assume.g.max).toBe(concurrency);
    expect(scans.g.max).toBe(concurrency);
  });

  it('names its STS sessions ramparts-scan-<unix seconds>', () => {
    expect(sessionName(NOW)).toBe(`ramparts-scan-${NOW.getTime() / 1000}`);
  });
});

describe('scanAccounts, resource-directory mode', () => {
  it('discovers the members with ListAccounts, skips one not yet active with a note, and scans the rest', async () => {
    const { config, clients, emu } = await setup({ mode: 'resource-directory', members: [{ id: DEV, name: 'development' }] });
    const result = await scanAccounts(deps(config, clients));
    expect(result.accounts.map((a) => [a.accountId, a.name, a.ok])).toEqual([
      [PROD, 'prod', true],
      [DEV, 'development', true],
      [LEGACY, 'legacy', false],
    ]);
    expect(result.notes).toEqual([`skipped sandbox (${SANDBOX}): its Resource Directory status is CreateVerifying, not an active member`]);
    expect(emu.stats().byProduct.resourcemanager.calls.ListAccounts).toBe(1);
  });

  it('applies include and exclude', async () => {
    const excluded = await setup({ mode: 'resource-directory', exclude: [LEGACY], members: [{ id: '9000000000000009', name: 'gone' }] });
    const first = await scanAccounts(deps(excluded.config, excluded.clients));
    expect(first.accounts.map((a) => a.accountId)).toEqual([PROD, DEV]);
    expect(first.notes).toContain('accounts.members names 9000000000000009, which is not a member of the Resource Directory');
    await emulator?.close();
    const included = await setup({ mode: 'resource-directory', include: [DEV, '9000000000000009'] });
    const result = await scanAccounts(deps(included.config, included.clients));
    expect(result.accounts.map((a) => a.accountId)).toEqual([DEV]);
    expect(result.notes).toEqual(['accounts.include names 9000000000000009, which is not a member of the Resource Directory']);
  });

  it('reports every member as an error when the scanning identity may not assume roles (the account root)', async () => {
    const { config } = await setup({ mode: 'resource-directory' });
    const root = createCloudClients(config.cloud, { credential: staticCredential('LTAI5tMgmtRootKey000001', 'mgmt-root-secret-not-real') });
    const result = await scanAccounts(deps(config, root));
    expect(result.accounts).toHaveLength(3);
    for (const a of result.accounts) {
      expect(a.ok).toBe(false);
      expect(a.error).toContain('Roles may not be assumed by root accounts');
    }
  });

  it('fails as a whole when the directory cannot be listed (the scanning identity is in a member account)', async () => {
    const { config, clients } = await setup({ mode: 'resource-directory' });
    const res = await clients.sts.assumeRole(new $Sts.AssumeRoleRequest({ roleArn: `acs:ram::${PROD}:role/ramparts-scan`, roleSessionName: 'x1' }));
    const c = res.body!.credentials!;
    const member = createCloudClients(config.cloud, { credential: staticCredential(c.accessKeyId!, c.accessKeySecret!, c.securityToken!) });
    await expect(scanAccounts(deps(config, member))).rejects.toMatchObject({ cloudCode: 'EntityNotExists.ResourceDirectory' });
  });
});
