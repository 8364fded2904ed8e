import { writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileUsageStore, storeUsageStore, type UsageStore } from '../../shared/activity/usage-store.js';
import { createApp, realSleep } from '../../shared/app.js';
import { databaseUrl, loadConfig, type Config } from '../../shared/config/index.js';
import type { Severity } from '../../shared/domain/finding.js';
import { RampartsError } from '../../shared/errors.js';
import { createLogger } from '../../shared/logger.js';
import { severityAtLeast, type ScanReport } from '../../shared/report/index.js';
import { ALL_RULES } from '../../shared/rules/registry.js';
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
  const text = render(report, format, io, Boolean(o.output));
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
  if (report.partial) {
    // Fail closed: "nothing found" is not trustworthy when parts of the account could not be read.
    io.stderr.write(`ramparts: the scan is partial, so a clean result cannot be trusted:\n  - ${report.partialReasons.join('\n  - ')}\n`);
    return EXIT.error;
  }
  return EXIT.ok;
}
