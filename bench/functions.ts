/**
 * FC function benchmark (not a test: prints figures and whether each target is met).
 *
 *   DATABASE_URL=$(bash .ci/postgres.sh) npm run bench:functions [-- --runs 10 --warm 200]
 *
 * What is measured:
 *  - bundle size, built as `npm run build` builds it (scripts/bundle.ts): what a cold start loads (index.mjs,
 *    the chunks it imports statically and the PostgreSQL store chunk every run opens), and the chunks loaded
 *    on first use only (the DingTalk SDK, the SLS and OSS activity sources). The size targets apply to the first.
 *  - cold start: median over `--runs` NEW node processes of the time from process start (Node's own
 *    performance.now() origin, so Node's boot is included) to:
 *      scan, remind, apply: the bundle imported and `handler` ready (no invocation: a first run needs the
 *        cloud, and its time would be the emulator's, not the function's);
 *      interact: the first invocation answered — a signed Slack button click (FC3 HTTP event, Base64
 *        body) for a task that does not exist: signature, parse, clicker, token, one store transaction,
 *        404. With DATABASE_URL, the bundle on PostgreSQL (its store opened and migrations checked, as
 *        on FC); without, the TypeScript source on PGlite through tsx (the bundle has no PGlite), which
 *        is NOT the deployed path and is slower (tsx compiles on the fly).
 *  - interact cold start with the DingTalk SDK chunk imported too: a DingTalk deployment's first card update.
 *  - warm interact latency: p50/p99 over `--warm` invocations of that click in one process, after one
 *    warm-up invocation: the source handler on PGlite, and the bundle on PostgreSQL when DATABASE_URL is set.
 */
import { spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { ROOT, buildFunctions, type BundleReport } from '../scripts/bundle.js';
import { createTokenSigner } from '../shared/chat/token.js';
import type { FcContext, FcHttpEvent, FcHttpResponse } from '../shared/fc/types.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' }, warm: { type: 'string', default: '200' } } });
const RUNS = Number(values.runs);
const WARM = Math.max(200, Number(values.warm));
const MB = 1_000_000;

const BUTTON_SECRET = 'bench-button-secret-0123456789abcdef';
const SLACK_SECRET = 'bench-slack-signing-secret';
const SLACK_USER = 'U0DAVE001';

// Scratch space under node_modules: the scan bundle's external lz4-napi resolves from there.
const work = mkdtempSync(join(ROOT, 'node_modules', '.ramparts-bench-'));
const dist = join(work, 'dist');
const configFile = join(work, 'ramparts.config.yaml');
writeFileSync(
  configFile,
  `${JSON.stringify({ chat: { kind: 'slack' }, store: { dataDir: join(work, 'pglite') }, people: [{ id: 'dave', name: 'Dave', slack: SLACK_USER, manager: 'bob', groups: ['platform'] }, { id: 'bob', name: 'Bob', groups: ['security'] }], owners: [{ pattern: '*', owner: 'dave' }] }, null, 2)}\n`,
);

/** The environment FC would give interact (s.yaml environmentVariables), fake secrets. */
function functionEnv(databaseUrl?: string): Record<string, string> {
  return {
    RAMPARTS_CONFIG: configFile,
    RAMPARTS_LOG_LEVEL: 'error',
    RAMPARTS_BUTTON_SECRET: BUTTON_SECRET,
    SLACK_BOT_TOKEN: 'xoxb-fake-not-real',
    SLACK_SIGNING_SECRET: SLACK_SECRET,
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  };
}

/**
 * A Slack button click on a task that does not exist, as FC3 delivers it (reference §2.3). No
 * response_url, so the 404 is answered without a call to Slack.
 */
