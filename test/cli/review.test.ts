/**
 * The review commands of the `ramparts` CLI end to end, in-process: `tasks`, `decide`, `remind`,
 * `serve` and `audit verify` through `runCli`, against a PGlite store in a temp folder that a real
 * scan of the demo emulator (127.0.0.1) filled through the workflow. The CLI reads the system clock,
 * so time-dependent steps move the tasks' dates into the past through the store instead.
 *
 * The tests run in order and build on each other (one store, one story): tasks opened → answered →
 * reminded → ledger verified and tampered with. PGlite holds one handle per folder at a time, so every
 * direct store access here is opened and closed between CLI runs.
 */
import { createHmac } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../cli/program.js';
import { loadScenario, startEmulator, type Emulator } from '../../emulator/index.js';
import { createApp } from '../../shared/app.js';
import { staticCredential } from '../../shared/cloud/clients.js';
import { parseConfig } from '../../shared/config/index.js';
import { createLogger } from '../../shared/logger.js';
import type { ReviewTask } from '../../shared/review/types.js';
import { TASK_STATES } from '../../shared/review/types.js';
import { ALL_RULES } from '../../shared/rules/registry.js';
import { createStore, type SqlStore } from '../../shared/store/index.js';
import { createWorkflow } from '../../shared/workflow.js';
import { tamper } from '../contract/store-fixtures.js';
import { Sink } from './sink.js';

interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

const SCANNER_KEY_ID = 'LTAI5tDemoScannerKey0001';
const SCANNER_SECRET = 'demo-secret-not-real-0001';
/** Fake, 40 characters (the minimum is 32). */
const BUTTON_SECRET = 'fake-button-secret-not-real-0123456789ab';
const SLACK_SIGNING_SECRET = 'fake-slack-signing-secret-not-real-01';
const DAY = 86_400_000;

let dir: string;
let dataDir: string;
let demo: Emulator;
/** Every task the scan opened, as the workflow stored it. */
let opened: ReviewTask[];
/** What the workflow printed while prompting (console chat). */
let syncOut: string;

function configYaml(db: string, chat: 'console' | 'slack' = 'console'): string {
  return [
    `store: { dataDir: ${JSON.stringify(db)} }`,
    `chat: { kind: ${chat} }`,
    'cloud: { maxAttempts: 2, retryBaseDelayMs: 1, retryMaxDelayMs: 5 }',
    'scan: { credentialReport: { pollIntervalMs: 100 } }',
    'people:',
    '  - { id: li.na, name: Li Na, email: li.na@corp.example, groups: [security] }',
    '  - { id: wang.fang, name: Wang Fang, email: wang.fang@corp.example, groups: [approvers] }',
    '  - { id: chen.jie, name: Chen Jie, email: chen.jie@corp.example, manager: wang.fang, groups: [platform] }',
    'owners:',
    '  - { pattern: "build-*", owner: chen.jie }',
    '  - { pattern: "jenkins-*", owner: chen.jie }',
    '  - { pattern: report-bot, owner: chen.jie }',
    '  - { pattern: key-rotator, owner: chen.jie }',
    'review:',
    '  deadlineActions: { ram.access-key-unused: request-revocation }',
    '',
  ].join('\n');
}

function baseEnv(): NodeJS.ProcessEnv {
  return {
    RAMPARTS_BUTTON_SECRET: BUTTON_SECRET,
    RAMPARTS_CLOUD_ENDPOINT: demo.url,
    ALIBABA_CLOUD_ACCESS_KEY_ID: SCANNER_KEY_ID,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: SCANNER_SECRET,
  };
}

/** Runs the CLI in `cwd` (the test folder unless told) with the test environment. */
async function run(argv: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; signal?: AbortSignal; stdout?: Sink } = {}): Promise<Run> {
  const stdout = opts.stdout ?? new Sink();
  const stderr = new Sink();
  const status = await runCli(argv, { stdout, stderr, env: opts.env ?? baseEnv(), cwd: opts.cwd ?? dir }, { signal: opts.signal });
  return { status, stdout: stdout.text, stderr: stderr.text };
}

