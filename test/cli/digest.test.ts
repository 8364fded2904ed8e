/**
 * `ramparts digest` in-process, on a PGlite store a workflow filled with this week's tasks: `--no-post`
 * only prints (nothing recorded), the default posts through the configured chat and records
 * `digest.sent`, `--html` writes the report, `--format json` prints the model.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/program.js';
import { parseConfig } from '../../shared/config/index.js';
import type { DigestModel } from '../../shared/digest/types.js';
import { ALL_RULES } from '../../shared/rules/registry.js';
import { createStore } from '../../shared/store/index.js';
import { createWorkflow } from '../../shared/workflow.js';
import { inactive, noMfa, report, staleKey } from '../integration/review/harness.js';
import { RecordingChat } from '../integration/review/recording-chat.js';
import { Sink } from './sink.js';

const ENV = { RAMPARTS_BUTTON_SECRET: 'fake-button-secret-for-tests-0123456789' };
let dir: string;
let configFile: string;

const CONFIG = [
  'people:',
  '  - { id: alice, name: Alice, manager: bob }',
  '  - { id: bob, name: Bob, groups: [approvers] }',
  '  - { id: sec1, name: Sec One, groups: [security] }',
  'owners:',
  '  - { pattern: "ops-*", owner: alice }',
  '',
].join('\n');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ramparts-cli-digest-'));
  configFile = join(dir, 'ramparts.config.yaml');
  await writeFile(configFile, `store: { dataDir: ${JSON.stringify(join(dir, 'db'))} }\n${CONFIG}`);
  // Three findings opened two days ago, through the workflow (the CLI reads the system clock).
  const store = await createStore({ dataDir: join(dir, 'db') });
  const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000);
  const wf = await createWorkflow({ config: parseConfig({}, { env: {}, rules: ALL_RULES }), env: ENV, clock: { now: () => twoDaysAgo }, store, chat: new RecordingChat() });
  await wf.syncScan(report([noMfa, inactive, staleKey], { scannedAt: twoDaysAgo.toISOString() }));
  await wf.close();
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

async function run(argv: string[]) {
  const stdout = new Sink();
  const stderr = new Sink();
  const status = await runCli(['--config', configFile, ...argv], { stdout, stderr, env: ENV, cwd: dir });
  return { status, stdout: stdout.text, stderr: stderr.text };
}

async function digestsSent(): Promise<number> {
  const store = await createStore({ dataDir: join(dir, 'db') });
  try {
    let n = 0;
    for await (const e of store.readAudit()) if (e.action === 'digest.sent') n++;
    return n;
  } finally {
    await store.close();
  }
}

describe('ramparts digest', () => {
  it('--no-post prints the week and records nothing', async () => {
    const r = await run(['digest', '--no-post']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^ramparts weekly digest · /);
    expect(r.stdout).toContain('New findings: 3 (8-week mean 0.0); resolved: 0 (mean 0.0)');
    expect(r.stderr).toBe('');
    expect(await digestsSent()).toBe(0);
  });

  it('--format json prints the model', async () => {
    const r = await run(['digest', '--no-post', '--format', 'json']);
    const model = JSON.parse(r.stdout) as DigestModel;
    expect(model.findings.newTotal).toBe(3);
    expect(model.openTasks.total).toBe(3);
    expect(model.trend).toHaveLength(9);
  });

  it('posts through the configured chat (the console prints it), records it, and writes the HTML report', async () => {
    const r = await run(['digest', '--html', 'week.html']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('── weekly digest (security channel) ──');
    expect(r.stdout.match(/ramparts weekly digest ·/g)).toHaveLength(1);
    expect(r.stderr).toContain('digest posted to the console; recorded in the audit ledger');
    expect(r.stderr).toContain(`HTML report: ${join(dir, 'week.html')}`);
    const html = await readFile(join(dir, 'week.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('data-chart="trend"');
    expect(await digestsSent()).toBe(1);
  });
});
