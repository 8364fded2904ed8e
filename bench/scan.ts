/**
 * Scan API-economy and throughput benchmark (not a test: prints figures).
 *
 *   npm run bench:scan -- --users 3000 [--latency 20] [--qps 50] [--key-ratio 0.5] [--seed 1]
 *
 * Starts the emulator in a child process with per-request latency and a per-action QPS limit
 * (Throttling.User above it), scans it with the real SDK clients, and prints calls per action, calls
 * per user, wall time, the throttle bound, their ratio, and the scanner's peak RSS.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createApp } from '../shared/app.js';
import { staticCredential } from '../shared/cloud/clients.js';
import { parseConfig } from '../shared/config/index.js';
import { createLogger } from '../shared/logger.js';
import { ALL_RULES } from '../shared/rules/registry.js';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '3000' },
    latency: { type: 'string', default: '20' },
    qps: { type: 'string', default: '50' },
    'key-ratio': { type: 'string', default: '0.5' },
    seed: { type: 'string', default: '1' },
    concurrency: { type: 'string', default: '8' },
  },
});
const users = Number(values.users);
const qps = Number(values.qps);

const child = fork(fileURLToPath(new URL('./emulator-child.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
const started = await new Promise<{ url: string; scanner: { id: string; secret: string }; counts: Record<string, number> }>((resolve, reject) => {
  child.once('message', (m) => resolve(m as never));
  child.once('error', reject);
  child.send({ users, seed: Number(values.seed), latencyMs: Number(values.latency), qps, keyRatio: Number(values['key-ratio']) });
});

const config = parseConfig({ cloud: { concurrency: Number(values.concurrency) } }, { env: { RAMPARTS_CLOUD_ENDPOINT: started.url }, rules: ALL_RULES });
const app = createApp({ config, logger: createLogger('warn'), credential: staticCredential(started.scanner.id, started.scanner.secret) });

const t0 = performance.now();
let lastProgress = 0;
const report = await app.scan({
  progress: (e) => {
    const t = performance.now();
    if (t - lastProgress < 10_000) return;
    lastProgress = t;
    process.stderr.write(`  … ${((t - t0) / 1000).toFixed(0)} s: ${e.phase}${e.total ? ` ${e.done}/${e.total}` : ''}\n`);
  },
});
const wallS = (performance.now() - t0) / 1000;
child.disconnect();

const calls = report.stats.apiCalls;
const total = report.stats.totalApiCalls;
const busiest = Object.entries(calls).sort((a, b) => b[1] - a[1])[0] ?? ['-', 0];
// Per-action limits: no client can finish before its busiest action has been served at the allowed rate.
const boundS = busiest[1] / qps;
const { counts } = started;
// Trails and secrets: DescribeTrails + GetTrailStatus per trail, ListSecrets per 100 + DescribeSecret per secret.
const context = 1 + counts.trails! + Math.ceil(counts.secrets! / 100) + counts.secrets!;
const budget = counts.users! / 10 + counts.usersWithKeys! + 2 * (counts.groups! + counts.attachedPolicies! + counts.roles!) + context + 20;

const rows = Object.entries(calls).sort((a, b) => b[1] - a[1]);
console.log(`\nramparts scan benchmark — ${counts.users} users (${counts.usersWithKeys} with keys), ${counts.groups} groups, ${counts.attachedPolicies} attached policies, ${counts.roles} roles, ${counts.trails} trails, ${counts.secrets} secrets`);
console.log(`emulator: ${values.latency} ms latency, ${qps} requests/s per action; scanner concurrency ${values.concurrency}; mode ${report.mode}${report.partial ? ' (PARTIAL)' : ''}\n`);
for (const [action, n] of rows) console.log(`  ${action.padEnd(34)} ${String(n).padStart(7)}`);
console.log(`  ${'total'.padEnd(34)} ${String(total).padStart(7)}`);
console.log(`\ncalls per user          ${(total / counts.users!).toFixed(3)}`);
console.log(`throttled (retried)     ${app.cloud.caller.stats.retries}`);
console.log(
  report.mode === 'credential-report'
    ? `call budget             ${Math.floor(budget)}  (users/10 + users with keys + 2×(groups + attached policies + roles) + trails/secrets + 20) → ${total <= budget ? 'within' : 'OVER'}`
    : `call budget             n/a: above ${config.scan.credentialReport.maxUsers} users the report is unavailable, so ListAccessKeys and GetLoginProfile run per user`,
);
console.log(`wall time               ${wallS.toFixed(1)} s`);
console.log(`throttle bound          ${boundS.toFixed(1)} s  (busiest action ${busiest[0]}: ${busiest[1]} calls ÷ ${qps}/s)`);
console.log(`wall ÷ bound            ${(wallS / boundS).toFixed(2)}`);
// The same bound counting only the calls that had to be made (throttled attempts are the client's cost).
const needed = busiest[1] - (app.cloud.caller.stats.throttled[busiest[0]] ?? 0);
console.log(`wall ÷ strict bound     ${(wallS / (needed / qps)).toFixed(2)}  (${needed} needed ${busiest[0]} calls ÷ ${qps}/s = ${(needed / qps).toFixed(1)} s)`);
console.log(`sequential bound        ${(total / qps).toFixed(1)} s  (all calls ÷ ${qps}/s)`);
console.log(`peak RSS (scanner)      ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
console.log(`findings                ${report.findings.length}`);
