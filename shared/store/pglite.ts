import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { storeUnavailable } from './errors.js';
import type { Queryable, SqlStore } from './sql.js';
import { sqlStore } from './sql-store.js';

/** Default folder of the embedded database, relative to the working directory. */
export const DEFAULT_DATA_DIR = '.ramparts/db';

export interface PgliteStoreOptions {
  /** Folder of the database files; default `.ramparts/db`. Ignored when `memory` is set. */
  dataDir?: string;
  /** A throw-away in-memory database (tests, demos). */
  memory?: boolean;
  migrationsDir?: string;
}

/**
 * The embedded store: PostgreSQL compiled to WASM, in a folder or in memory. PGlite has a single
 * connection; its transaction() holds an exclusive lock for the whole callback and its plain
 * queries wait for that lock, so concurrent tx() calls run one after another. Consequently, calling
 * readAudit() or a nested tx() from inside a tx() callback would wait forever. One process per
 * folder: PGlite does not lock its data directory against a second process.
 */
export async function openPgliteStore(opts: PgliteStoreOptions = {}): Promise<SqlStore> {
  const where = opts.memory ? 'memory://' : resolve(opts.dataDir ?? DEFAULT_DATA_DIR);
  let db: PGlite;
  try {
    if (!opts.memory) await mkdir(where, { recursive: true });
    db = await PGlite.create(where);
    // UTC so that a date without a zone means the same instant everywhere.
    await db.exec("SET TimeZone = 'UTC'");
  } catch (err) {
    throw storeUnavailable(
      `PGlite ${where}`,
      'Check that the folder is writable and holds a ramparts PGlite database not open in another process (move it away to start afresh).',
      err,
    );
  }

  return sqlStore(
    {
      kind: 'pglite',
      runInTx: (fn) => db.transaction((tx) => fn(txQueryable(tx))),
      query: async <R>(text: string, params?: readonly unknown[]) => (await db.query<R>(text, params ? [...params] : undefined)).rows,
      close: () => db.close(),
    },
    opts.migrationsDir,
  );
}

function txQueryable(tx: Transaction): Queryable {
  return {
    query: async <R>(text: string, params?: readonly unknown[]) => (await tx.query<R>(text, params ? [...params] : undefined)).rows,
    exec: async (script) => {
      await tx.exec(script);
    },
  };
}
