import { configDefaults, defineConfig } from 'vitest/config';

/** The Store contract on a real PostgreSQL server runs whenever DATABASE_URL is set (see .ci/postgres.sh). */
const POSTGRES_SUITE = 'test/contract/store.postgres.test.ts';
const withPostgres = Boolean(process.env.DATABASE_URL);
if (!withPostgres) {
  process.stderr.write(`vitest: DATABASE_URL is not set, so ${POSTGRES_SUITE} is not run (set it with DATABASE_URL=$(bash .ci/postgres.sh))\n`);
}

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: withPostgres ? configDefaults.exclude : [...configDefaults.exclude, POSTGRES_SUITE],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
