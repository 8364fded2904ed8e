import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Suites that need a real PostgreSQL server: the Store contract and the FC bundles (which carry no
 * PGlite). They run whenever DATABASE_URL is set (CI always sets it, see .ci/postgres.sh).
 */
const POSTGRES_SUITES = ['test/contract/store.postgres.test.ts', 'test/functions/invoke.test.ts'];
const withPostgres = Boolean(process.env.DATABASE_URL);
if (!withPostgres) {
  process.stderr.write(`vitest: DATABASE_URL is not set, so ${POSTGRES_SUITES.join(' and ')} are not run (set it with DATABASE_URL=$(bash .ci/postgres.sh))\n`);
}

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: withPostgres ? configDefaults.exclude : [...configDefaults.exclude, ...POSTGRES_SUITES],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
