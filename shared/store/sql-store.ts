import { RampartsError } from '../errors.js';
import { readAuditPages, readHead } from './ledger.js';
import { applyMigrations, loadMigrations } from './migrate.js';
import type { Store } from './port.js';
import type { Queryable, RunInTx, SqlStore } from './sql.js';
import { createSqlTx } from './sql-tx.js';

/** What an adapter supplies: connections and transactions. Everything else is shared. */
export interface SqlDriver {
  kind: Store['kind'];
  runInTx: RunInTx;
  /** One statement on its own (autocommit), outside any transaction. */
  query: Queryable['query'];
  close(): Promise<void>;
}

/** Builds the Store (plus the SqlStore extras) over a driver. */
export function sqlStore(driver: SqlDriver, migrationsDir?: string): SqlStore {
  return {
    kind: driver.kind,
    async migrate() {
      await applyMigrations(guardedRunInTx(driver.runInTx), await loadMigrations(migrationsDir));
    },
    tx: (fn) => guardedRunInTx(driver.runInTx)((db) => fn(createSqlTx(db))),
    readAudit: (fromSeq) => readAuditPages(driver, fromSeq),
    readAuditHead: () => readHead(driver),
    rawQuery: (text, params) => driver.query(text, params),
    close: () => driver.close(),
  };
}

/**
 * A StoreTx kept past its transaction (a stray `await` after tx() returned) must fail loudly, not
 * run on a pooled connection that now belongs to someone else.
 */
function guardedRunInTx(runInTx: RunInTx): RunInTx {
  return (fn) =>
    runInTx(async (db) => {
      let open = true;
      const check = () => {
        if (!open) throw new RampartsError('STORE_TX_CLOSED', 'this transaction has ended: use the StoreTx only inside its tx() callback');
      };
      const guarded: Queryable = {
        query: async (text, params) => {
          check();
          return db.query(text, params);
        },
        exec: async (script) => {
          check();
          return db.exec(script);
        },
      };
      try {
        return await fn(guarded);
      } finally {
        open = false;
      }
    });
}