/** The task the scan opened for this rule and identity name (an access key by its user's name). */
function taskOf(rule: string, name: string): ReviewTask {
  const t = opened.find((x) => x.finding.rule === rule && (x.finding.subject.name === name || x.finding.subject.user === name));
  if (!t) throw new Error(`no task for ${rule} on ${name}`);
  return t;
}

const short = (t: ReviewTask) => t.id.slice(0, 8);

/** One `ramparts tasks` table line, split into its columns. */
const LINE = /^([0-9a-f]{8}) {2}(\S+) +(\S+) +(\S+) {2}(.+?) {2}→ (.+?)( \(orphaned\))?( due \d{4}-\d{2}-\d{2})?$/;

function parseLines(stdout: string): Array<{ id8: string; state: string; severity: string; rule: string; subject: string; owner: string; orphaned: boolean; due: string | null }> {
  return stdout
    .trimEnd()
    .split('\n')
    .map((line) => {
      const m = LINE.exec(line);
      if (!m) throw new Error(`not a task line: ${JSON.stringify(line)}`);
      return {
        id8: m[1] ?? '',
        state: m[2] ?? '',
        severity: m[3] ?? '',
        rule: m[4] ?? '',
        subject: m[5] ?? '',
        owner: m[6] ?? '',
        orphaned: m[7] !== undefined,
        due: m[8] ? m[8].slice(5) : null,
      };
    });
}

/** The console message block (from its `── message … ──` header to the next header) that mentions `needle`. */
function messageWith(stdout: string, needle: string): string {
  const blocks = stdout.split(/\n(?=── )/);
  const block = blocks.find((b) => b.includes(needle));
  if (!block) throw new Error(`no message mentions ${needle}:\n${stdout}`);
  return block;
}

/** One item of a console card: from its `[task <id>]` line to the blank line after it. */
function cardItem(block: string, taskId: string): string {
  const start = block.indexOf(`[task ${taskId}]`);
  if (start < 0) throw new Error(`task ${taskId} is not on this card:\n${block}`);
  const end = block.indexOf('\n\n', start);
  return block.slice(start, end < 0 ? undefined : end);
}

