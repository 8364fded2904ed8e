import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { isConnectionError, isRetryable, storeUnavailable } from './errors.js';
import type { Queryable, RunInTx, SqlStore } from './sql.js';
import { sqlStore } from './sql-store.js';

export interface PostgresStoreOptions {
  /** `postgres://user:password@host:port/database` (DATABASE_URL). */
  connectionString: string;
  /** Schema that holds the tables (sets search_path); default: the server's (`public`). */
  schema?: string;
  /** Pool size; default 10. */
  max?: number;
  /** How many times a transaction that hit a serialization failure or deadlock is run again; default 4. */
  retries?: number;
  migrationsDir?: string;
}

const CHECK = 'Check that the server is running and reachable, and that DATABASE_URL names the right host, port, database, user and password.';

/**
 * The production store: a `pg` pool. Each tx() checks out one client and runs BEGIN (READ
 * COMMITTED) … COMMIT; a serialization failure or deadlock (40001, 40P01) runs the whole callback
 * again, so callbacks must not have effects outside the store. Connects once before returning,
 * so a wrong DATABASE_URL fails here with STORE_UNAVAILABLE.
 */
export async function openPostgresStore(opts: PostgresStoreOptions): Promise<SqlStore> {
  const target = describeTarget(opts.connectionString);
  if (opts.schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(opts.schema)) {
    throw storeUnavailable(target.where, 'A schema name is lower-case letters, digits and underscores.', new Error(`invalid schema name ${JSON.stringify(opts.schema)}`));
  }
  const pool = new pg.Pool({
    connectionString: opts.connectionString,
    max: opts.max ?? 10,
    connectionTimeoutMillis: 15_000,
    application_name: 'ramparts',
    // UTC so that a date without a zone means the same instant everywhere.
    options: `-c TimeZone=UTC${opts.schema ? ` -c search_path=${opts.schema}` : ''}`,
  });
  // An idle client losing its server must not crash the process; the next checkout reconnects.
  pool.on('error', () => undefined);

  const fail = (err: unknown): unknown => (isConnectionError(err) ? storeUnavailable(target.where, CHECK, err, target.password) : err);
  try {
    (await pool.connect()).release();
  } catch (err) {
    await pool.end();
    throw fail(err);
  }

  const retries = opts.retries ?? 4;
  const runInTx: RunInTx = async (fn) => {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await runOnce(pool, fn);
      } catch (err) {
        if (!isRetryable(err) || attempt >= retries) throw fail(err);
        await sleep(Math.random() * 20 * 2 ** attempt); // jitter so the retried transactions don't collide again
      }
    }
  };
  return sqlStore(
    {
      kind: 'postgres',
      runInTx,
      query: async <R>(text: string, params?: readonly unknown[]) => {
        try {
          return (await pool.query(text, params ? [...params] : undefined)).rows as R[];
        } catch (err) {
          throw fail(err);
        }
      },
      close: () => pool.end(),
    },
    opts.migrationsDir,
  );
}

async function runOnce<T>(pool: pg.Pool, fn: (db: Queryable) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN ISOLATION LEVEL READ COMMITTED');
    const result = await fn(clientQueryable(client));
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch((rollbackError: unknown) => {
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    });
    throw err;
  } finally {
    // A client whose ROLLBACK failed is in an unknown state: destroy it rather than pool it.
    client.release(broken);
  }
}

function clientQueryable(client: pg.PoolClient): Queryable {
  return {
    query: async <R>(text: string, params?: readonly unknown[]) => (await client.query(text, params ? [...params] : undefined)).rows as R[],
    exec: async (script) => {
      await client.query(script); // no parameters: simple protocol, so several statements are allowed
    },
  };
}

/** "host:port/database as user" for messages, and the password to scrub from them — never shown. */
function describeTarget(connectionString: string): { where: string; password: string | undefined } {
  try {
    const url = new URL(connectionString);
    const host = url.hostname || url.searchParams.get('host') || 'localhost';
    const db = decodeURIComponent(url.pathname.replace(/^\//, '')) || '(default database)';
    const user = url.username ? ` as ${decodeURIComponent(url.username)}` : '';
    return { where: `PostgreSQL ${host}:${url.port || '5432'}/${db}${user}`, password: url.password ? decodeURIComponent(url.password) : undefined };
  } catch {
    return { where: 'DATABASE_URL (not a valid postgres:// URL)', password: undefined };
  }
}
