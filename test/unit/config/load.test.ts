import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../shared/errors.js';
import { DEFAULTS, loadConfig } from '../../../shared/config/index.js';
import { FAKE_RULES } from './fake-rules.js';

let cwd: string;
beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'ramparts-config-'));
});
afterEach(async () => {
  await rm(cwd, { recursive: true, force: true });
});

async function write(name: string, text: string): Promise<string> {
  const path = join(cwd, name);
  await writeFile(path, text);
  return path;
}

/** Runs the loader expecting failure and returns the issues. */
async function issuesOf(promise: Promise<unknown>): Promise<string[]> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return (error as ConfigError).issues;
}

describe('loadConfig sources', () => {
  it('gives the documented defaults when there is no file and no environment', async () => {
    const config = await loadConfig({ env: {}, cwd, rules: FAKE_RULES });
    expect(config).toEqual(DEFAULTS);
    expect(config.cloud).toMatchObject({ regionId: 'cn-hangzhou', protocol: 'https', concurrency: 8, maxAttempts: 6 });
    expect(config.cloud.endpoints).toEqual({ ram: null, ims: null, sts: null, actiontrail: null, resourcemanager: null, kms: null });
    expect(config.scan.credentialReport).toEqual({ enabled: true, maxUsers: 3500, pollIntervalMs: 2000, timeoutMs: 120000 });
    expect(config).toMatchObject({ account: { name: null }, rules: {}, exclusions: [], logLevel: 'info' });
  });

  it('reads ramparts.config.yaml from cwd, and the environment beats the file', async () => {
    await write(
      'ramparts.config.yaml',
      ['cloud:', '  regionId: cn-shanghai', '  concurrency: 4', '  endpoints:', '    ram: ram.internal:8443', 'logLevel: warn', ''].join('\n'),
    );
    const fromFile = await loadConfig({ env: {}, cwd, rules: FAKE_RULES });
    expect(fromFile.cloud).toMatchObject({ regionId: 'cn-shanghai', concurrency: 4, protocol: 'https', maxAttempts: 6 });
    expect(fromFile.cloud.endpoints.ram).toBe('ram.internal:8443');
    expect(fromFile.logLevel).toBe('warn');

    const env = { RAMPARTS_REGION: 'cn-beijing', RAMPARTS_LOG_LEVEL: 'debug', RAMPARTS_CLOUD_ENDPOINT: 'http://127.0.0.1:9123' };
    const withEnv = await loadConfig({ env, cwd, rules: FAKE_RULES });
    expect(withEnv.cloud.regionId).toBe('cn-beijing');
    expect(withEnv.logLevel).toBe('debug');
    expect(withEnv.cloud.protocol).toBe('http');
    expect(withEnv.cloud.endpoints).toEqual({
      ram: '127.0.0.1:9123',
      ims: '127.0.0.1:9123',
      sts: '127.0.0.1:9123',
      actiontrail: '127.0.0.1:9123',
      resourcemanager: '127.0.0.1:9123',
      kms: '127.0.0.1:9123',
    });
    expect(withEnv.cloud.concurrency).toBe(4);
  });

  it('prefers --config over RAMPARTS_CONFIG over the cwd file', async () => {
    await write('ramparts.config.yaml', 'logLevel: warn\n');
    await mkdir(join(cwd, 'conf'));
    await write('conf/env.yaml', 'logLevel: error\n');
    const explicit = await write('explicit.yaml', 'logLevel: trace\n');
    const env = { RAMPARTS_CONFIG: 'conf/env.yaml' };
    expect((await loadConfig({ env, cwd, rules: FAKE_RULES })).logLevel).toBe('error');
    expect((await loadConfig({ path: explicit, env, cwd, rules: FAKE_RULES })).logLevel).toBe('trace');
  });

  it('treats an empty file as no options', async () => {
    await write('ramparts.config.yaml', '# nothing yet\n');
    expect(await loadConfig({ env: {}, cwd, rules: FAKE_RULES })).toEqual(DEFAULTS);
  });

  it('fails naming the path when an explicitly named file does not exist', async () => {
    expect(await issuesOf(loadConfig({ path: 'missing.yaml', env: {}, cwd, rules: FAKE_RULES }))).toEqual([
      `--config: ${join(cwd, 'missing.yaml')} file not found; check the path`,
    ]);
    const issues = await issuesOf(loadConfig({ env: { RAMPARTS_CONFIG: '/nowhere/r.yaml' }, cwd, rules: FAKE_RULES }));
    expect(issues).toEqual(['RAMPARTS_CONFIG: /nowhere/r.yaml file not found; check the path']);
  });

  it('reports YAML syntax errors with line and column, alongside environment problems', async () => {
    await write('ramparts.config.yaml', 'cloud:\n  regionId: cn-hangzhou\n  concurrency: [1, 2\nlogLevel: info\n');
    const issues = await issuesOf(loadConfig({ env: { RAMPARTS_REGION: 'Hangzhou' }, cwd, rules: FAKE_RULES }));
    expect(issues[0]).toMatch(/^ramparts\.config\.yaml:\d+:\d+: YAML syntax error: /);
    expect(issues.at(-1)).toMatch(/^RAMPARTS_REGION: /);
  });

  it('reports the line of a duplicate key', async () => {
    await write('ramparts.config.yaml', 'logLevel: info\nlogLevel: warn\n');
    const issues = await issuesOf(loadConfig({ env: {}, cwd, rules: FAKE_RULES }));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/^ramparts\.config\.yaml:2:1: YAML syntax error: .*unique/i);
  });

  it('refuses a file whose top level is not a mapping', async () => {
    await write('ramparts.config.yaml', '- cloud\n');
    expect(await issuesOf(loadConfig({ env: {}, cwd, rules: FAKE_RULES }))).toEqual([
      'ramparts.config.yaml: the top level must be a mapping of options such as "cloud:" and "rules:"',
    ]);
  });
});