/** Opens the store folder directly (no CLI may hold it meanwhile), runs `fn`, always closes it. */
async function withDirectStore<T>(folder: string, fn: (store: SqlStore) => Promise<T>): Promise<T> {
  const store = await createStore({ dataDir: folder });
  try {
    await store.migrate();
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** Rewrites a task's dates in the JSON document and its projected columns, as if time had passed. */
async function rewriteTask(store: SqlStore, id: string, patch: Partial<Pick<ReviewTask, 'dueAt' | 'deadlineAt' | 'snoozedUntil' | 'remindersSent'>>): Promise<void> {
  const [row] = await store.rawQuery<{ task: Omit<ReviewTask, 'version'> }>('SELECT task FROM review_tasks WHERE id = $1', [id]);
  if (!row) throw new Error(`no task ${id}`);
  const doc = { ...row.task, ...patch };
  await store.rawQuery(
    'UPDATE review_tasks SET due_at = $2::timestamptz, deadline_at = $3::timestamptz, snoozed_until = $4::timestamptz, task = $5::jsonb WHERE id = $1',
    [id, doc.dueAt, doc.deadlineAt, doc.snoozedUntil, JSON.stringify(doc)],
  );
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ramparts-review-'));
  dataDir = join(dir, 'db');
  demo = await startEmulator({ scenario: await loadScenario('demo'), port: 0 });
  const yaml = configYaml(dataDir);
  await writeFile(join(dir, 'ramparts.config.yaml'), yaml);
  await writeFile(join(dir, 'slack.yaml'), configYaml(dataDir, 'slack'));

  const env = baseEnv();
  const config = parseConfig(parse(yaml), { env, rules: ALL_RULES });
  const logs = new Sink();
  const app = createApp({ config, logger: createLogger('warn', logs), credential: staticCredential(SCANNER_KEY_ID, SCANNER_SECRET) });
  const report = await app.scan();
  expect(report.partial).toBe(false);

  const out = new Sink();
  const wf = await createWorkflow({ config, env, consoleOut: out, logger: createLogger('warn', logs) });
  try {
    const summary = await wf.syncScan(report);
    expect(summary.failures).toEqual([]);
    expect(summary.opened).toBe(report.findings.filter((f) => f.status === 'fail').length);
    opened = await wf.store.tx((tx) => tx.listTasks({}));
  } finally {
    await wf.close();
  }
  syncOut = out.text;
});

afterAll(async () => {
  await demo?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

beforeEach(() => {
  // The review commands never sign cloud calls, but pin the credential chain's inputs like cli.test.ts
  // does, so nothing of the machine running the tests can be picked up.
  vi.stubEnv('ALIBABA_CLOUD_ACCESS_KEY_ID', SCANNER_KEY_ID);
  vi.stubEnv('ALIBABA_CLOUD_ACCESS_KEY_SECRET', SCANNER_SECRET);
  vi.stubEnv('ALIBABA_CLOUD_SECURITY_TOKEN', undefined);
  vi.stubEnv('ALIBABA_CLOUD_ECS_METADATA_DISABLED', 'true');
  vi.stubEnv('ALIBABA_CLOUD_CLI_PROFILE_DISABLED', 'true');
  vi.stubEnv('RAMPARTS_CONFIG', undefined);
  vi.stubEnv('DATABASE_URL', undefined);
});

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('the opened tasks (set-up sanity)', () => {
  it('gave Chen Jie the build-*, jenkins-*, report-bot and key-rotator identities and his tagged secret, tagged secrets their owners, and the security group the rest', () => {
    const chen = opened.filter((t) => t.ownership.owner.kind === 'person' && t.ownership.owner.id === 'chen.jie');
    expect(new Set(chen.map((t) => t.finding.subject.user ?? t.finding.subject.name))).toEqual(
      new Set(['build-agent', 'jenkins-legacy', 'report-bot', 'key-rotator', 'partner/api-token']),
    );
    const tagged = opened.filter((t) => t.ownership.source === 'tag');
    expect(tagged.map((t) => [t.finding.subject.name, t.ownership.matched]).sort()).toEqual([
      ['partner/api-token', 'chen.jie'],
      ['rds/orders-prod', 'li.na'],
      ['reporting/db-readonly', 'wang.fang'],
    ]);
    for (const t of opened) {
      expect(t.state).toBe('awaiting_owner');
      if (!chen.includes(t) && !tagged.includes(t)) expect(t.ownership).toEqual({ owner: { kind: 'group', name: 'security' }, source: 'orphaned', matched: null });
    }
    // Three recipients (Chen Jie, the security group, Wang Fang for her tagged secret), one prompt each.
    expect(syncOut.match(/── message console-[0-9a-f]+-\d+ ──/g)).toHaveLength(3);
  });
});

describe('ramparts tasks', () => {
  it('lists every opened task on one line: id, awaiting_owner, severity, rule, subject, owner, orphaned mark and due date', async () => {
    const r = await run(['tasks']);

    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = parseLines(r.stdout);
    expect(lines).toHaveLength(opened.length);
    expect(new Set(lines.map((l) => l.id8))).toEqual(new Set(opened.map(short)));
    for (const t of opened) {
      const line = lines.find((l) => l.id8 === short(t));
      expect(line, t.id).toMatchObject({
        state: 'awaiting_owner',
        severity: t.severity.toUpperCase(),
        rule: t.finding.rule,
        orphaned: t.ownership.source === 'orphaned',
        due: t.dueAt?.slice(0, 10),
      });
    }
    const stale = taskOf('ram.access-key-stale', 'build-agent');
    expect(lines.find((l) => l.id8 === short(stale))).toMatchObject({ subject: 'access key LTAI…001 of build-agent', owner: 'Chen Jie', orphaned: false });
    const admins = taskOf('ram.policy-full-admin', 'admins');
    expect(lines.find((l) => l.id8 === short(admins))).toMatchObject({ subject: 'group admins', owner: 'group:security', orphaned: true });
  });

  it('--assignee with --format json prints valid JSON holding exactly the tasks that person may answer', async () => {
    const r = await run(['tasks', '--assignee', 'chen.jie', '--format', 'json']);

    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const tasks = JSON.parse(r.stdout) as ReviewTask[];
    const expected = opened.filter((t) => t.assignees.includes('chen.jie'));
    expect(expected.length).toBe(10);
    expect(tasks.map((t) => t.id).sort()).toEqual(expected.map((t) => t.id).sort());
    for (const t of tasks) {
      expect(t).toEqual(opened.find((o) => o.id === t.id));
      expect(t.assignees).toEqual(['chen.jie']);
    }
  });

  it('--rule keeps only that rule', async () => {
    const r = await run(['tasks', '--rule', 'ram.access-key-stale']);

    expect(r.status).toBe(0);
    const lines = parseLines(r.stdout);
    const expected = opened.filter((t) => t.finding.rule === 'ram.access-key-stale');
    expect(expected.length).toBe(3);
    expect(lines.map((l) => l.id8).sort()).toEqual(expected.map(short).sort());
    expect(new Set(lines.map((l) => l.rule))).toEqual(new Set(['ram.access-key-stale']));
  });

  it('refuses an unknown --state with exit 2, naming every valid state', async () => {
    const r = await run(['tasks', '--state', 'pending']);

    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('--state pending is not a task state');
    for (const s of TASK_STATES) expect(r.stderr).toContain(s);
  });
});

describe('ramparts decide', () => {
  it('records a revoke by the owner, moves the task to awaiting_approval and re-renders the owner’s prompt in place', async () => {
    const t = taskOf('ram.access-key-stale', 'build-agent');
    const prompt = messageWith(syncOut, 'to Chen Jie (chen.jie)');
    const key = /── message (console-[0-9a-f]+-\d+) ──/.exec(prompt)?.[1];
    expect(key).toBeDefined();

    const r = await run(['decide', short(t), 'revoke', '--as', 'chen.jie']);

    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`recorded: revoke on ${short(t)} by chen.jie; task is now awaiting_approval\n`);
    const updated = messageWith(r.stdout, `── message ${key} (updated) ──`);
    expect(updated).toContain('to Chen Jie (chen.jie)');
    // A CLI answer re-renders the card with the account the last scan saw, not an empty one.
    expect(updated).toContain('access review for account demo-corp (1234567890123456)');
    const item = cardItem(updated, t.id);
    expect(item).toContain('Status: revocation requested by Chen Jie; waiting for Wang Fang to approve');
    expect(item).not.toContain('[Revoke]');
    // The other items on the same card still wait for an answer and keep their buttons.
    const other = taskOf('ram.access-key-unused', 'report-bot');
    expect(cardItem(updated, other.id)).toContain('[Revoke]');
  });

  it('answers the same command again with "already recorded" and exit 0, changing nothing', async () => {
    const t = taskOf('ram.access-key-stale', 'build-agent');

    const r = await run(['decide', short(t), 'revoke', '--as', 'chen.jie']);

    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`already recorded: task ${short(t)} is awaiting_approval\n`);
  });

  it('refuses keep without --reason (exit 2) and says why', async () => {
    const t = taskOf('ram.access-key-unused', 'report-bot');

    const r = await run(['decide', short(t), 'keep', '--as', 'chen.jie']);

    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^ramparts: refused: Keeping access needs a reason/);
  });

  it('refuses an answer from someone who is not an assignee (exit 2), naming who can answer', async () => {
    const t = taskOf('ram.access-key-unused', 'report-bot');

    const r = await run(['decide', short(t), 'keep', '--as', 'li.na', '--reason', 'I say so']);

    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('ramparts: refused: Only Chen Jie can answer this now.\n');
  });

  it('rejects --as a person who is not in people[] (exit 2)', async () => {
    const t = taskOf('ram.access-key-unused', 'report-bot');

    const r = await run(['decide', short(t), 'revoke', '--as', 'unknown-person']);

    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('--as unknown-person: no such person in config people[]');
  });

  it('rejects an unknown task id (exit 2)', async () => {
    // Not hex, so no task id can start with it.
    const r = await run(['decide', 'zzzzzzzz', 'revoke', '--as', 'chen.jie']);

    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('no review task zzzzzzzz; run ramparts tasks to list them');
  });

  it('snoozes with --until a date 10 days later', async () => {
    const t = taskOf('ram.access-key-unused', 'report-bot');
    const until = isoDay(Date.now() + 10 * DAY);

    const r = await run(['decide', short(t), 'snooze', '--until', until, '--as', 'chen.jie']);

    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`recorded: snooze on ${short(t)} by chen.jie; task is now snoozed\n`);
    expect(cardItem(messageWith(r.stdout, '(updated)'), t.id)).toContain('Status: Chen Jie will fix it by');
  });

  it('not-mine hands the task to the security group, orphaned, with a fresh prompt to its members', async () => {
    const t = taskOf('ram.access-key-multiple-active', 'key-rotator');

    const r = await run(['decide', short(t), 'not-mine', '--as', 'chen.jie', '--reason', 'belongs to the data team']);

    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`recorded: not_mine on ${short(t)} by chen.jie; task is now awaiting_owner\n`);
    // A new prompt to the security group's member: orphaned now, so no "Not mine" button, and the note on the card.
    const toLiNa = messageWith(r.stdout, 'to Li Na (li.na)');
    expect(toLiNa).not.toContain('(updated)');
    expect(toLiNa).toContain('1 identity has no known owner; as a member of security, please review:');
    const item = cardItem(toLiNa, t.id);
    expect(item).toContain('Status: waiting for an answer');
    expect(item).toContain('passed on by Chen Jie: belongs to the data team');
    expect(item).toContain('[Revoke]');
    expect(item).not.toContain('[Not mine]');
    // Chen Jie's card is re-rendered: the task shows there without buttons for him any more.
    const chen = messageWith(r.stdout, 'to Chen Jie (chen.jie)');
    expect(chen).toContain('(updated)');
    expect(cardItem(chen, t.id)).not.toContain('[Revoke]');
  });

  it('tasks --state (several states) lists only the tasks in them', async () => {
    const r = await run(['tasks', '--state', 'awaiting_approval', 'snoozed']);

    expect(r.status).toBe(0);
    const lines = parseLines(r.stdout);
    expect(lines.map((l) => [l.id8, l.state]).sort()).toEqual(
      [
        [short(taskOf('ram.access-key-stale', 'build-agent')), 'awaiting_approval'],
        [short(taskOf('ram.access-key-unused', 'report-bot')), 'snoozed'],
      ].sort(),
    );
  });
});

