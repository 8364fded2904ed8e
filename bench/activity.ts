/**
 * Usage-index ingestion benchmark (not a test: prints figures).
 *
 *   npm run bench:activity -- --events 1000000 [--users 2000] [--roles 200] [--seed 1] [--keep]
 *
 * Writes `--events` raw ActionTrail records (the emulator's generator and record builder) as JSON Lines
 * to a temp file, in batches, then in the same process streams it back three ways: a plain JSON.parse
 * per line (baseline); and JSON.parse + the event parser + the usage index, in pages of 50 the way
 * `readActionTrail` takes LookupEvents pages, over the first tenth of the file and over all of it.
 * Prints events/s of each, the index ÷ baseline ratio (target ≥ 0.5) and each phase's peak RSS
 * (target < 300 MB and flat as the event count grows).
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { generateEvents, type EventActors } from '../emulator/generate-events.js';
import { stableAlnum, stableDigits } from '../emulator/ids.js';
import type { Scenario } from '../emulator/scenario.js';
import { trailRecord, type TrailContext } from '../emulator/trail-events.js';
import { createEventParser } from '../shared/activity/events.js';
import { LOOKUP_PAGE_MAX } from '../shared/activity/actiontrail.js';
import { UsageIndex } from '../shared/activity/usage-index.js';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '100000' },
    users: { type: 'string', default: '2000' },
    roles: { type: 'string', default: '200' },
    seed: { type: 'string', default: '1' },
    keep: { type: 'boolean', default: false },
  },
});
const total = Number(values.events);
const seed = Number(values.seed);
if (!Number.isInteger(total) || total < 10) throw new Error('--events must be an integer ≥ 10');

const MB = 1024 * 1024;
const BATCH = 10_000;
const now = new Date('2025-06-01T00:00:00Z');
const accountId = stableDigits('account', `bench-${seed}`);

// Actors like the emulator's generated account: users (most with one or two keys, some console-only) and roles.
const actors: EventActors = {
  users: Array.from({ length: Number(values.users) }, (_, i) => {
    const keys = i % 5 === 0 ? [] : Array.from({ length: 1 + (i % 3 === 0 ? 1 : 0) }, (_, k) => `LTAI${stableAlnum('key', `u${i}/${k}`, 20)}`);
    return { name: `user-${String(i).padStart(5, '0')}`, keys, console: i % 2 === 0 };
  }),
  roles: Array.from({ length: Number(values.roles) }, (_, i) => `role-${String(i).padStart(4, '0')}`),
};
const ctx: TrailContext = { accountId, now, userId: () => undefined, roleId: () => undefined };

/** Writes `total` records as JSON Lines, `BATCH` generated at a time (never all in memory). */
async function writeEvents(file: string): Promise<void> {
  const out = createWriteStream(file);
  for (let written = 0, batch = 0; written < total; batch++) {
    const n = Math.min(BATCH, total - written);
    let chunk = '';
    for (const e of generateEvents(n, actors, seed + batch)) {
      const event: Scenario['events'][number] = { region: 'cn-hangzhou', errorCode: '', ...e };
      chunk += JSON.stringify(trailRecord(event, written++, ctx).record) + '\n';
    }
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** Peak RSS while `fn` runs: sampled every 50 ms and once at the end. */
async function withPeakRss<T>(fn: () => Promise<T>): Promise<{ result: T; seconds: number; startRss: number; peakRss: number }> {
  const startRss = process.memoryUsage().rss;
  let peakRss = startRss;
  const timer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const t0 = performance.now();
  try {
    const result = await fn();
    const seconds = (performance.now() - t0) / 1000;
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    return { result, seconds, startRss, peakRss };
  } finally {
    clearInterval(timer);
  }
}

/** The file's first `limit` lines (streamed; stops reading there). */
async function* lines(file: string, limit: number): AsyncGenerator<string> {
  const rl = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let n = 0;
  try {
    for await (const line of rl) {
      if (n++ >= limit) return;
      yield line;
    }
  } finally {
    rl.close();
  }
}

async function baseline(file: string, limit: number): Promise<number> {
  let count = 0;
  for await (const line of lines(file, limit)) if (JSON.parse(line) !== null) count++;
  return count;
}

interface IndexRun {
  index: UsageIndex;
  records: number;
  skipped: number;
  duplicates: number;
}

/** JSON.parse + event parser + usage index, page by page like `readActionTrail` (delta per read, merged at the end). */
async function indexRun(file: string, limit: number): Promise<IndexRun> {
  const parse = createEventParser();
  const index = new UsageIndex();
  const delta = new UsageIndex();
  const run: IndexRun = { index, records: 0, skipped: 0, duplicates: 0 };
  let page: unknown[] = [];
  let previous = new Set<string>();
  const takePage = (): void => {
    const current = new Set<string>();
    for (const raw of page) {
      run.records++;
      const parsed = parse(raw);
      if (!parsed.ok) run.skipped++;
      else if (index.seen(parsed.event) || previous.has(parsed.event.id) || current.has(parsed.event.id)) run.duplicates++;
      else {
        current.add(parsed.event.id);
        delta.add(parsed.event);
      }
    }
    previous = current;
    page = [];
  };
  for await (const line of lines(file, limit)) {
    page.push(JSON.parse(line));
    if (page.length === LOOKUP_PAGE_MAX) takePage();
  }
  if (page.length > 0) takePage();
  index.merge(delta, { from: new Date(now.getTime() - 90 * 86_400_000), to: now });
  return run;
}

const dir = await mkdtemp(join(tmpdir(), 'ramparts-bench-activity-'));
const file = join(dir, 'events.jsonl');
try {
  process.stderr.write(`  … writing ${total} events to ${file}\n`);
  const gen = await withPeakRss(() => writeEvents(file));
  const bytes = (await stat(file)).size;

  process.stderr.write('  … baseline (JSON.parse)\n');
  const base = await withPeakRss(() => baseline(file, total));
  const tenth = Math.floor(total / 10);
  process.stderr.write(`  … usage index, ${tenth} events\n`);
  const small = await withPeakRss(() => indexRun(file, tenth));
  process.stderr.write(`  … usage index, ${total} events\n`);
  const full = await withPeakRss(() => indexRun(file, total));

  const rate = (n: number, s: number): string => `${Math.round(n / s).toLocaleString('en-US')}/s`;
  const mb = (b: number): string => `${(b / MB).toFixed(0)} MB`;
  const ratio = full.result.records / full.seconds / (base.result / base.seconds);
  const sizeOf = (r: IndexRun): string => {
    const ids = r.index.identities();
    return `${ids.length} identities, ${r.index.observedActions().length} actions`;
  };
  const row = (label: string, events: number, p: { seconds: number; startRss: number; peakRss: number }, note = ''): string =>
    `  ${label.padEnd(22)} ${events.toLocaleString('en-US').padStart(11)} ${p.seconds.toFixed(2).padStart(8)} s ${rate(events, p.seconds).padStart(12)} ${mb(p.startRss).padStart(9)} ${mb(p.peakRss).padStart(9)}  ${note}`;

  console.log(`\nramparts usage-index benchmark — ${total.toLocaleString('en-US')} events (${mb(bytes)} JSON Lines), ${actors.users.length} users, ${actors.roles.length} roles, seed ${seed}\n`);
  console.log(`  ${'phase'.padEnd(22)} ${'events'.padStart(11)} ${'time'.padStart(10)} ${'rate'.padStart(12)} ${'start RSS'.padStart(9)} ${'peak RSS'.padStart(9)}`);
  console.log(row('generate + write', total, gen));
  console.log(row('baseline JSON.parse', base.result, base));
  console.log(row('index (N/10)', small.result.records, small, sizeOf(small.result)));
  console.log(row('index (N)', full.result.records, full, sizeOf(full.result)));
  console.log(`\nindex ÷ baseline rate   ${ratio.toFixed(2)}  (target ≥ 0.5) → ${ratio >= 0.5 ? 'met' : 'NOT met'}`);
  console.log(`peak RSS index (N)      ${mb(full.peakRss)}  (target < 300 MB) → ${full.peakRss < 300 * MB ? 'met' : 'NOT met'}`);
  console.log(`peak RSS N ÷ N/10       ${(full.peakRss / small.peakRss).toFixed(2)}  (flat ≈ 1)`);
  console.log(`index events / skipped / duplicates   ${full.result.index.events} / ${full.result.skipped} / ${full.result.duplicates}`);
} finally {
  if (values.keep) process.stderr.write(`  kept ${file}\n`);
  else await rm(dir, { recursive: true, force: true });
}
