import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { RampartsError } from '../errors.js';
import type { RunInTx } from './sql.js';

/** One plain SQL file `NNN_name.sql`. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * Where the SQL files are: `./migrations/` beside this module — in the source tree, and beside a
 * bundle's `index.mjs` once the build copies `shared/store/migrations/` there.
 */
export const DEFAULT_MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

const FILE = /^(\d{3,})_([a-z0-9_]+)\.sql$/;

/** Reads and orders the migration files; two files with one version is an error. */
export async function loadMigrations(dir: string = DEFAULT_MIGRATIONS_DIR): Promise<Migration[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (cause) {
    throw new RampartsError('STORE_MIGRATIONS_MISSING', `cannot read the SQL migrations in ${dir}: ship shared/store/migrations/*.sql with the code`, { cause });
  }
  const migrations: Migration[] = [];
  for (const file of names.sort()) {
    const m = FILE.exec(file);
    if (!m?.[1] || !m[2]) continue;
    migrations.push({ version: Number(m[1]), name: m[2], sql: await readFile(`${dir}/${file}`, 'utf8') });
  }
  migrations.sort((a, b) => a.version - b.version);
  migrations.forEach((m, i) => {
    if (i > 0 && migrations[i - 1]?.version === m.version) {
      throw new RampartsError('STORE_MIGRATIONS_INVALID', `two migrations have version ${m.version} in ${dir}`);
    }
  });
  if (migrations.length === 0) throw new RampartsError('STORE_MIGRATIONS_MISSING', `no NNN_name.sql migrations in ${dir}`);
  return migrations;
}

const LEDGER = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version    INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
)`;

/**
 * Applies the pending migrations in order, each in its own transaction with its row in
 * schema_migrations. Every transaction first takes a transaction-scoped advisory lock (per schema),
 * so processes migrating at once queue up and each re-checks what is applied after waiting:
 * nothing runs twice, and `CREATE TABLE IF NOT EXISTS` never races itself.
 */
export async function applyMigrations(runInTx: RunInTx, migrations: readonly Migration[]): Promise<number[]> {
  const applied: number[] = [];
  for (const m of migrations) {
    const ran = await runInTx(async (db) => {
      await db.query("SELECT pg_advisory_xact_lock(hashtext('ramparts.migrate:' || coalesce(current_schema(), '')))");
      await db.exec(LEDGER);
      const done = await db.query('SELECT 1 FROM schema_migrations WHERE version = $1', [m.version]);
      if (done.length > 0) return false;
      await db.exec(m.sql);
      await db.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      return true;
    });
    if (ran) applied.push(m.version);
  }
  return applied;
}
