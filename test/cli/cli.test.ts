/**
 * The `ramparts` CLI end to end, in-process: `runCli` with in-memory stdout/stderr, a controlled
 * environment and a temp working directory, scanning emulated accounts on 127.0.0.1 through the real
 * SDK clients and the real `@alicloud/credentials` default chain.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../cli/program.js';
import { loadScenario, startEmulator, type Emulator, type Faults } from '../../emulator/index.js';
import { SEVERITIES, severityRank } from '../../shared/domain/finding.js';
import { ALL_RULES } from '../../shared/rules/registry.js';
import { Sink } from './sink.js';

interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

interface JsonFinding {
  rule: string;
  status: string;
  severity: (typeof SEVERITIES)[number];
  subject: { type: string; id: string; name: string; user?: string };
  remediation: { summary: string; plan: unknown };
  [key: string]: unknown;
}

interface JsonReport {
  account: { id: string; alias: string | null };
  partial: boolean;
  partialReasons: string[];
  findings: JsonFinding[];
  stats: { totalApiCalls: number; rulesRun: number };
}

const SCANNER_KEY_ID = 'LTAI5tDemoScannerKey0001';
const SCANNER_SECRET = 'demo-secret-not-real-0001';
const REPORT_KEYS = ['account', 'scannedAt', 'partial', 'partialReasons', 'findings', 'suppressed', 'identities', 'stats', 'activity'];
const FINDING_KEYS = ['rule', 'status', 'severity', 'title', 'subject', 'evidence', 'remediation', 'fingerprint', 'partial'];
/** Keeps retries and credential-report polling in milliseconds, so the whole file runs in seconds. */
const FAST_CONFIG = [
  'cloud: { maxAttempts: 2, retryBaseDelayMs: 1, retryMaxDelayMs: 5 }',
  'scan: { credentialReport: { pollIntervalMs: 100 } }',
  '',
].join('\n');

let dir: string;
let demo: Emulator;
/** Where the credential chain's URI provider is sent: a closed local port (it must fail without DNS). */
let credentialsUri: string;
const extra: Emulator[] = [];

async function emulator(name: 'demo' | 'clean', faults?: Faults): Promise<Emulator> {
  const e = await startEmulator({ scenario: await loadScenario(name), port: 0, faults });
  extra.push(e);
  return e;
}

/** Runs the CLI; the endpoint goes through `io.env` as a user would export it. */
async function run(argv: string[], endpoint: string | undefined = demo.url): Promise<Run> {
  const stdout = new Sink();
  const stderr = new Sink();
  const env: NodeJS.ProcessEnv = {
    ALIBABA_CLOUD_ACCESS_KEY_ID: process.env.ALIBABA_CLOUD_ACCESS_KEY_ID,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET,
    ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true',
    ALIBABA_CLOUD_CLI_PROFILE_DISABLED: 'true',
  };
  if (endpoint !== undefined) env.RAMPARTS_CLOUD_ENDPOINT = endpoint;
  const status = await runCli(argv, { stdout, stderr, env, cwd: dir });
  return { status, stdout: stdout.text, stderr: stderr.text };
}

/** `ramparts scan` with fast retries, no progress lines and the given extra arguments. */
const scan = (args: string[], endpoint?: string) => run(['scan', '--config', 'fast.yaml', '--no-progress', ...args], endpoint);

const STACK_LINE = /^\s+at /m;

