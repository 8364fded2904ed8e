/**
 * `ramparts invoke` on the BUILT bundles (esbuild, as scripts/build.ts builds them, into a temp dir):
 * each function gets real FC3 event shapes through the CLI, as a child process, against the demo
 * account on the emulator and a fresh PostgreSQL database (the bundles are for FC, where the store is
 * PostgreSQL). Timer runs are claimed once per trigger: the same event twice returns the recorded
 * result with no second run. Interact gets Base64 bodies: signed Slack and DingTalk clicks record a
 * decision, forged ones get 401 and change nothing.
 *
 * PostgreSQL comes from DATABASE_URL (CI: `DATABASE_URL=$(bash .ci/postgres.sh)`). Without it
 * vitest.config.ts leaves the file out, saying so; run directly, it fails. The CLI's own refusals
 * (unknown function, missing bundle, bad event file) need no database and always run.
 */
import { spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/program.js';
import { buildFunctions } from '../../scripts/bundle.js';
import { FC_FUNCTIONS } from '../../cli/commands/invoke.js';
import type { Emulator } from '../../emulator/index.js';
import { signedSlackClick } from '../../shared/chat/slack/signed-click.js';
import { createTokenSigner } from '../../shared/chat/token.js';
import { runOnce } from '../../shared/fc/run-once.js';
import type { FcHttpEvent } from '../../shared/fc/types.js';
import { createStore, type SqlStore } from '../../shared/store/index.js';
import { emulatorWith, NOW, SCANNER } from '../integration/harness.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const BUTTON_SECRET = 'fake-button-secret-for-tests-0123456789';
const SLACK_SECRET = 'fake-slack-signing-secret-for-tests';
const DINGTALK_SECRET = 'fake-dingtalk-callback-secret-for-tests';

const url = process.env.DATABASE_URL;
// vitest.config.ts leaves this file out when DATABASE_URL is unset (saying so); run on its own, it fails loudly.
if (!url) {
  throw new Error('DATABASE_URL is not set: the FC bundle tests need PostgreSQL (DATABASE_URL=$(bash .ci/postgres.sh) npx vitest run test/functions/invoke.test.ts)');
}

const dir = mkdtempSync(join(tmpdir(), 'ramparts-invoke-'));

function sink() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (c: Buffer) => (text += c.toString()));
  return { stream, text: () => text };
}

/** `ramparts …` in this process (for the refusals, which load no bundle). */
async function cli(argv: string[]) {
  const stdout = sink();
  const stderr = sink();
  const status = await runCli(argv, { stdout: stdout.stream, stderr: stderr.stream, env: {}, cwd: dir });
  return { status, stdout: stdout.text(), stderr: stderr.text() };
}

