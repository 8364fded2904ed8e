/**
 * `ramparts scan` over several accounts (accounts.mode list / resource-directory), in-process against
 * the emulator's `multi-account` scenario: one section per account, a JSON array of reports, and exit
 * statuses that never let an unscanned account read as clean.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../cli/program.js';
import { loadScenario, startEmulator, type Emulator } from '../../emulator/index.js';
import { Sink } from './sink.js';

const PROD = '2000000000000002';
const DEV = '3000000000000003';
const LEGACY = '4000000000000004';
const FAST = ['cloud: { maxAttempts: 2, retryBaseDelayMs: 1, retryMaxDelayMs: 5 }', 'scan: { credentialReport: { pollIntervalMs: 100 } }', 'activity: { source: none }'];

interface JsonAccounts {
  accounts: Array<{ accountId: string; name: string; ok: boolean; report?: { account: { id: string }; findings: unknown[]; partial: boolean }; error?: string; errorCode?: string }>;
  notes: string[];
}

let dir: string;
let emu: Emulator;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ramparts-cli-accounts-'));
  emu = await startEmulator({ scenario: await loadScenario('multi-account'), port: 0 });
});
afterAll(async () => {
  await emu.close();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  // @alicloud/credentials reads process.env: pin its default chain to the scanner's key (as cli.test.ts does).
  vi.stubEnv('ALIBABA_CLOUD_ACCESS_KEY_ID', 'LTAI5tDemoScannerKey0001');
  vi.stubEnv('ALIBABA_CLOUD_ACCESS_KEY_SECRET', 'demo-secret-not-real-0001');
  vi.stubEnv('ALIBABA_CLOUD_SECURITY_TOKEN', undefined);
  vi.stubEnv('ALIBABA_CLOUD_ECS_METADATA_DISABLED', 'true');
  vi.stubEnv('ALIBABA_CLOUD_CLI_PROFILE_DISABLED', 'true');
  vi.stubEnv('ALIBABA_CLOUD_PROFILE', undefined);
  vi.stubEnv('ALIBABA_CLOUD_CREDENTIALS_FILE', join(dir, 'no-such-credentials'));
  vi.stubEnv('ALIBABA_CLOUD_CREDENTIALS_URI', 'http://127.0.0.1:9/');
  vi.stubEnv('ALIBABA_CLOUD_ROLE_ARN', undefined);
  vi.stubEnv('ALIBABA_CLOUD_OIDC_PROVIDER_ARN', undefined);
  vi.stubEnv('ALIBABA_CLOUD_OIDC_TOKEN_FILE', undefined);
  vi.stubEnv('HOME', dir);
  vi.stubEnv('RAMPARTS_CONFIG', undefined);
});
afterEach(() => vi.unstubAllEnvs());

/** `ramparts scan` with a config whose `accounts` section is `accounts` (YAML flow text). */
async function scan(accounts: string, args: string[] = []): Promise<{ status: number; stdout: string; stderr: string }> {
  const file = join(dir, 'accounts.yaml');
  await writeFile(file, [...FAST, `accounts: ${accounts}`, `store: { dataDir: ${JSON.stringify(join(dir, 'data'))} }`, ''].join('\n'));
  const stdout = new Sink();
  const stderr = new Sink();
  const env = { RAMPARTS_CLOUD_ENDPOINT: emu.url, ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true' };
  const status = await runCli(['scan', '--config', file, '--no-progress', ...args], { stdout, stderr, env, cwd: dir });
  return { status, stdout: stdout.text, stderr: stderr.text };
}

const THREE = `{ mode: list, members: [{ id: "${PROD}", name: prod }, { id: "${DEV}", name: dev }, { id: "${LEGACY}", name: legacy }] }`;

describe('ramparts scan, several accounts', () => {
  it('prints one table section per account, and exits 2 naming the account it could not scan', async () => {
    const r = await scan(THREE, ['--format', 'table']);
    expect(r.status).toBe(2);
    const headers = r.stdout.split('\n').filter((l) => l.startsWith('=== '));
    expect(headers).toEqual([`=== prod (${PROD}) ===`, `=== dev (${DEV}) ===`, `=== legacy (${LEGACY}) ===`]);
    expect(r.stdout).toContain(`NOT SCANNED: cannot assume acs:ram::${LEGACY}:role/ramparts-scan (NoPermission)`);
    expect(r.stderr).toContain(`ramparts: account legacy (${LEGACY}) was not scanned: cannot assume`);
  });

  it('writes JSON {accounts:[…]} with each report, or the error for an account without one', async () => {
    const r = await scan(THREE, ['--format', 'json']);
    expect(r.status).toBe(2);
    const out = JSON.parse(r.stdout) as JsonAccounts;
    expect(out.accounts.map((a) => [a.accountId, a.name, a.ok])).toEqual([
      [PROD, 'prod', true],
      [DEV, 'dev', true],
      [LEGACY, 'legacy', false],
    ]);
    expect(out.accounts[0]!.report!.account.id).toBe(PROD);
    expect(out.accounts[0]!.report!.findings.length).toBeGreaterThan(0);
    expect(out.accounts[2]).toMatchObject({ errorCode: 'ASSUME_ROLE_FAILED' });
    expect(out.accounts[2]!.report).toBeUndefined();
    expect(out.notes).toEqual([]);
  });

  it('exits 1 when an account has a finding at or above --fail-on, and 0 when none has', async () => {
    const both = `{ mode: list, members: [{ id: "${PROD}" }, { id: "${DEV}" }] }`;
    const r = await scan(both, ['--format', 'json']);
    expect(r.status).toBe(1);
    const out = JSON.parse(r.stdout) as JsonAccounts;
    expect(out.accounts.map((a) => a.name)).toEqual([PROD, DEV]);
    const quiet = await scan(`{ mode: list, members: [{ id: "${DEV}" }] }`, ['--format', 'json', '--fail-on', 'critical']);
    const devFindings = (JSON.parse(quiet.stdout) as JsonAccounts).accounts[0]!.report!.findings as Array<{ severity: string; status: string }>;
    expect(devFindings.some((f) => f.severity === 'critical' && f.status !== 'pass')).toBe(false);
    expect(quiet.status).toBe(0);
  });

  it('discovers members in the Resource Directory and notes the ones it skips', async () => {
    const r = await scan('{ mode: resource-directory, exclude: ["4000000000000004"] }', ['--format', 'csv']);
    expect(r.status).toBe(1);
    const lines = r.stdout.split('\r\n').filter(Boolean);
    expect(lines[0]).toMatch(/^accountId,severity,/);
    expect(new Set(lines.slice(1).map((l) => l.split(',')[0]))).toEqual(new Set([PROD, DEV]));
    expect(r.stderr).toContain('ramparts: skipped sandbox (5000000000000005): its Resource Directory status is CreateVerifying');
  });

  it('names the field when the accounts section is wrong, before any cloud call', async () => {
    const r = await scan('{ mode: list, concurrency: 0 }');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('accounts.members: list at least one member');
    expect(r.stderr).toContain('accounts.concurrency: must be a whole number from 1 to 32');
  });
});
