/**
 * `templates/ram-policy-scan.json` grants exactly what a scan calls: scans of the demo account
 * (credential-report path) and of a generated account with the report disabled (per-user path) on the
 * emulator, every called action mapped to the RAM action that authorizes it (ActionTrail reads — the
 * activity source and the trail inventory — authorize as `actiontrail:<Action>`, KMS secret metadata
 * reads as `kms:<Action>`).
 */
import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { createApp, type App } from '../../shared/app.js';
import type { CloudCaller } from '../../shared/cloud/caller.js';
import { createCloudClients, staticCredential, type CloudClients } from '../../shared/cloud/clients.js';
import { parseConfig } from '../../shared/config/index.js';
import { createLogger } from '../../shared/logger.js';
import { FC_INVOKE_ACTION } from '../../shared/fc/invoke-async.js';
import { ALL_RULES } from '../../shared/rules/registry.js';
import { scanAccounts } from '../../shared/scan/scan-accounts.js';
import { emulatorWith, generateScenario, NOW, SCANNER } from './harness.js';

const POLICY_FILE = new URL('../../templates/ram-policy-scan.json', import.meta.url);
const ACCOUNTS_POLICY_FILE = new URL('../../templates/ram-policy-scan-accounts.json', import.meta.url);
/** Verbs of RAM (and IMS) APIs that change the account. */
const WRITE_VERB = /^(Create|Update|Delete|Attach|Detach|Add|Remove|Set|Put|Bind|Unbind|Change)/;
/** Calls that need no permission: STS GetCallerIdentity answers for any valid credential. */
const NO_PERMISSION = new Set(['sts:GetCallerIdentity']);
/** The trail and secret inventory: a scan of an account with trails and secrets makes each of these calls. */
const CONTEXT_CALLS = ['actiontrail:DescribeTrails', 'actiontrail:GetTrailStatus', 'kms:ListSecrets', 'kms:DescribeSecret'];

interface PolicyDocument {
  Version: string;
  Statement: Array<{ Effect: string; Action: string | string[]; Resource: string | string[] }>;
}

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function policyActions(file: URL = POLICY_FILE): Promise<string[]> {
  const doc = JSON.parse(await readFile(file, 'utf8')) as PolicyDocument;
  expect(doc.Statement.every((s) => s.Effect === 'Allow')).toBe(true);
  return doc.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
}

async function scan(raw: Record<string, unknown>, scenario: Parameters<typeof emulatorWith>[0]): Promise<App> {
  emulator = await emulatorWith(scenario);
  const config = parseConfig(raw, { env: { RAMPARTS_CLOUD_ENDPOINT: emulator.url }, rules: ALL_RULES });
  const app = createApp({ config, logger: createLogger('silent'), credential: staticCredential(SCANNER.accessKeyId, SCANNER.accessKeySecret) });
  const report = await app.scan({ now: NOW });
  expect(report.partial, report.partialReasons.join('; ')).toBe(false);
  return app;
}

/** The permission each call needs: IMS and RAM actions both authorize as `ram:<Action>`. */
function permissionsCalled(app: App | CloudCaller): { needed: Set<string>; free: Set<string> } {
  const caller = 'cloud' in app ? app.cloud.caller : app;
  const needed = new Set<string>();
  const free = new Set<string>();
  for (const [product, actions] of Object.entries(caller.stats.byProduct)) {
    for (const action of Object.keys(actions)) {
      const qualified = `${product}:${action}`;
      if (NO_PERMISSION.has(qualified)) free.add(qualified);
      else if (product === 'ram' || product === 'ims') needed.add(`ram:${action}`);
      else needed.add(qualified);
    }
  }
  return { needed, free };
}

