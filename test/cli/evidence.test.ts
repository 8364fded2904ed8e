/**
 * `ramparts evidence` in-process: the command against a PGlite folder filled with review stories
 * (test/unit/audit/evidence-fixtures.ts). PGlite holds one handle per folder, so the direct store
 * is closed before each command runs.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evidenceCommand, parseBound, pickEvidenceFormat, type EvidenceCommandOptions } from '../../cli/commands/evidence.js';
import { EXIT } from '../../cli/io.js';
import { EVIDENCE_CSV_COLUMNS } from '../../shared/audit/evidence-render.js';
import { createStore, type SqlStore } from '../../shared/store/index.js';
import type { AuditEntry } from '../../shared/store/port.js';
import { tamper } from '../contract/store-fixtures.js';
import { fillStore, IN_PERIOD } from '../unit/audit/evidence-fixtures.js';
import { Sink } from './sink.js';

let dir: string;
let dataDir: string;

async function withDirectStore<T>(fn: (store: SqlStore) => Promise<T>): Promise<T> {
  const store = await createStore({ dataDir });
  try {
    await store.migrate();
    return await fn(store);
  } finally {
    await store.close();
  }
}

async function run(o: EvidenceCommandOptions): Promise<{ status: number; stdout: string; stderr: string }> {
  const stdout = new Sink();
  const stderr = new Sink();
  const status = await evidenceCommand(o, { config: join(dir, 'ramparts.config.yaml') }, { stdout, stderr, env: {}, cwd: dir });
  return { status, stdout: stdout.text, stderr: stderr.text };
}

const taskIds = (csv: string) => (parse(csv, { columns: true }) as Array<Record<string, string>>).map((r) => r['taskId']);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ramparts-evidence-'));
  dataDir = join(dir, 'db');
  await writeFile(
    join(dir, 'ramparts.config.yaml'),
    [
      `store: { dataDir: ${JSON.stringify(dataDir)} }`,
      'people:',
      '  - { id: li.na, name: Li Na, groups: [security] }',
      '  - { id: wang.fang, name: Wang Fang, groups: [approvers] }',
      '  - { id: chen.jie, name: Chen Jie, manager: wang.fang, groups: [platform] }',
      '',
    ].join('\n'),
  );
  await withDirectStore(fillStore);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('ramparts evidence', () => {
  it('writes CSV to stdout by default; --to as a day includes that whole day', async () => {
    const out = await run({ from: '2026-06-01', to: '2026-06-30' });
    expect(out).toMatchObject({ status: EXIT.ok, stderr: '' });
    const [header] = parse(out.stdout, { to_line: 1 }) as string[][];
    expect(header).toEqual([...EVIDENCE_CSV_COLUMNS]);
    expect(taskIds(out.stdout)).toEqual([...IN_PERIOD]);
    // The rejection happened at 10:00 on 16 June: a period of that one day includes it; zoned times are instants.
    expect(taskIds((await run({ from: '2026-06-16', to: '2026-06-16' })).stdout)).toEqual(['rejected']);
    expect(taskIds((await run({ from: '2026-06-16T10:00:01Z', to: '2026-06-16T23:00:00+08:00' })).stdout)).toEqual([]);
  });

  it('--output FILE.json writes JSON (format from the extension) and says what it wrote on stderr', async () => {
    const out = await run({ from: '2026-06-01', to: '2026-06-30', output: 'evidence.json' });
    expect(out.status).toBe(EXIT.ok);
    expect(out.stdout).toBe('');
    const doc = JSON.parse(await readFile(join(dir, 'evidence.json'), 'utf8')) as { rows: Array<{ taskId: string }>; ledger: { headSeq: number; headHash: string; verified: boolean } };
    expect(doc.rows.map((r) => r.taskId)).toEqual([...IN_PERIOD]);
    const last = await withDirectStore(async (store) => {
      let e: AuditEntry | undefined;
      for await (const entry of store.readAudit()) e = entry;
      return e;
    });
    expect(doc.ledger).toMatchObject({ verified: true, headSeq: last?.seq, headHash: last?.hash });
    expect(out.stderr).toBe(
      `ramparts: wrote json evidence to ${join(dir, 'evidence.json')}: 5 review rows, 2026-06-01T00:00:00.000Z – 2026-06-30T23:59:59.999Z, ledger head ${last?.seq} ${last?.hash}\n`,
    );
  });

  it('picks the format: --format, else the extension, else CSV', () => {
    expect(pickEvidenceFormat('json', 'out.csv')).toBe('json');
    expect(pickEvidenceFormat(undefined, 'OUT.JSON')).toBe('json');
    expect(pickEvidenceFormat(undefined, 'out.csv')).toBe('csv');
    expect(pickEvidenceFormat(undefined, 'out.txt')).toBe('csv');
    expect(pickEvidenceFormat(undefined, undefined)).toBe('csv');
  });

  it('refuses bad dates with BAD_OPTION, naming the option and the value', async () => {
    const bad = async (o: Partial<EvidenceCommandOptions>, message: RegExp) =>
      expect(run({ from: '2026-06-01', to: '2026-06-30', ...o })).rejects.toMatchObject({ code: 'BAD_OPTION', message: expect.stringMatching(message) });
    await bad({ from: 'last week' }, /^--from last week is not a date; give a UTC day \(YYYY-MM-DD/);
    await bad({ to: '2026-02-30' }, /^--to 2026-02-30 is not a calendar day/);
    await bad({ to: '2026-06-30T10:00' }, /^--to 2026-06-30T10:00 is not a date \(this time has no zone: add Z/);
    await bad({ from: '2026-07-01' }, /^--from 2026-07-01 is after --to 2026-06-30/);
  });

  it('parses days to whole UTC days and zoned times to their instant', () => {
    expect(parseBound('--from', '2026-06-01', 'start').toISOString()).toBe('2026-06-01T00:00:00.000Z');
    expect(parseBound('--to', '2026-06-30', 'end').toISOString()).toBe('2026-06-30T23:59:59.999Z');
    expect(parseBound('--to', '2026-06-30T08:00:00+08:00', 'end').toISOString()).toBe('2026-06-30T00:00:00.000Z');
  });

  it('a tampered ledger: the evidence is still written, stderr says it did not verify, and the exit status is 1', async () => {
    await withDirectStore((store) => tamper(store, ["UPDATE audit_ledger SET actor = 'mallory' WHERE seq = 4"]));
    const out = await run({ from: '2026-06-01', to: '2026-06-30', output: 'tampered.csv' });
    expect(out.status).toBe(EXIT.findings);
    expect(out.stderr).toMatch(/wrote csv evidence to .*tampered\.csv: 5 review rows/);
    expect(out.stderr).toMatch(/ramparts: AUDIT LEDGER DID NOT VERIFY at entry 4: edited/);
    const rows = parse(await readFile(join(dir, 'tampered.csv'), 'utf8'), { columns: true }) as Array<Record<string, string>>;
    expect(rows.map((r) => r['taskId'])).toEqual([...IN_PERIOD]);
    expect(rows.every((r) => r['ledgerVerified'] === 'false')).toBe(true);
  });
});