describe('ramparts remind', () => {
  it('reminds, escalates to the manager, applies the deadline action and wakes an expired snooze; prints its summary', async () => {
    const now = Date.now();
    const remindMe = taskOf('ram.access-key-stale', 'jenkins-legacy');
    const overdue = taskOf('ram.user-console-without-mfa', 'jenkins-legacy');
    const pastDeadline = taskOf('ram.access-key-unused', 'jenkins-legacy');
    const snoozed = taskOf('ram.access-key-unused', 'report-bot');
    const checked = await withDirectStore(dataDir, async (store) => {
      // Due in two days with no reminder sent yet: the -3 days point has passed.
      await rewriteTask(store, remindMe.id, { dueAt: new Date(now + 2 * DAY).toISOString(), deadlineAt: new Date(now + 9 * DAY).toISOString(), remindersSent: [] });
      // Due an hour ago, deadline still ahead: the manager's turn.
      await rewriteTask(store, overdue.id, { dueAt: new Date(now - 3_600_000).toISOString(), deadlineAt: new Date(now + 6 * DAY).toISOString() });
      // Due 10 days ago and past the deadline: ram.access-key-unused requests a revocation.
      await rewriteTask(store, pastDeadline.id, { dueAt: new Date(now - 10 * DAY).toISOString(), deadlineAt: new Date(now - 3 * DAY).toISOString() });
      // The fix-by date passed an hour ago.
      await rewriteTask(store, snoozed.id, { snoozedUntil: new Date(now - 3_600_000).toISOString() });
      return (await store.tx((tx) => tx.listTasks({ states: ['awaiting_owner', 'escalated', 'snoozed', 'awaiting_approval', 'rollback_requested'] }))).length;
    });

    const r = await run(['remind']);

    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(
      `remind: ${checked} tasks checked, 1 reminded, 2 escalated, 1 deadline actions, 1 snoozes expired, 2 messages\n`,
    );
    // The manager is asked instead; the owner gets one message with the reminder and the returned snooze.
    const toManager = messageWith(r.stdout, 'to Wang Fang (wang.fang)');
    expect(cardItem(toManager, overdue.id)).toContain('now with Wang Fang');
    const toOwner = r.stdout.split(/\n(?=── )/).filter((b) => b.includes('to Chen Jie (chen.jie)') && !b.includes('(updated)'));
    expect(toOwner).toHaveLength(1);
    expect(toOwner[0]).toContain(`[task ${remindMe.id}]`);
    expect(toOwner[0]).toContain(`[task ${snoozed.id}]`);

    const after = JSON.parse((await run(['tasks', '--format', 'json'])).stdout) as ReviewTask[];
    const byId = new Map(after.map((t) => [t.id, t]));
    expect(after.filter((t) => t.assignees.includes('wang.fang') && t.state === 'escalated').map((t) => t.id)).toEqual([overdue.id]);
    expect(byId.get(overdue.id)).toMatchObject({ state: 'escalated', assignees: ['wang.fang'] });
    // The deadline only *requests* a revocation: the owner's manager is asked to approve it.
    expect(byId.get(pastDeadline.id)?.state).toBe('awaiting_approval');
    expect(byId.get(pastDeadline.id)?.assignees).toContain('wang.fang');
    // …with its own answer window (reminders to the approvers, then escalation to security), and the request on record.
    expect(byId.get(pastDeadline.id)).toMatchObject({ request: { kind: 'revocation', by: 'system' } });
    expect(new Date(byId.get(pastDeadline.id)?.dueAt ?? 0).getTime()).toBeGreaterThan(now);
    expect(byId.get(remindMe.id)).toMatchObject({ state: 'awaiting_owner', assignees: ['chen.jie'] });
    expect(byId.get(remindMe.id)?.remindersSent.length).toBeGreaterThan(0);
    const woke = byId.get(snoozed.id);
    expect(woke).toMatchObject({ state: 'awaiting_owner', snoozedUntil: null, assignees: ['chen.jie'] });
    expect(new Date(woke?.dueAt ?? 0).getTime()).toBeGreaterThan(now);
    // The not-mine answer above persisted: the key-rotator task is the security group's now.
    expect(byId.get(taskOf('ram.access-key-multiple-active', 'key-rotator').id)).toMatchObject({
      state: 'awaiting_owner',
      ownership: { owner: { kind: 'group', name: 'security' }, source: 'orphaned', matched: null },
      assignees: ['li.na'],
    });
  });
});

