import type { AuditEntry, Store } from '../store/port.js';
import { readAuditHead } from '../store/sql.js';
import { verifyLedger, type AuditHead, type VerifyResult } from './verify.js';

/**
 * Verifies a store's whole ledger and, when the adapter records one, its head. The head is read
 * after the last entry; if it is ahead because appends committed meanwhile, the new entries are
 * read and verified too, so a live bot does not look like a cut tail. (An append commits its entry
 * and the head together, so the head can run ahead of what was read, never behind.)
 */
export async function verifyStore(store: Store): Promise<VerifyResult> {
  let head: AuditHead | null = null;
  async function* entries(): AsyncGenerator<AuditEntry> {
    let last = 0;
    for (let round = 0; ; round += 1) {
      const before = last;
      for await (const entry of store.readAudit(last + 1)) {
        last = entry.seq;
        yield entry;
      }
      // Nothing new although the head was ahead: the entries it counts are gone.
      if (round > 0 && last === before) return;
      head = await readAuditHead(store);
      if (!head || head.seq <= last) return;
    }
  }
  return verifyLedger(entries(), { expectedHead: () => head });
}
