import type { CliIO } from '../io.js';
import type { GlobalOptions } from '../program.js';
import { auditVerifyCommand } from './audit.js';
import { withStore } from './workflow.js';

/** `ramparts audit verify` against the configured store. */
export async function auditVerifyCli(g: GlobalOptions, io: CliIO): Promise<number> {
  return withStore(g, io, (store) => auditVerifyCommand(store, io));
}