describe('ramparts serve', () => {
  it('serves the interact handler on a free port, answers a forged Slack request with 401 and exits 0 on abort', async () => {
    const env = { ...baseEnv(), SLACK_BOT_TOKEN: 'xoxb-fake-not-real-0000', SLACK_SIGNING_SECRET };
    const controller = new AbortController();
    const stdout = new Sink();
    const running = run(['--config', 'slack.yaml', 'serve', '--port', '0'], { env, signal: controller.signal, stdout });
    try {
      let port: number | undefined;
      for (let i = 0; i < 300 && port === undefined; i += 1) {
        const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(stdout.text);
        if (m) port = Number(m[1]);
        else await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(port, stdout.text).toBeGreaterThan(0);

      const t = taskOf('ram.access-key-stale', 'jenkins-legacy');
      const payload = {
        type: 'block_actions',
        user: { id: 'U0FORGED' },
        actions: [{ action_id: `ramparts:revoke:${t.id}`, value: JSON.stringify({ taskId: t.id, action: 'revoke', token: 'forged' }) }],
      };
      const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
      const ts = String(Math.floor(Date.now() / 1000));
      // Signed with a secret that is not the app's.
      const signature = `v0=${createHmac('sha256', 'not-the-signing-secret').update(`v0:${ts}:${body}`).digest('hex')}`;
      const res = await fetch(`http://127.0.0.1:${port}/slack/actions`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': ts, 'x-slack-signature': signature },
        body,
      });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: 'bad-signature', message: 'request signature check failed' });
    } finally {
      controller.abort();
    }
    const r = await running;
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('signature check failed');
  });
});

