import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore } from '../../shared/store/index.js';
import { storeContract } from './store.contract.js';
import { sql } from './store-fixtures.js';

/*
 * vitest.config.ts includes this file only when DATABASE_URL is set; then an unreachable server
 * fails every test with the connection error instead of skipping. Each run works in its own schema
 * so that parallel runs on one database don't collide.
 */
const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL is not set (vitest.config.ts should not have included this file)');
const schema = `ramparts_test_${randomBytes(6).toString('hex')}`;
const admin = new pg.Client({ connectionString: url });

let connected = false;

beforeAll(async () => {
  try {
    await admin.connect();
  } catch (err) {
    const { hostname, port } = new URL(url);
    throw new Error(`DATABASE_URL is set but PostgreSQL at ${hostname || 'localhost'}:${port || 5432} cannot be used (${(err as Error).message}); start it (bash .ci/postgres.sh) or unset DATABASE_URL`, { cause: err });
  }
  connected = true;
  await admin.query(`CREATE SCHEMA ${schema}`);
});
afterAll(async () => {
  if (!connected) return;
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.query(`DROP SCHEMA IF EXISTS ${schema}_m CASCADE`);
  await admin.end();
});

storeContract('PostgreSQL', () => createStore({ databaseUrl: url, schema }));

describe('PostgreSQL adapter', () => {
  it('two processes migrating one fresh schema at once apply each migration once', async () => {
    await admin.query(`CREATE SCHEMA ${schema}_m`);
    const a = await createStore({ databaseUrl: url, schema: `${schema}_m` });
    const b = await createStore({ databaseUrl: url, schema: `${schema}_m` });
    try {
      await Promise.all([a.migrate(), b.migrate(), a.migrate(), b.migrate()]);
      expect(await sql(a).rawQuery('SELECT version, name FROM schema_migrations ORDER BY version')).toEqual([
        { version: 1, name: 'init' },
        { version: 2, name: 'audit_append_only' },
        { version: 3, name: 'plan_executions' },
        { version: 4, name: 'executions_per_approval' },
      ]);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('runs a transaction again after a deadlock', async () => {
    const store = await createStore({ databaseUrl: url, schema });
    try {
      await store.migrate();
      await store.tx(async (tx) => {
        await tx.setCache('k1', '0');
        await tx.setCache('k2', '0');
      });
      let arrived = 0;
      let release: () => void = () => undefined;
      const bothLocked = new Promise<void>((resolve) => (release = resolve));
      let attempts = 0;
      // Each locks one row, waits until the other holds its row, then wants the other's: a deadlock.
      const contender = (first: string, second: string) =>
        store.tx(async (tx) => {
          attempts += 1;
          await tx.setCache(first, 'locked');
          if (++arrived === 2) release();
          await bothLocked;
          await tx.setCache(second, 'locked');
        });
      await Promise.all([contender('k1', 'k2'), contender('k2', 'k1')]);
      expect(attempts).toBe(3);
    } finally {
      await store.close();
    }
  });

  it('an unreachable server is STORE_UNAVAILABLE naming host and port, never the password', async () => {
    const err = await createStore({ databaseUrl: 'postgres://ramparts:s3cret-pw@127.0.0.1:1/nowhere' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'STORE_UNAVAILABLE', message: expect.stringContaining('127.0.0.1:1/nowhere as ramparts') });
    expect((err as Error).message).toMatch(/Check that the server is running/);
    expect((err as Error).message).not.toContain('s3cret-pw');
  });

  it('a missing database is STORE_UNAVAILABLE', async () => {
    const missing = new URL(url);
    missing.pathname = `/${schema}_no_such_db`;
    await expect(createStore({ databaseUrl: missing.toString() })).rejects.toMatchObject({
      code: 'STORE_UNAVAILABLE',
      message: expect.stringContaining(`${schema}_no_such_db`),
    });
  });
});