describe('ramparts invoke refuses', () => {
  it('an unknown function, listing the known ones', async () => {
    const r = await cli(['invoke', 'alerts', '--event', 'e.json']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown function "alerts": use one of scan, remind, apply, interact, digest, alert');
  });

  it('knows every function in functions/', () => {
    expect(Object.keys(FC_FUNCTIONS).sort()).toEqual(readdirSync(join(ROOT, 'functions')).sort());
  });

  it('a bundle that is not built, naming its path and npm run build', async () => {
    const r = await cli(['invoke', 'scan', '--event', 'e.json', '--dist', 'nowhere']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${join(dir, 'nowhere', 'scan', 'index.mjs')} does not exist: run npm run build first`);
    expect(r.stdout).toBe('');
  });

  it('an event file that is missing or not JSON', async () => {
    const dist = join(dir, 'fake-dist');
    mkdirSync(join(dist, 'scan'), { recursive: true });
    writeFileSync(join(dist, 'scan', 'index.mjs'), 'export const handler = async () => ({});\n');
    writeFileSync(join(dir, 'bad.json'), '{nope');
    const missing = await cli(['invoke', 'scan', '--event', 'missing.json', '--dist', dist]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain(`cannot read the event file ${join(dir, 'missing.json')}`);
    const bad = await cli(['invoke', 'scan', '--event', 'bad.json', '--dist', dist]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain(`the event file ${join(dir, 'bad.json')} is not JSON`);
    expect(bad.stdout).toBe('');
  });
});

/** The real build (scripts/bundle.ts: minified, stubs, checks), into `out`; size targets are the benchmark's business. */
async function buildBundles(out: string): Promise<void> {
  await buildFunctions({ outdir: out, functions: Object.keys(FC_FUNCTIONS) });
}

interface Invocation {
  status: number | null;
  stdout: string;
  stderr: string;
  /** stdout parsed (the handler's result), or undefined when it is not JSON. */
  result: unknown;
}

describe('ramparts invoke on the built bundles (PostgreSQL)', { timeout: 120_000 }, () => {
  let dist: string;
  const database = `ramparts_invoke_${randomBytes(4).toString('hex')}`;
  let databaseUrl: string;
  let admin: pg.Client;
  let emulator: Emulator;
  let store: SqlStore;

  const people = [
    { id: 'dave', name: 'Dave', slack: 'U0DAVE001', dingtalk: 'dt-dave', manager: 'bob', groups: ['platform'] },
    { id: 'bob', name: 'Bob', groups: ['security'] },
  ];
  const config = (chat: object) => {
    const file = join(dir, `config-${randomBytes(3).toString('hex')}.yaml`);
    writeFileSync(file, `${JSON.stringify({ chat, people, owners: [{ pattern: '*', owner: 'dave' }] }, null, 2)}\n`); // JSON is YAML
    return file;
  };
  let consoleConfig: string;
  let slackConfig: string;
  let dingtalkConfig: string;

  function event(name: string, body: unknown): string {
    const file = join(dir, `${name}-${randomBytes(3).toString('hex')}.json`);
    writeFileSync(file, JSON.stringify(body, null, 2));
    return file;
  }

  /** `node bin/ramparts.js --config CFG invoke FN --event FILE --dist DIST`, as a user runs it. */
  function invoke(fn: string, eventFile: string, configFile = consoleConfig): Promise<Invocation> {
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATABASE_URL: databaseUrl,
      RAMPARTS_CLOUD_ENDPOINT: emulator.url,
      RAMPARTS_BUTTON_SECRET: BUTTON_SECRET,
      SLACK_BOT_TOKEN: 'xoxb-fake-not-real',
      SLACK_SIGNING_SECRET: SLACK_SECRET,
      DINGTALK_APP_KEY: 'fake-app-key',
      DINGTALK_APP_SECRET: 'fake-app-secret-not-real',
      DINGTALK_CALLBACK_SECRET: DINGTALK_SECRET,
      ALIBABA_CLOUD_ACCESS_KEY_ID: SCANNER.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: SCANNER.accessKeySecret,
    };
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [join(ROOT, 'bin/ramparts.js'), '--config', configFile, 'invoke', fn, '--event', eventFile, '--dist', dist], { cwd: dir, env });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.on('error', reject);
      child.on('close', (status) => {
        let result: unknown;
        try {
          result = JSON.parse(stdout);
        } catch {
          result = undefined;
        }
        resolve({ status, stdout, stderr, result });
      });
    });
  }

  const ok = (r: Invocation) => {
    expect(r.stderr.split('\n').filter((l) => l.startsWith('ramparts:'))).toEqual([]);
    expect(r.status, r.stderr).toBe(0);
    return r.result as Record<string, unknown>;
  };

  const timer = (triggerName: string, at: Date, job: string) => event(`timer-${job}`, { triggerTime: at.toISOString(), triggerName, payload: JSON.stringify({ job }) });

  /** An FC3 HTTP trigger event (reference §2.3) carrying the request's exact bytes Base64-encoded. */
  async function httpEvent(req: Request): Promise<string> {
    const u = new URL(req.url);
    const headers: Record<string, string> = {};
    // FC sends canonical MIME case: X-Slack-Signature, Content-Type.
    req.headers.forEach((v, k) => (headers[k.replace(/(^|-)([a-z])/g, (_m, d: string, c: string) => d + c.toUpperCase())] = v));
    const body: FcHttpEvent = {
      version: 'v1',
      rawPath: u.pathname,
      body: Buffer.from(await req.arrayBuffer()).toString('base64'),
      isBase64Encoded: true,
      headers,
      queryParameters: {},
      requestContext: {
        accountId: '1234567890123456',
        domainName: 'ramparts-interact-test.cn-hangzhou.fcapp.run',
        domainPrefix: 'ramparts-interact-test',
        requestId: `1-${randomBytes(8).toString('hex')}`,
        time: new Date().toISOString(),
        timeEpoch: String(Date.now()),
        http: { method: req.method, path: u.pathname, protocol: 'HTTP/1.1', sourceIp: '52.0.0.1', userAgent: 'test' },
      },
    };
    return event('http', body);
  }

  // interact runs on the wall clock (signature windows, button tokens), so clicks are signed now.
  const tokens = createTokenSigner({ secrets: [BUTTON_SECRET], now: () => Date.now() });

  async function daveTask(exclude: string[] = []) {
    const tasks = await store.tx((tx) => tx.listTasks({ assignee: 'dave', states: ['awaiting_owner'] }));
    const task = tasks.find((t) => !exclude.includes(t.id));
    expect(task).toBeDefined();
    return task!;
  }
  const decisions = (taskId: string) => store.tx((tx) => tx.listDecisions(taskId));

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: url });
    try {
      await admin.connect();
    } catch (err) {
      throw new Error(`DATABASE_URL is set but PostgreSQL cannot be used (${(err as Error).message}); start it (bash .ci/postgres.sh) or unset DATABASE_URL`, { cause: err });
    }
    await admin.query(`CREATE DATABASE ${database}`);
    const u = new URL(url!);
    u.pathname = `/${database}`;
    databaseUrl = u.toString();
    mkdirSync(join(ROOT, 'node_modules', '.cache'), { recursive: true });
    dist = mkdtempSync(join(ROOT, 'node_modules', '.cache', 'ramparts-invoke-'));
    await buildBundles(dist);
    emulator = await emulatorWith('demo');
    consoleConfig = config({ kind: 'console' });
    slackConfig = config({ kind: 'slack' });
    dingtalkConfig = config({ kind: 'dingtalk', dingtalk: { robotCode: 'dingfakerobot', cardTemplateId: 'fake.schema' } });
    store = await createStore({ databaseUrl });
    await store.migrate();
  });

  afterAll(async () => {
    await store?.close();
    await emulator?.close();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
    if (dist) rmSync(dist, { recursive: true, force: true });
  });

  it('scan: runs on a timer event; the same event again returns the recorded summary and makes no cloud call', async () => {
    const e = timer('daily', NOW, 'scan');
    const first = ok(await invoke('scan', e));
    expect(first).toMatchObject({ account: { id: '1234567890123456', alias: 'demo-corp' }, scannedAt: NOW.toISOString(), partial: false });
    expect(first.findings).toEqual(expect.any(Number));
    expect((first.review as { opened: number }).opened).toBeGreaterThan(0);
    const calls = emulator.stats().total;
    expect(calls).toBeGreaterThan(0);
    expect(emulator.stats().errors).toEqual({});

    const retry = await invoke('scan', e);
    expect(ok(retry)).toEqual(first);
    expect(emulator.stats().total).toBe(calls);
    expect(retry.stderr).toContain('timer run already completed');
  });

  it('remind: runs on a timer event; a retry returns the recorded summary', async () => {
    const e = timer('hourly', new Date(NOW.getTime() + 3_600_000), 'remind');
    const first = ok(await invoke('remind', e));
    expect(first).toMatchObject({ checked: expect.any(Number), reminded: expect.any(Number) });
    const retry = await invoke('remind', e);
    expect(ok(retry)).toEqual(first);
    expect(retry.stderr).toContain('timer run already completed');
  });

  it('apply: runs on a timer event in observe mode; a retry returns the recorded summary and makes no cloud call', async () => {
    const e = timer('every-10m', new Date(NOW.getTime() + 600_000), 'apply');
    const first = ok(await invoke('apply', e));
    expect(first).toMatchObject({ mode: 'observe', writes: 0, runner: expect.stringMatching(/^fc-/) });
    const calls = emulator.stats().total;
    const retry = await invoke('apply', e);
    expect(ok(retry)).toEqual(first);
    expect(emulator.stats().total).toBe(calls);
    expect(emulator.stats().writes).toEqual({});
  });

  it('digest: runs on a timer event, posts the week with its chart and records it once; a retry posts nothing', async () => {
    const e = timer('weekly', new Date(NOW.getTime() + 3 * 3_600_000), 'digest');
    const first = await invoke('digest', e);
    const summary = ok(first);
    expect(summary).toMatchObject({ findings: { new: expect.any(Number), resolved: 0 }, openTasks: expect.any(Number) });
    expect((summary.findings as { new: number }).new).toBeGreaterThan(0);
    // The native PNG renderer loads from the bundle's own node_modules, as on FC.
    expect(summary.chartBytes).toBeGreaterThan(1000);
    expect(summary.chartError).toBeUndefined();
    expect(first.stderr).toContain('weekly digest'); // the console chat prints it; FC sends prints to the log

    const retry = await invoke('digest', e);
    expect(ok(retry)).toEqual(summary);
    expect(retry.stderr).not.toContain('weekly digest');
    const sent: string[] = [];
    for await (const entry of store.readAudit()) if (entry.action === 'digest.sent') sent.push(entry.subject);
    expect(sent).toHaveLength(1);
  });

  it('alert: an EventBridge ActionTrail event is posted once; redelivered, it is a duplicate', async () => {
    const e = event('eventbridge', JSON.parse(readFileSync(join(ROOT, 'templates/events/eventbridge-actiontrail.json'), 'utf8')));
    const first = await invoke('alert', e);
    expect(ok(first)).toMatchObject({ records: 1, alerted: 1, outcomes: [{ outcome: 'alerted', type: 'access-key-created' }] });
    expect(first.stderr).toContain('security notice');
    const again = await invoke('alert', e);
    expect(ok(again)).toMatchObject({ records: 1, alerted: 0, duplicates: 1 });
  });

  it('interact: a signed Slack click (Base64 body) records the decision; a forged one gets 401 and changes nothing', async () => {
    const task = await daveTask();
    const click = (signingSecret: string) =>
      signedSlackClick({ taskId: task.id, action: 'revoke', token: tokens.sign(task.id, 'revoke', 'dave'), slackUserId: 'U0DAVE001', signingSecret, nowMs: Date.now(), url: 'https://x/slack/actions' });

    const forged = ok(await invoke('interact', await httpEvent(click('not-the-signing-secret')), slackConfig));
    expect(forged).toMatchObject({ statusCode: 401, isBase64Encoded: false });
    expect(await decisions(task.id)).toEqual([]);
    const head = await store.readAuditHead();

    const signed = ok(await invoke('interact', await httpEvent(click(SLACK_SECRET)), slackConfig));
    expect(signed).toMatchObject({ statusCode: 200, isBase64Encoded: false, headers: expect.any(Object), body: expect.any(String) });
    expect(await decisions(task.id)).toEqual([expect.objectContaining({ action: 'revoke', actor: 'dave', via: 'slack' })]);
    expect((await store.readAuditHead()).seq).toBeGreaterThan(head.seq);
    expect((await store.tx((tx) => tx.getTask(task.id)))?.state).toBe('awaiting_approval');
  });

  it('interact: a signed DingTalk card callback records the decision; a forged one gets 401 and changes nothing', async () => {
    const task = await daveTask();
    const request = (secret: string) => {
      const ts = String(Date.now());
      const body = JSON.stringify({
        type: 'actionCallback',
        outTrackId: `ramparts-${task.id}`,
        corpId: 'dingFakeCorp',
        userId: 'dt-dave',
        content: JSON.stringify({ cardPrivateData: { actionIds: ['revoke'], params: { taskId: task.id, action: 'revoke', token: tokens.sign(task.id, 'revoke', 'dave') } } }),
      });
      return new Request('https://x/dingtalk/card-callback', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-ddpaas-signature-timestamp': ts, 'x-ddpaas-signature': createHmac('sha256', secret).update(ts).digest('base64') },
        body,
      });
    };
    const head = await store.readAuditHead();
    const forged = ok(await invoke('interact', await httpEvent(request('not-the-callback-secret')), dingtalkConfig));
    expect(forged).toMatchObject({ statusCode: 401 });
    expect(await decisions(task.id)).toEqual([]);
    expect(await store.readAuditHead()).toEqual(head);

    const signed = ok(await invoke('interact', await httpEvent(request(DINGTALK_SECRET)), dingtalkConfig));
    expect(signed).toMatchObject({ statusCode: 200, isBase64Encoded: false });
    expect(JSON.parse(signed.body as string)).toMatchObject({ cardData: { cardParamMap: { status: expect.stringContaining('Recorded') } } });
    expect(await decisions(task.id)).toEqual([expect.objectContaining({ action: 'revoke', actor: 'dave', via: 'dingtalk' })]);
  });

  it('run-once on PostgreSQL: of ten invocations of one run at once (a pool, real concurrency), exactly one runs', async () => {
    const timer = { triggerName: 'daily', triggerTime: new Date().toISOString(), payload: '' };
    let runs = 0;
    const run = async () => {
      runs += 1;
      await new Promise((r) => setTimeout(r, 50));
      return 'ran';
    };
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => runOnce({ store, fn: 'scan', timer, runner: `r${i}`, timeoutSeconds: 900, clock: { now: () => new Date() } }, run)),
    );
    expect(runs).toBe(1);
    for (const o of outcomes) {
      if (o.status === 'rejected') expect(o.reason).toMatchObject({ code: 'RUN_IN_PROGRESS' });
      else expect(o.value.result).toBe('ran');
    }
  });

  it('compareAndSetCache on PostgreSQL: of five transactions that read the same value at once, exactly one writes', async () => {
    const key = `cas-${randomBytes(4).toString('hex')}`;
    const race = async (expected: string | null) => {
      let arrived = 0;
      let release!: () => void;
      const barrier = new Promise<void>((r) => (release = r));
      // Every transaction has read before any writes (five open transactions on the pool at once).
      const wins = await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          store.tx(async (tx) => {
            const current = await tx.getCache(key);
            if (++arrived === 5) release();
            await barrier;
            expect(current).toBe(expected);
            return tx.compareAndSetCache(key, current, `${expected ?? 'absent'}>${i}`); // never the value it replaces
          }),
        ),
      );
      expect(wins.filter(Boolean)).toHaveLength(1);
    };
    await race(null); // the claim of an absent key: INSERT … ON CONFLICT DO NOTHING
    const now = await store.tx((tx) => tx.getCache(key));
    await race(now); // taking over a known value: UPDATE … WHERE value = expected
  });

  it('a handler failure exits non-zero with the error and prints no result', async () => {
    const r = await invoke('scan', event('timer-bad', { triggerTime: 'yesterday', triggerName: 'daily', payload: '' }));
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toContain('ramparts: invoke scan failed: [BAD_EVENT] timer event triggerTime "yesterday" is not an ISO-8601 time');
    expect(r.stdout).toBe('');
  });
});