/** A TCP port nothing listens on: bind an ephemeral port, then release it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return address.port;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ramparts-cli-'));
  await writeFile(join(dir, 'fast.yaml'), FAST_CONFIG);
  demo = await startEmulator({ scenario: await loadScenario('demo'), port: 0 });
  credentialsUri = `http://127.0.0.1:${await closedPort()}/`;
});

afterAll(async () => {
  await demo.close();
  await rm(dir, { recursive: true, force: true });
});

beforeEach(() => {
  // @alicloud/credentials reads process.env, not io.env: pin every input of its default chain, so
  // no profile, OIDC setting or instance metadata of the machine running the tests is picked up.
  vi.stubEnv('ALIBABA_CLOUD_ACCESS_KEY_ID', SCANNER_KEY_ID);
  vi.stubEnv('ALIBABA_CLOUD_ACCESS_KEY_SECRET', SCANNER_SECRET);
  vi.stubEnv('ALIBABA_CLOUD_SECURITY_TOKEN', undefined);
  vi.stubEnv('ALIBABA_CLOUD_ECS_METADATA_DISABLED', 'true');
  vi.stubEnv('ALIBABA_CLOUD_ECS_METADATA', undefined);
  vi.stubEnv('ALIBABA_CLOUD_CLI_PROFILE_DISABLED', 'true');
  vi.stubEnv('ALIBABA_CLOUD_PROFILE', undefined);
  vi.stubEnv('ALIBABA_CLOUD_CREDENTIALS_FILE', join(dir, 'no-such-credentials'));
  // Unset, the chain's URI provider still requests "undefined" and so looks up a host name.
  vi.stubEnv('ALIBABA_CLOUD_CREDENTIALS_URI', credentialsUri);
  vi.stubEnv('ALIBABA_CLOUD_ROLE_ARN', undefined);
  vi.stubEnv('ALIBABA_CLOUD_OIDC_PROVIDER_ARN', undefined);
  vi.stubEnv('ALIBABA_CLOUD_OIDC_TOKEN_FILE', undefined);
  vi.stubEnv('HOME', dir);
  vi.stubEnv('RAMPARTS_CONFIG', undefined);
  demo.resetStats();
});

afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.all(extra.splice(0).map((e) => e.close()));
});

describe('ramparts scan', () => {
  it('prints the documented JSON report and exits 1 on the demo account', async () => {
    const r = await scan(['--format', 'json']);

    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(Object.keys(report)).toEqual(REPORT_KEYS);
    expect(report.account).toEqual({ id: '1234567890123456', alias: 'demo-corp' });
    expect(report.partial).toBe(false);
    expect(report.partialReasons).toEqual([]);
    expect(report.stats.rulesRun).toBe(ALL_RULES.length);
    // The client's count is what the server saw.
    expect(report.stats.totalApiCalls).toBe(demo.stats().total);
    expect(report.findings.length).toBeGreaterThan(0);
    for (const f of report.findings) {
      expect(Object.keys(f), f.rule).toEqual(FINDING_KEYS);
      expect(Object.keys(f.remediation)).toEqual(['summary', 'plan']);
      const subjectKeys = f.subject.type === 'accessKey' ? ['type', 'id', 'name', 'user'] : ['type', 'id', 'name'];
      expect(Object.keys(f.subject), `${f.rule} ${f.subject.name}`).toEqual(subjectKeys);
    }

    const keys = report.findings.filter((f) => f.subject.type === 'accessKey');
    expect(keys.length).toBeGreaterThan(0);
    for (const f of keys) {
      expect(f.subject.name).toBe(f.subject.id);
      expect(f.subject.name).toMatch(/^LTAI/);
    }
    expect(report.findings).toContainEqual(
      expect.objectContaining({
        rule: 'ram.access-key-stale',
        subject: { type: 'accessKey', id: 'LTAI5tDemoBuildAgent0001', name: 'LTAI5tDemoBuildAgent0001', user: 'build-agent' },
      }),
    );
    // Secrets in the scenario never reach the report.
    expect(r.stdout).not.toContain(SCANNER_SECRET);
  });

  it('exits 0 on the clean account, which has no finding at all', async () => {
    const clean = await emulator('clean');
    const r = await scan(['--format', 'json', '--fail-on', 'info'], clean.url);

    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(report.account).toEqual({ id: '2345678901234567', alias: 'clean-corp' });
    expect(report.partial).toBe(false);
    expect(report.findings).toEqual([]);
  });

  it('exits 1 on the demo account with --fail-on critical', async () => {
    const r = await scan(['--format', 'json', '--fail-on', 'critical']);

    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout) as JsonReport;
    const critical = report.findings.filter((f) => f.status === 'fail' && severityRank(f.severity) >= severityRank('critical'));
    expect(critical.map((f) => f.rule)).toContain('ram.root-mfa-missing');
  });

  it('writes Markdown to --output, choosing the format from the extension, and nothing to stdout', async () => {
    const r = await scan(['--output', 'report.md']);

    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    const file = join(dir, 'report.md');
    expect(r.stderr).toBe(`ramparts: wrote markdown report to ${file}\n`);
    const text = await readFile(file, 'utf8');
    expect(text).toMatch(/^# /);
    expect(text).toMatch(/^\| .* \|$/m);
    expect(text).toContain('ram.root-mfa-missing');
    expect(() => JSON.parse(text)).toThrow();
  });

  it('prints CSV with --format csv: the header and one row per finding', async () => {
    const [csv, json] = [await scan(['--format', 'csv']), await scan(['--format', 'json'])];

    expect(csv.status).toBe(1);
    const lines = csv.stdout.split('\r\n');
    expect(lines.at(-1)).toBe('');
    expect(lines[0]).toBe('severity,status,rule,title,subject_type,subject_id,subject_name,subject_user,evidence,remediation,fingerprint,partial');
    const findings = (JSON.parse(json.stdout) as JsonReport).findings;
    // No cell of the demo holds a line break, so rows and lines agree.
    expect(lines.length - 2).toBe(findings.length);
    expect(csv.stdout).toContain('ram.access-key-stale,');
    expect(csv.stdout).toContain(',LTAI5tDemoBuildAgent0001,LTAI5tDemoBuildAgent0001,build-agent,');
  });

  it('rejects a bad config file with exit 2, naming every field, before any cloud call', async () => {
    await writeFile(join(dir, 'bad.yaml'), ['bogus: 1', 'rules:', '  ram.access-key-stale:', '    params: { maxAgeDays: -5 }', ''].join('\n'));
    const r = await run(['scan', '--config', 'bad.yaml']);

    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^\s+- bogus: unknown key/m);
    expect(r.stderr).toContain('rules."ram.access-key-stale".params.maxAgeDays');
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(demo.stats().total).toBe(0);
  });

  it('exits 2 when a named config file does not exist', async () => {
    const r = await run(['scan', '--config', 'missing.yaml']);

    expect(r.status).toBe(2);
    expect(r.stderr).toContain(join(dir, 'missing.yaml'));
    expect(r.stderr).toContain('file not found');
    expect(demo.stats().total).toBe(0);
  });

  it('exits 2 with one line naming an unreachable endpoint', async () => {
    const port = await closedPort();
    const r = await scan([], `http://127.0.0.1:${port}`);

    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`127.0.0.1:${port}`);
    expect(r.stderr).toMatch(/cannot reach/);
  });

  it('exits 2 naming the credentials when the secret is wrong, without echoing it', async () => {
    vi.stubEnv('ALIBABA_CLOUD_ACCESS_KEY_SECRET', 'wrong-secret-not-real');
    const r = await scan([]);

    expect(r.status).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('SignatureDoesNotMatch');
    expect(r.stderr).toContain('ALIBABA_CLOUD_ACCESS_KEY_SECRET');
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(r.stderr).not.toContain('wrong-secret-not-real');
    // The preflight stops the scan: nothing but the identity check reached the account.
    expect(Object.keys(demo.stats().calls)).toEqual(['GetCallerIdentity']);
  });

  it('adds the stack with --debug', async () => {
    vi.stubEnv('ALIBABA_CLOUD_ACCESS_KEY_SECRET', 'wrong-secret-not-real');
    const r = await run(['--debug', 'scan', '--config', 'fast.yaml', '--no-progress']);

    expect(r.status).toBe(2);
    expect(r.stderr).toContain('SignatureDoesNotMatch');
    expect(r.stderr).toMatch(/CloudError: /);
    expect(r.stderr).toMatch(STACK_LINE);
    expect(r.stderr).not.toContain('wrong-secret-not-real');
  });

  it('exits 2 naming the credential variables when there are no credentials at all', async () => {
    vi.stubEnv('ALIBABA_CLOUD_ACCESS_KEY_ID', undefined);
    vi.stubEnv('ALIBABA_CLOUD_ACCESS_KEY_SECRET', undefined);
    const r = await scan([]);

    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no Alibaba Cloud credentials found/);
    expect(r.stderr).toContain('ALIBABA_CLOUD_ACCESS_KEY_ID');
    expect(demo.stats().total).toBe(0);
  });

  it('exits 2 on a partial scan with nothing at or above --fail-on, listing the reasons on stderr', async () => {
    const clean = await emulator('clean', { failActions: { ListEntitiesForPolicy: { code: 'ServiceUnavailable', status: 503 } } });
    const r = await scan(['--format', 'json'], clean.url);

    expect(r.status).toBe(2);
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(report.partial).toBe(true);
    expect(report.partialReasons).toEqual([expect.stringContaining('ListEntitiesForPolicy')]);
    expect(r.stderr).toContain('the scan is partial');
    for (const reason of report.partialReasons) expect(r.stderr).toContain(reason);
    // The rules that need the missing part say "unknown" rather than passing.
    const unknown = report.findings.filter((f) => f.status === 'unknown');
    expect(unknown.map((f) => f.rule)).toEqual(expect.arrayContaining(['ram.policy-full-admin', 'ram.policy-privilege-management']));
    // A partial scan proposes no change.
    expect(report.findings.filter((f) => f.remediation.plan !== null)).toEqual([]);
  });
});

describe('ramparts rules', () => {
  it('lists the 25 rules as JSON', async () => {
    const r = await run(['rules', '--format', 'json']);

    expect(r.status).toBe(0);
    const rules = JSON.parse(r.stdout) as Array<{ id: string; severity: string; title: string; params: unknown }>;
    expect(rules).toHaveLength(25);
    expect(rules.map((x) => x.id).sort()).toEqual(ALL_RULES.map((x) => x.id).sort());
    for (const rule of rules) {
      expect(rule.id).toMatch(/^(ram|actiontrail|kms)\.[a-z]+(-[a-z]+)*$/);
      expect(SEVERITIES).toContain(rule.severity);
      expect(rule.title.length).toBeGreaterThan(0);
    }
    expect(rules.find((x) => x.id === 'ram.access-key-stale')?.params).toEqual({ maxAgeDays: 90 });
  });

  it('prints a table with every rule id', async () => {
    const r = await run(['rules']);

    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(25);
    for (const rule of ALL_RULES) expect(lines.some((l) => l.includes(` ${rule.id} `))).toBe(true);
  });
});

describe('usage errors', () => {
  it('exits 2 on an unknown command', async () => {
    const r = await run(['scna']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown command 'scna'/);
    expect(r.stderr).toMatch(/Did you mean scan\?/);
  });

  it('exits 2 on an unknown option', async () => {
    const r = await run(['scan', '--frmat', 'json']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown option '--frmat'/);
    expect(demo.stats().total).toBe(0);
  });

  it('exits 2 on a severity --fail-on does not know', async () => {
    const r = await run(['scan', '--fail-on', 'severe']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--fail-on <severity>.*'severe' is invalid/);
    expect(demo.stats().total).toBe(0);
  });

  it('exits 0 on --help and prints the commands', async () => {
    const r = await run(['--help']);
    expect(r.status).toBe(0);
    for (const command of ['scan', 'rules', 'emulator', 'demo']) expect(r.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
  });
});
