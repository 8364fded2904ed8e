import { writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileUsageStore, storeUsageStore, type UsageStore } from '../../shared/activity/usage-store.js';
import { createApp, realSleep } from '../../shared/app.js';
import { databaseUrl, loadConfig, type Config } from '../../shared/config/index.js';
import type { Severity } from '../../shared/domain/finding.js';
import { RampartsError } from '../../shared/errors.js';
import { createLogger } from '../../shared/logger.js';
import { CSV_COLUMNS, csvCell, renderCsv, renderJson, renderMarkdown, severityAtLeast, type ScanReport } from '../../shared/report/index.js';
import { ALL_RULES } from '../../shared/rules/registry.js';
import { scanAccounts, type AccountScanResult, type MultiAccountScan } from '../../shared/scan/scan-accounts.js';
import { createStore } from '../../shared/store/index.js';
import { EXIT, type CliIO } from '../io.js';
import type { Format, GlobalOptions } from '../program.js';
import { progressReporter } from '../progress.js';
import { pickFormat, render } from './render.js';

export interface ScanOptions {
  format?: Format;
  output?: string;
  failOn: Severity;
  progress: boolean;
}

/** `ramparts scan`: config is validated before any cloud call; the report goes to stdout or --output. */
export async function scanCommand(o: ScanOptions, g: GlobalOptions, io: CliIO): Promise<number> {
  const config = await loadConfig({ path: g.config, env: io.env, cwd: io.cwd, rules: ALL_RULES });
  const logger = createLogger(g.debug ? 'debug' : config.logLevel, io.stderr);
  const usage = await openUsageStore(config, io);
  const app = createApp({ config, logger, usageStore: usage.store, sleep: realSleep });
  const progress = progressReporter(io.stderr, o.progress);
  if (config.accounts.mode !== 'single') {
    let result: MultiAccountScan;
    try {
      result = await scanAccounts({
        clients: app.cloud,
        config,
        now: app.clock.now(),
        usageStore: usage.store,
        sleep: realSleep,
        logger,
        progress: (accountId, e) => progress.report({ ...e, phase: `${accountId} ${e.phase}` }),
      });
    } finally {
      progress.done();
      await usage.close();
    }
    await write(renderAccounts(result, o, io), o, io);
    return accountsExitStatus(result, o.failOn, io);
  }
  let report: ScanReport;
  try {
    report = await app.scan({ progress: progress.report });
  } finally {
    progress.done();
    await usage.close();
  }
  await emit(report, o, io);
  return exitStatus(report, o.failOn, io);
}

/**
 * Where the CLI keeps the usage index between scans: with DATABASE_URL, in that database's cache (the
 * same place the scan function keeps it); without, in `usage-<accountId>.json` beside the embedded
 * store's folder (`.ramparts/` by default), so a scan does not start PGlite just for one value.
 */
async function openUsageStore(config: Config, io: CliIO): Promise<{ store: UsageStore; close(): Promise<void> }> {
  const url = databaseUrl(io.env);
  if (url === undefined) {
    return { store: fileUsageStore(dirname(resolve(io.cwd, config.store.dataDir))), close: async () => {} };
  }
  const store = await createStore({ databaseUrl: url });
  try {
    await store.migrate();
  } catch (err) {
    await store.close();
    throw err;
  }
  return { store: storeUsageStore(store), close: () => store.close() };
}

export async function emit(report: ScanReport, o: { format?: Format; output?: string }, io: CliIO): Promise<void> {
  const format = pickFormat(o.format, o.output);
  await write(render(report, format, io, Boolean(o.output)), o, io);
}

async function write(text: string, o: { format?: Format; output?: string }, io: CliIO): Promise<void> {
  const format = pickFormat(o.format, o.output);
  if (!o.output) {
    io.stdout.write(text);
    return;
  }
  const file = resolve(io.cwd, o.output);
  try {
    await writeFile(file, text, 'utf8');
  } catch (err) {
    throw new RampartsError('OUTPUT_FAILED', `cannot write the report to ${file}: ${(err as Error).message}`, { cause: err });
  }
  io.stderr.write(`ramparts: wrote ${format} report to ${file}\n`);
}