describe('ramparts apply, executions, rollback', () => {
  /** The deadline requested this revocation in the remind test above: jenkins-legacy's unused key. */
  const key = () => taskOf('ram.access-key-unused', 'jenkins-legacy');
  const keyStatus = () => demo.state.keys.get('LTAI5tDemoJenkinsOld0001')?.status;

  it('approve through decide records the plan; executions lists it pending', async () => {
    // chen.jie owns the identity: never an approver of it.
    const self = await run(['decide', short(key()), 'approve', '--as', 'chen.jie']);
    expect(self.status).toBe(2);
    expect(self.stderr).toMatch(/refused: .*you own/i);
    const ok = await run(['decide', short(key()), 'approve', '--as', 'wang.fang']);
    expect(ok.stdout).toContain('task is now approved');
    const listed = await run(['executions']);
    expect(listed.status).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`^exec-\\S+ {2}pending +observe task ${short(key())} {2}set access key LTAI5tDemoJenkinsOld0001 of jenkins-legacy Inactive.* \\[1:pending\\]$`, 'm'));
  });

  it('apply in the default observe mode says what it would call and writes nothing', async () => {
    const before = demo.stats().writes;
    const r = await run(['apply']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('would call: RAM UpdateAccessKey jenkins-legacy/LTAI5tDemoJenkinsOld0001 Status=Inactive');
    expect(r.stdout).toMatch(/apply \(observe\): 0 applied, 1 observed, .*; 0 RAM writes/);
    expect(demo.stats().writes).toEqual(before);
    expect(keyStatus()).toBe('Active');
  });

  it('apply with remediation.mode enforce writes once; --dry-run and a second run write nothing', async () => {
    await writeFile(join(dir, 'enforce.yaml'), `${configYaml(dataDir)}remediation: { mode: enforce }\n`);
    const dry = await run(['--config', 'enforce.yaml', 'apply', '--dry-run']);
    expect(dry.stdout).toMatch(/apply \(observe\):.* 0 RAM writes/);
    expect(keyStatus()).toBe('Active');
    const r = await run(['--config', 'enforce.yaml', 'apply']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/apply \(enforce\): 1 applied, .*; 1 RAM writes/);
    expect(keyStatus()).toBe('Inactive');
    const again = await run(['--config', 'enforce.yaml', 'apply']);
    expect(again.stdout).toMatch(/; 0 RAM writes/);
  });

  it('rollback is requested by the owner, approved by the manager, and carried out by apply', async () => {
    const exec = /^(exec-\S+)/m.exec((await run(['executions'])).stdout)?.[1];
    expect(exec).toBeDefined();
    const noReason = await run(['rollback', exec!, '--as', 'chen.jie']);
    expect(noReason.status).toBe(2);
    expect(noReason.stderr).toMatch(/reason/);
    const badStep = await run(['rollback', exec!, '--as', 'chen.jie', '--reason', 'x', '--step', '2']);
    expect(badStep.status).toBe(2);
    expect(badStep.stderr).toContain('Step 2 does not exist: the plan has steps 1 to 1.');
    const asked = await run(['rollback', exec!, '--as', 'chen.jie', '--reason', 'the nightly import still uses it']);
    expect(asked.status).toBe(0);
    expect(asked.stdout).toContain('rollback requested for the whole plan');
    expect((await run(['decide', short(key()), 'approve', '--as', 'wang.fang'])).stdout).toContain('task is now rollback_approved');
    const r = await run(['--config', 'enforce.yaml', 'apply']);
    expect(r.stdout).toMatch(/rollback rolled_back task .* · step 1 rolled_back/);
    expect(r.stdout).toMatch(/1 rolled back; 1 RAM writes/);
    expect(keyStatus()).toBe('Active');
  });
});

