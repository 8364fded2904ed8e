import { databaseUrl, loadConfig, type Config } from '../../shared/config/index.js';
import { createDirectory } from '../../shared/people/index.js';
import type { Directory } from '../../shared/people/types.js';
import { createStore } from '../../shared/store/index.js';
import type { Store } from '../../shared/store/port.js';
import { createLogger } from '../../shared/logger.js';
import { ALL_RULES } from '../../shared/rules/registry.js';
import { createWorkflow, peopleFrom, type Workflow } from '../../shared/workflow.js';
import type { CliIO } from '../io.js';
import type { GlobalOptions } from '../program.js';

/** Loads config (failing before any work), opens the workflow, runs `fn`, always closes the store. */
export async function withWorkflow<T>(g: GlobalOptions, io: CliIO, fn: (wf: Workflow, config: Config) => Promise<T>): Promise<T> {
  const config = await loadConfig({ path: g.config, env: io.env, cwd: io.cwd, rules: ALL_RULES });
  const logger = createLogger(g.debug ? 'debug' : config.logLevel, io.stderr);
  const wf = await createWorkflow({ config: { ...config, store: { dataDir: dataDir(config, io) } }, env: io.env, logger, consoleOut: io.stdout });
  try {
    return await fn(wf, config);
  } finally {
    await wf.close();
  }
}

/** PGlite's folder is relative to where ramparts runs. */
function dataDir(config: Config, io: CliIO): string {
  return config.store.dataDir.startsWith('/') ? config.store.dataDir : `${io.cwd}/${config.store.dataDir}`;
}

/** Store and people only, for commands that send nothing (no chat secrets needed). */
export async function withStore<T>(g: GlobalOptions, io: CliIO, fn: (store: Store, directory: Directory) => Promise<T>): Promise<T> {
  const config = await loadConfig({ path: g.config, env: io.env, cwd: io.cwd, rules: ALL_RULES });
  const store = await createStore({ databaseUrl: databaseUrl(io.env), dataDir: dataDir(config, io) });
  try {
    await store.migrate();
    return await fn(store, createDirectory(peopleFrom(config)));
  } finally {
    await store.close();
  }
}