describe('loadConfig validation', () => {
  it('reports every problem at once, each with its path', async () => {
    await write(
      'ramparts.config.yaml',
      [
        'colud: {}',
        'cloud:',
        '  regionid: cn-hangzhou',
        '  endpoints:',
        '    ram: http://127.0.0.1:9000',
        'rules:',
        '  ram.access-key-stal: {}',
        '  ram.access-key-stale:',
        '    params:',
        '      maxAgeDays: 0',
        'exclusions:',
        '  - pattern: svc-*',
        '',
      ].join('\n'),
    );
    const env = { RAMPARTS_CLOUD_ENDPOINT: 'http://127.0.0.1:9000/api' };
    const issues = await issuesOf(loadConfig({ env, cwd, rules: FAKE_RULES }));
    expect(issues).toEqual([
      'cloud.endpoints.ram: drop the scheme: write "127.0.0.1:9000" and set cloud.protocol, or set RAMPARTS_CLOUD_ENDPOINT=http://127.0.0.1:9000 to override every service',
      expect.stringMatching(/^cloud\.regionid: unknown key; did you mean "regionId"\? expected one of regionId, protocol, /),
      expect.stringMatching(/^colud: unknown key; did you mean "cloud"\? expected one of account, accounts, cloud, scan, activity, rules, exclusions, people, owners, review, chat, remediation, alerts, store, logLevel$/),
      'exclusions[0].reason: is required: say why these findings are accepted, e.g. a ticket or decision',
      expect.stringMatching(
        /^rules\."ram\.access-key-stal": unknown rule id "ram\.access-key-stal"; did you mean "ram\.access-key-stale"\? valid ids include ram\.access-key-stale, ram\.user-console-inactive$/,
      ),
      'rules."ram.access-key-stale".params.maxAgeDays: must be at least 1',
      expect.stringMatching(/^RAMPARTS_CLOUD_ENDPOINT: got "http:\/\/127\.0\.0\.1:9000\/api"; set it to http:\/\/host\[:port\] or https:\/\/host\[:port\]/),
    ]);
  });
});
