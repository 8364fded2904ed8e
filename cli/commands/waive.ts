import { RampartsError } from '../../shared/errors.js';
import { EXIT, type CliIO } from '../io.js';
import type { GlobalOptions } from '../program.js';
import { findTask } from './tasks.js';
import { withWorkflow } from './workflow.js';

/** `ramparts waive TASK --as PERSON --reason TEXT [--until DATE]`: security accepts a finding, with an expiry. */
export async function waiveCommand(taskArg: string, o: { as: string; reason: string; until?: string }, g: GlobalOptions, io: CliIO): Promise<number> {
  return withWorkflow(g, io, async (wf) => {
    if (!wf.directory.byId(o.as)) throw new RampartsError('UNKNOWN_PERSON', `--as ${o.as}: no such person in config people[]`);
    const task = await findTask(wf, taskArg);
    const outcome = await wf.waive({ taskId: task.id, by: o.as, reason: o.reason, until: o.until ?? null });
    if (outcome.status === 'waived') {
      io.stdout.write(`waived ${task.id.slice(0, 8)} by ${o.as}${o.until ? ` until ${o.until}` : ''}\n`);
      return EXIT.ok;
    }
    if (outcome.status === 'not_found') throw new RampartsError('TASK_NOT_FOUND', `no review task ${taskArg}`);
    io.stderr.write(`ramparts: refused: ${outcome.refusal.message}\n`);
    return EXIT.error;
  });
}