describe('ramparts audit verify', () => {
  let entries: number;
  /** What each case changed, so the next case can put it back first and only its own tampering shows. */
  let editedData: unknown;
  let deletedRow: AuditRow | undefined;

  interface AuditRow {
    seq: number | string;
    at: Date | string;
    actor: string;
    action: string;
    subject: string;
    data: unknown;
    prev_hash: string;
    hash: string;
  }

  it('reports an intact ledger after everything above, exit 0', async () => {
    const r = await run(['audit', 'verify']);

    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const m = /^audit ledger OK: (\d+) entries, head (\d+) ([0-9a-f]{64})\n$/.exec(r.stdout);
    expect(m, r.stdout).not.toBeNull();
    entries = Number(m?.[1]);
    expect(Number(m?.[2])).toBe(entries);
  });

  it('finds an edited entry: exit 1, "TAMPERED at entry <seq>: edited"', async () => {
    await withDirectStore(dataDir, async (store) => {
      const rows = await store.rawQuery<{ n: number | string }>('SELECT count(*) AS n FROM audit_ledger');
      expect(Number(rows[0]?.n)).toBe(entries);
      // The answers and the remind run above are all in it.
      const actions = (await store.rawQuery<{ action: string }>('SELECT DISTINCT action FROM audit_ledger')).map((row) => row.action);
      expect(actions).toEqual(expect.arrayContaining(['decision.recorded', 'task.escalated', 'task.reminded', 'task.deadline', 'task.snooze_expired']));
      editedData = (await store.rawQuery<{ data: unknown }>('SELECT data FROM audit_ledger WHERE seq = 5'))[0]?.data;
      await tamper(store, [`UPDATE audit_ledger SET data = data || '{"reason":"nothing to see"}'::jsonb WHERE seq = 5`]);
    });

    const r = await run(['audit', 'verify']);

    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^audit ledger TAMPERED at entry 5: edited — /);
  });

  it('finds a deleted middle entry', async () => {
    const middle = Math.floor(entries / 2);
    expect(middle).toBeGreaterThan(5);
    await withDirectStore(dataDir, async (store) => {
      deletedRow = (await store.rawQuery<AuditRow>('SELECT * FROM audit_ledger WHERE seq = $1', [middle]))[0];
      await tamper(store, ['UPDATE audit_ledger SET data = $1::jsonb WHERE seq = 5', [JSON.stringify(editedData)]], ['DELETE FROM audit_ledger WHERE seq = $1', [middle]]);
    });

    const r = await run(['audit', 'verify']);

    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`^audit ledger TAMPERED at entry ${middle}: deleted — `));
  });

  it('finds two swapped entries at the first of them', async () => {
    const row = deletedRow;
    if (!row) throw new Error('the previous case did not run');
    await withDirectStore(dataDir, (store) =>
      tamper(
        store,
        [
          'INSERT INTO audit_ledger (seq, at, actor, action, subject, data, prev_hash, hash) VALUES ($1, $2::timestamptz, $3, $4, $5, $6::jsonb, $7, $8)',
          [Number(row.seq), new Date(row.at).toISOString(), row.actor, row.action, row.subject, JSON.stringify(row.data), row.prev_hash, row.hash],
        ],
        ['UPDATE audit_ledger SET seq = 1000000 WHERE seq = 3'],
        ['UPDATE audit_ledger SET seq = 3 WHERE seq = 7'],
        ['UPDATE audit_ledger SET seq = 7 WHERE seq = 1000000'],
      ),
    );

    const r = await run(['audit', 'verify']);

    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^audit ledger TAMPERED at entry 3: reordered — /);
  });
});

describe('missing chat secrets', () => {
  it('decide exits 2 naming RAMPARTS_BUTTON_SECRET before opening the store', async () => {
    const fresh = await mkdtemp(join(tmpdir(), 'ramparts-review-nosecret-'));
    try {
      const db = join(fresh, 'db');
      await writeFile(join(fresh, 'ramparts.config.yaml'), configYaml(db));
      const { RAMPARTS_BUTTON_SECRET: _secret, ...env } = baseEnv();

      const r = await run(['decide', 'abcdef12', 'revoke', '--as', 'chen.jie'], { env, cwd: fresh });

      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('RAMPARTS_BUTTON_SECRET: is required');
      expect(existsSync(db)).toBe(false);
      expect(existsSync(join(fresh, '.ramparts'))).toBe(false);

      const short_ = await run(['remind'], { env: { ...env, RAMPARTS_BUTTON_SECRET: 'too-short' }, cwd: fresh });
      expect(short_.status).toBe(2);
      expect(short_.stderr).toContain('RAMPARTS_BUTTON_SECRET: each secret must be at least 32 characters');
      expect(existsSync(db)).toBe(false);
    } finally {
      await rm(fresh, { recursive: true, force: true });
    }
  });
});