describe('templates/ram-policy-scan.json', () => {
  it('grants exactly the actions the credential-report and per-user scans call', async () => {
    const viaReport = await scan({ scan: { credentialReport: { pollIntervalMs: 100 } } }, 'demo');
    expect(viaReport.cloud.caller.stats.calls.GetCredentialReport ?? 0).toBeGreaterThan(0);
    const reportCalls = permissionsCalled(viaReport);
    await emulator?.close();

    const perUser = await scan({ scan: { credentialReport: { enabled: false } } }, generateScenario({ users: 40, seed: 11 }));
    expect(perUser.cloud.caller.stats.calls.GetCredentialReport ?? 0).toBe(0);
    expect(perUser.cloud.caller.stats.calls.GetLoginProfile ?? 0).toBeGreaterThan(0);
    const perUserCalls = permissionsCalled(perUser);

    const called = new Set([...reportCalls.needed, ...perUserCalls.needed]);
    // The generated account has trails and secrets, so every inventory call of theirs was made (and must be granted).
    expect(CONTEXT_CALLS.filter((a) => !perUserCalls.needed.has(a))).toEqual([]);
    const granted = new Set(await policyActions());
    const missing = [...called].filter((a) => !granted.has(a)).sort();
    const extra = [...granted].filter((a) => !called.has(a)).sort();
    expect({ missing, extra }, `policy vs calls — missing: ${missing.join(', ') || 'none'}; extra: ${extra.join(', ') || 'none'}`).toEqual({ missing: [], extra: [] });
    // The preflight identity check ran, and needs no grant.
    expect([...reportCalls.free, ...perUserCalls.free]).toEqual(['sts:GetCallerIdentity', 'sts:GetCallerIdentity']);
  });

  it('lists no action that can change the account, nor a wildcard', async () => {
    const actions = await policyActions();
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.filter((a) => WRITE_VERB.test(a.split(':')[1] ?? a))).toEqual([]);
    expect(actions.filter((a) => a.includes('*'))).toEqual([]);
    // RAM (and IMS) reads, the ActionTrail reads (activity source, trails) and the KMS secret metadata reads.
    expect(actions.filter((a) => !/^(ram|actiontrail|kms):[A-Z][A-Za-z]+$/.test(a))).toEqual([]);
    // Metadata only: the scan role can never read a secret's value.
    expect(actions.filter((a) => /^kms:(GetSecretValue|BatchGetSecretValue|Decrypt)$/.test(a))).toEqual([]);
    expect(new Set(actions).size).toBe(actions.length);
  });

  it('a Resource Directory scan: the scan role needs only ListAccounts and AssumeRole (ram-policy-scan-accounts.json), each member role only ram-policy-scan.json', async () => {
    emulator = await emulatorWith('multi-account');
    const config = parseConfig({ accounts: { mode: 'resource-directory' } }, { env: { RAMPARTS_CLOUD_ENDPOINT: emulator.url }, rules: ALL_RULES });
    const clients = createCloudClients(config.cloud, { credential: staticCredential(SCANNER.accessKeyId, SCANNER.accessKeySecret) });
    const members: CloudClients[] = [];
    const result = await scanAccounts({
      clients,
      config,
      now: NOW,
      sleep: async () => {},
      logger: createLogger('silent'),
      clientsFor: (credential) => {
        const c = createCloudClients(config.cloud, { credential });
        members.push(c);
        return c;
      },
    });
    expect(result.accounts.filter((a) => a.ok).length).toBeGreaterThanOrEqual(2);
    expect(members.length).toBe(result.accounts.filter((a) => a.ok).length); // a refused AssumeRole gets no clients

    // On FC the scan also queues one worker per member: fc:InvokeFunction on itself (shared/fc/invoke-async.ts,
    // test/functions/scan-fanout.test.ts), the one call the CLI's in-process scan does not make.
    const management = [...permissionsCalled(clients.caller).needed, FC_INVOKE_ACTION];
    expect(management.sort()).toEqual((await policyActions(ACCOUNTS_POLICY_FILE)).sort());
    const granted = new Set(await policyActions());
    for (const member of members) {
      const needed = [...permissionsCalled(member.caller).needed];
      expect(needed.filter((a) => !granted.has(a))).toEqual([]);
    }
    // Scoped to the member role's name: the scan role cannot assume any other role in a member.
    const doc = JSON.parse(await readFile(ACCOUNTS_POLICY_FILE, 'utf8')) as PolicyDocument;
    expect(doc.Statement.find((s) => s.Action.includes('sts:AssumeRole'))?.Resource).toBe(`acs:ram::*:role/${config.accounts.roleName}`);
    // …and the function can invoke only itself.
    expect(doc.Statement.find((s) => s.Action.includes(FC_INVOKE_ACTION))?.Resource).toBe('acs:fc:*:*:functions/ramparts-scan');
  });
});

