import type { SqlStore } from './sql.js';

export type { SqlStore, Queryable } from './sql.js';
export { isSqlStore, readAuditHead } from './sql.js';

export interface CreateStoreOptions {
  /** PostgreSQL connection string (DATABASE_URL). When set it wins over dataDir and memory. */
  databaseUrl?: string;
  /** PGlite folder; default `.ramparts/db`. */
  dataDir?: string;
  /** In-memory PGlite (tests, demos). */
  memory?: boolean;
  /** PostgreSQL schema holding the tables (search_path); default `public`. */
  schema?: string;
}

/**
 * Opens the store the options select: PostgreSQL when a database URL is given, else PGlite in
 * memory or in a folder (`.ramparts/db` by default). Does not migrate: call `store.migrate()` once
 * at start-up. Connection problems throw a RampartsError with code STORE_UNAVAILABLE naming the
 * host or folder (never the password) and what to check. Each adapter is imported only when
 * chosen, so a function on PostgreSQL never loads PGlite's WASM (cold start).
 */
export async function createStore(opts: CreateStoreOptions = {}): Promise<SqlStore> {
  if (opts.databaseUrl) {
    const { openPostgresStore } = await import('./postgres.js');
    return openPostgresStore({ connectionString: opts.databaseUrl, ...(opts.schema ? { schema: opts.schema } : {}) });
  }
  const { openPgliteStore } = await import('./pglite.js');
  return openPgliteStore(opts.memory ? { memory: true } : { dataDir: opts.dataDir });
}
