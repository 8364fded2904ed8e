import { verifyStore } from '../../shared/audit/verify-store.js';
import type { Store } from '../../shared/store/port.js';
import { EXIT, type CliIO } from '../io.js';

/**
 * `ramparts audit verify`: re-checks the hash chain of the whole audit ledger and its recorded head.
 * Prints one verdict line on stdout; exit 0 when intact, 1 when tampering is found (the first bad
 * entry and what happened).
 */
export async function auditVerifyCommand(store: Store, io: Pick<CliIO, 'stdout' | 'stderr'>): Promise<number> {
  const result = await verifyStore(store);
  if (result.ok) {
    io.stdout.write(`audit ledger OK: ${result.count} entries, head ${result.head.seq} ${result.head.hash}\n`);
    return EXIT.ok;
  }
  const { seq, kind, detail } = result.problem;
  io.stdout.write(`audit ledger TAMPERED at entry ${seq}: ${kind} — ${detail}\n`);
  return EXIT.findings;
}
