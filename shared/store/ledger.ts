import { entryHash } from '../audit/hash.js';
import type { AuditHead } from '../audit/verify.js';
import { RampartsError } from '../errors.js';
import type { AuditEntry, AuditInput } from './port.js';
import { iso, rowToAudit, type AuditRow } from './rows.js';
import type { Queryable } from './sql.js';

/** Rows per page when reading the ledger. */
export const AUDIT_PAGE_SIZE = 1000;

const AUDIT_COLUMNS = 'seq, at, actor, action, subject, data, prev_hash, hash';

/**
 * Appends one entry. Locking the single `audit_head` row makes concurrent appenders queue behind
 * each other until the holder commits or rolls back, so seqs are gap-free and each entry links to
 * the one committed before it. Append last in a transaction: the lock is held until it ends.
 */
export async function appendAudit(db: Queryable, input: AuditInput): Promise<AuditEntry> {
  const at = normaliseAt(input.at);
  const data = jsonObject(input.data);
  const [head] = await db.query<{ seq: number | string; hash: string }>('SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE');
  if (!head) throw new RampartsError('STORE_NOT_MIGRATED', 'audit_head is empty: run the store migrations (store.migrate()) first');
  const fields = { seq: Number(head.seq) + 1, at, actor: input.actor, action: input.action, subject: input.subject, data };
  const hash = entryHash(head.hash, fields);
  await db.query(
    `INSERT INTO audit_ledger (${AUDIT_COLUMNS}) VALUES ($1, $2::timestamptz, $3, $4, $5, $6::jsonb, $7, $8)`,
    [fields.seq, at, fields.actor, fields.action, fields.subject, JSON.stringify(data), head.hash, hash],
  );
  await db.query('UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1', [fields.seq, hash]);
  return { ...fields, prevHash: head.hash, hash };
}

/** The head row: seq and hash of the last appended entry (0 and the genesis hash when empty). */
export async function readHead(db: Pick<Queryable, 'query'>): Promise<AuditHead> {
  const [head] = await db.query<{ seq: number | string; hash: string }>('SELECT seq, hash FROM audit_head WHERE id = 1');
  if (!head) throw new RampartsError('STORE_NOT_MIGRATED', 'audit_head is empty: run the store migrations (store.migrate()) first');
  return { seq: Number(head.seq), hash: head.hash };
}

/** Reads the ledger from `fromSeq` in seq order, one page per query (no long-lived cursor). */
export async function* readAuditPages(db: Pick<Queryable, 'query'>, fromSeq = 1): AsyncGenerator<AuditEntry> {
  let next = fromSeq;
  for (;;) {
    const rows = await db.query<AuditRow>(`SELECT ${AUDIT_COLUMNS} FROM audit_ledger WHERE seq >= $1 ORDER BY seq LIMIT $2`, [next, AUDIT_PAGE_SIZE]);
    for (const row of rows) yield rowToAudit(row);
    const last = rows[rows.length - 1];
    if (!last || rows.length < AUDIT_PAGE_SIZE) return;
    next = Number(last.seq) + 1;
  }
}

/** The hash covers `at` as stored, so it is normalised to what TIMESTAMPTZ gives back. */
function normaliseAt(at: string): string {
  if (Number.isNaN(new Date(at).getTime())) {
    throw new RampartsError('AUDIT_ENTRY_INVALID', `audit entry "at" must be an ISO-8601 time, got ${JSON.stringify(at)}`);
  }
  return iso(at);
}

/** The hash covers `data` as JSONB gives it back: a JSON round trip drops undefined members and the like. */
function jsonObject(data: Record<string, unknown>): Record<string, unknown> {
  const copy: unknown = JSON.parse(JSON.stringify(data ?? {}));
  if (typeof copy !== 'object' || copy === null || Array.isArray(copy)) {
    throw new RampartsError('AUDIT_ENTRY_INVALID', 'audit entry "data" must be a JSON object');
  }
  return copy as Record<string, unknown>;
}
