import type { AuditHead } from '../audit/verify.js';
import type { Store } from './port.js';

/**
 * The one thing the shared SQL needs from a connection: parameterised queries returning rows, and
 * multi-statement scripts (migrations). Both adapters provide it for a connection inside a
 * transaction, so every statement is written once (sql-tx.ts, ledger.ts, migrate.ts).
 */
export interface Queryable {
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<R[]>;
  exec(script: string): Promise<void>;
}

/** Runs `fn` in one transaction on one connection. */
export type RunInTx = <T>(fn: (db: Queryable) => Promise<T>) => Promise<T>;

/**
 * What both SQL adapters offer beyond the Store port. `readAuditHead` serves verification;
 * `rawQuery` is a test and maintenance hook (tamper tests, resets) — application code must not use
 * it, since it bypasses the port and the ledger's rules.
 */
export interface SqlStore extends Store {
  readAuditHead(): Promise<AuditHead>;
  rawQuery<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<R[]>;
}

/** True for the PostgreSQL and PGlite adapters. */
export function isSqlStore(store: Store): store is SqlStore {
  const s = store as Partial<SqlStore>;
  return typeof s.readAuditHead === 'function' && typeof s.rawQuery === 'function';
}

/** The ledger head recorded by the store, or null when the store cannot tell (a test double). */
export async function readAuditHead(store: Store): Promise<AuditHead | null> {
  return isSqlStore(store) ? store.readAuditHead() : null;
}