/** 1 when a fail/error finding is at or above --fail-on; else 2 when the scan was partial; else 0. */
export function exitStatus(report: ScanReport, failOn: Severity, io: CliIO): number {
  if (severityAtLeast(report.findings, failOn) > 0) return EXIT.findings;
  if (report.partial || report.partialReasons.length > 0) {
    // Fail closed: "nothing found" is not trustworthy when parts of the account could not be read.
    io.stderr.write(`ramparts: the scan is partial, so a clean result cannot be trusted:\n  - ${report.partialReasons.join('\n  - ')}\n`);
    return EXIT.error;
  }
  return EXIT.ok;
}

/**
 * Several accounts in one output: JSON `{ accounts: [{ accountId, name, ok, report?, error? }], notes }`
 * (each report in the single-account JSON shape); table and Markdown one section per account under its
 * name and id; CSV the single-account columns after an `accountId` column.
 */
function renderAccounts(result: MultiAccountScan, o: { format?: Format; output?: string }, io: CliIO): string {
  const format = pickFormat(o.format, o.output);
  const { accounts, notes } = result;
  switch (format) {
    case 'json': {
      const out = accounts.map((a) => ({
        accountId: a.accountId,
        name: a.name,
        ok: a.ok,
        ...(a.report ? { report: JSON.parse(renderJson(a.report)) as unknown } : {}),
        ...(a.ok ? {} : { error: a.error, errorCode: a.errorCode }),
      }));
      return `${JSON.stringify({ accounts: out, notes }, null, 2)}\n`;
    }
    case 'csv': {
      // Each report's rows without its header line, after the account id.
      const rows = accounts.flatMap((a) => (a.report ? renderCsv(a.report).split('\r\n').slice(1).filter(Boolean).map((row) => `${a.accountId},${row}`) : []));
      return [['accountId', ...CSV_COLUMNS].map(csvCell).join(','), ...rows].map((line) => `${line}\r\n`).join('');
    }
    case 'markdown':
      return accounts.map((a) => `## ${a.name} (${a.accountId})\n\n${a.report ? renderMarkdown(a.report) : `**Not scanned:** ${a.error ?? 'unknown error'}\n`}`).join('\n');
    case 'table':
      return accounts
        .map((a) => {
          const head = `=== ${a.name} (${a.accountId}) ===\n`;
          return a.report ? `${head}${render(a.report, 'table', io, Boolean(o.output))}` : `${head}NOT SCANNED: ${a.error ?? 'unknown error'}\n`;
        })
        .join('\n');
  }
}

/**
 * Several accounts: 2 when any account could not be scanned (it has no result to judge); else 1 when
 * any account has a fail/error finding at or above --fail-on; else 2 when any scan was partial; else 0.
 * Every failure and partial reason goes to stderr whatever the status.
 */
export function accountsExitStatus(result: MultiAccountScan, failOn: Severity, io: CliIO): number {
  for (const note of result.notes) io.stderr.write(`ramparts: ${note}\n`);
  const label = (a: AccountScanResult) => `${a.name} (${a.accountId})`;
  const failed = result.accounts.filter((a) => !a.ok);
  const partial = result.accounts.filter((a) => a.report && (a.report.partial || a.report.partialReasons.length > 0));
  for (const a of failed) io.stderr.write(`ramparts: account ${label(a)} was not scanned: ${a.error ?? 'unknown error'}\n`);
  for (const a of partial) {
    io.stderr.write(`ramparts: the scan of ${label(a)} is partial, so a clean result cannot be trusted:\n  - ${a.report!.partialReasons.join('\n  - ')}\n`);
  }
  if (failed.length > 0) return EXIT.error;
  if (result.accounts.some((a) => a.report && severityAtLeast(a.report.findings, failOn) > 0)) return EXIT.findings;
  return partial.length > 0 ? EXIT.error : EXIT.ok;
}