function slackClickEvent(): FcHttpEvent {
  const taskId = 'bench-no-such-task';
  const token = createTokenSigner({ secrets: [BUTTON_SECRET], now: () => Date.now() }).sign(taskId, 'keep', 'dave');
  const payload = {
    type: 'block_actions',
    user: { id: SLACK_USER, team_id: 'T0RAMPARTS' },
    actions: [{ type: 'button', action_id: `ramparts:keep:${taskId}`, value: JSON.stringify({ taskId, action: 'keep', token }) }],
  };
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  const ts = String(Math.floor(Date.now() / 1000));
  const signature = `v0=${createHmac('sha256', SLACK_SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
  return {
    version: 'v1',
    rawPath: '/slack/actions',
    body: Buffer.from(body).toString('base64'),
    isBase64Encoded: true,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Slack-Request-Timestamp': ts, 'X-Slack-Signature': signature },
    queryParameters: {},
    requestContext: {
      accountId: '1234567890123456',
      domainName: 'bench.cn-hangzhou.fcapp.run',
      domainPrefix: 'bench',
      requestId: `1-${randomBytes(8).toString('hex')}`,
      time: new Date().toISOString(),
      timeEpoch: String(Date.now()),
      http: { method: 'POST', path: '/slack/actions', protocol: 'HTTP/1.1', sourceIp: '52.0.0.1', userAgent: 'Slackbot 1.0' },
    },
  };
}

const context = (): FcContext =>
  ({
    requestId: randomBytes(8).toString('hex'),
    credentials: { accessKeyId: 'bench', accessKeySecret: 'bench', securityToken: 'bench' },
    function: { name: 'ramparts-interact', handler: 'index.handler', memory: 512, timeout: 10 },
  }) as FcContext;

// Runs in the new process: import, (optionally) one invocation, then report ms since process start.
const CHILD = `
const t = await import(process.env.BENCH_MODULE);
if (typeof t.handler !== 'function') throw new Error('no handler export');
for (const chunk of (process.env.BENCH_ALSO ?? '').split(' ').filter(Boolean)) await import(chunk);
let status = null;
if (process.env.BENCH_EVENT) {
  const ctx = { requestId: 'cold', credentials: { accessKeyId: 'b', accessKeySecret: 'b', securityToken: 'b' }, function: { name: 'ramparts-interact', handler: 'index.handler', memory: 512, timeout: 10 } };
  status = (await t.handler(Buffer.from(process.env.BENCH_EVENT), ctx)).statusCode;
}
process.stdout.write(JSON.stringify({ ms: performance.now(), status }));
process.exit(0);
`;

function coldRun(module: string, env: Record<string, string>, withEvent: boolean, tsx = false, also: string[] = []): Promise<{ ms: number; status: number | null }> {
  const args = [...(tsx ? ['--import', 'tsx'] : []), '--input-type=module', '-e', CHILD];
  const childEnv = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', BENCH_MODULE: pathToFileURL(module).href, BENCH_ALSO: also.map((f) => pathToFileURL(f).href).join(' '), ...env, ...(withEvent ? { BENCH_EVENT: JSON.stringify(slackClickEvent()) } : {}) };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: work, env: childEnv });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`cold run of ${module} exited ${code}: ${err.trim().slice(-800)}`));
      resolve(JSON.parse(out) as { ms: number; status: number | null });
    });
  });
}

const median = (xs: number[]) => quantile(xs, 0.5);
function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
}

async function cold(module: string, env: Record<string, string>, withEvent: boolean, tsx = false, also: string[] = []): Promise<{ ms: number; status: number | null }> {
  await coldRun(module, env, withEvent, tsx, also); // unmeasured: creates the PGlite folder / applies migrations once
  const runs: Array<{ ms: number; status: number | null }> = [];
  for (let i = 0; i < RUNS; i++) runs.push(await coldRun(module, env, withEvent, tsx, also));
  return { ms: median(runs.map((r) => r.ms)), status: runs[0]!.status };
}

type Handler = (event: Buffer, context: FcContext) => Promise<FcHttpResponse>;

async function warm(handler: Handler): Promise<{ p50: number; p99: number; statuses: string }> {
  const statuses = new Map<number, number>();
  await handler(Buffer.from(JSON.stringify(slackClickEvent())), context()); // warm-up: store opened, migrations checked
  const times: number[] = [];
  for (let i = 0; i < WARM; i++) {
    const event = Buffer.from(JSON.stringify(slackClickEvent()));
    const t0 = performance.now();
    const r = await handler(event, context());
    times.push(performance.now() - t0);
    statuses.set(r.statusCode, (statuses.get(r.statusCode) ?? 0) + 1);
  }
  return { p50: quantile(times, 0.5), p99: quantile(times, 0.99), statuses: [...statuses].map(([s, n]) => `${n}×${s}`).join(', ') };
}

/** A throw-away database on the DATABASE_URL server, dropped at the end. */
async function scratchDatabase(url: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `ramparts_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

const fmtMs = (ms: number) => `${ms.toFixed(1)} ms`;
const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');

const baseUrl = process.env.DATABASE_URL;
let db: Awaited<ReturnType<typeof scratchDatabase>> | undefined;
try {
  process.stderr.write('building bundles…\n');
  const reports: BundleReport[] = await buildFunctions({ outdir: dist, enforceSizeCaps: false });
  const bundle = (name: string) => join(dist, name, 'index.mjs');
  if (baseUrl) db = await scratchDatabase(baseUrl);

  process.stderr.write(`cold starts (${RUNS} new processes each)…\n`);
  const coldMs: Record<string, number> = {};
  for (const name of reports.map((r) => r.name).filter((n) => n !== 'interact')) coldMs[name] = (await cold(bundle(name), functionEnv(db?.url), false)).ms;
  const importOnly = await cold(bundle('interact'), functionEnv(db?.url), false);
  const interactReport = reports.find((r) => r.name === 'interact')!;
  const dingTalkChunk = interactReport.lazyChunks.find((c) => c.packages.some((p) => p.name === '@alicloud/dingtalk'));
  const withDingTalk = dingTalkChunk ? await cold(bundle('interact'), functionEnv(db?.url), false, false, [dingTalkChunk.file]) : null;
  const interactCold = db
    ? await cold(bundle('interact'), functionEnv(db.url), true)
    : await cold(join(ROOT, 'functions/interact/index.ts'), functionEnv(), true, true);

  process.stderr.write(`warm interact (${WARM} invocations)…\n`);
  // Each handler keeps its workflow from its first call, which reads the environment then.
  Object.assign(process.env, functionEnv());
  delete process.env.DATABASE_URL;
  const source = (await import('../functions/interact/index.js')) as { handler: Handler; preStop: (c: FcContext) => Promise<void> };
  const warmPglite = await warm(source.handler);
  await source.preStop(context());
  let warmPg: Awaited<ReturnType<typeof warm>> | undefined;
  if (db) {
    process.env.DATABASE_URL = db.url;
    const built = (await import(pathToFileURL(bundle('interact')).href)) as { handler: Handler; preStop: (c: FcContext) => Promise<void> };
    warmPg = await warm(built.handler);
    await built.preStop(context());
  }

  console.log(`\nramparts FC functions — node ${process.version}, ${RUNS} cold runs, ${WARM} warm invocations\n`);
  console.log(`${'function'.padEnd(10)} ${'at start'.padStart(9)} ${'target'.padStart(6)} ${'on demand'.padStart(10)}  ${'cold start (median)'.padEnd(40)} largest packages at start`);
  for (const r of reports) {
    const c = r.name === 'interact' ? `${fmtMs(interactCold.ms)} first click (${db ? 'bundle, PostgreSQL' : 'source via tsx, PGlite'}) / ${fmtMs(importOnly.ms)} import` : `${fmtMs(coldMs[r.name]!)} import + handler ready`;
    const top = r.eagerPackages.slice(0, 4).map((p) => `${p.name} ${(p.bytes / 1024).toFixed(0)}k`).join(', ');
    const lazy = `${((r.totalBytes - r.bytes) / MB).toFixed(2)} MB`;
    console.log(`${r.name.padEnd(10)} ${`${(r.bytes / MB).toFixed(2)} MB`.padStart(9)} ${`${r.cap / MB} MB`.padStart(6)} ${lazy.padStart(10)}  ${c.padEnd(40)} ${top}`);
  }
  for (const r of reports) {
    for (const l of r.lazyChunks.filter((x) => x.bytes >= 100_000)) {
      console.log(`  ${r.name} on demand: ${(l.bytes / MB).toFixed(2)} MB — ${l.packages.slice(0, 3).map((p) => `${p.name} ${(p.bytes / 1024).toFixed(0)}k`).join(', ')}`);
    }
  }
  if (withDingTalk) console.log(`interact import + DingTalk SDK chunk (a DingTalk deployment's first card update): ${fmtMs(withDingTalk.ms)} (import alone ${fmtMs(importOnly.ms)})`);
  console.log(`\ninteract first click answered ${interactCold.status} (no such task: one store transaction)`);
  console.log(`warm interact, PGlite (source handler):   p50 ${fmtMs(warmPglite.p50)}, p99 ${fmtMs(warmPglite.p99)}  [${warmPglite.statuses}]`);
  console.log(warmPg ? `warm interact, PostgreSQL (bundle):       p50 ${fmtMs(warmPg.p50)}, p99 ${fmtMs(warmPg.p99)}  [${warmPg.statuses}]` : 'warm interact, PostgreSQL: skipped: DATABASE_URL not set');

  console.log('\ntargets');
  for (const r of reports) console.log(`  ${`${r.name} at start < ${r.cap / MB} MB`.padEnd(34)} ${`${(r.bytes / MB).toFixed(2)} MB`.padStart(9)}  ${verdict(r.bytes < r.cap)}`);
  const allUnder2 = reports.every((r) => r.bytes < 2 * MB);
  console.log(`  ${'every bundle < 2 MB'.padEnd(34)} ${''.padStart(9)}  ${verdict(allUnder2)}`);
  console.log(`  ${'interact cold start < 400 ms'.padEnd(34)} ${fmtMs(interactCold.ms).padStart(9)}  ${verdict(interactCold.ms < 400)}${db ? '' : ' (source via tsx on PGlite, not the bundle: set DATABASE_URL)'}`);
  console.log(`  ${'interact warm p99 < 50 ms (PGlite)'.padEnd(34)} ${fmtMs(warmPglite.p99).padStart(9)}  ${verdict(warmPglite.p99 < 50)}`);
  console.log(`  ${'interact warm p99 < 50 ms (PG)'.padEnd(34)} ${(warmPg ? fmtMs(warmPg.p99) : '-').padStart(9)}  ${warmPg ? verdict(warmPg.p99 < 50) : 'skipped: DATABASE_URL not set'}`);
} finally {
  await db?.drop();
  rmSync(work, { recursive: true, force: true });
}
