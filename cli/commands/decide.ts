import { RampartsError } from '../../shared/errors.js';
import { TASK_ACTIONS, type TaskAction } from '../../shared/review/types.js';
import { EXIT, type CliIO } from '../io.js';
import type { GlobalOptions } from '../program.js';
import { findTask } from './tasks.js';
import { withWorkflow } from './workflow.js';

const ACTIONS: readonly string[] = TASK_ACTIONS;

export interface DecideOptions {
  as: string;
  reason?: string;
  until?: string;
  /** rollback: one plan step (1-based, as printed). */
  step?: string;
}

/** `--step 2` → 1 (steps are shown 1-based; the executor counts from 0). */
export function stepIndex(step: string | undefined): number | null {
  if (step === undefined) return null;
  const n = Number(step);
  if (!Number.isInteger(n) || n < 1) throw new RampartsError('BAD_OPTION', `--step ${step}: give a step number from 1 (see ramparts executions)`);
  return n - 1;
}

/**
 * `ramparts decide TASK ACTION --as PERSON`: the same use case as a chat button, so the same rules
 * apply (who may answer, reasons, attestation) and the ledger records it with `via: cli`.
 */
export async function decideCommand(taskArg: string, actionArg: string, o: DecideOptions, g: GlobalOptions, io: CliIO): Promise<number> {
  const action = actionArg.replace(/-/g, '_');
  if (!ACTIONS.includes(action)) throw new RampartsError('BAD_OPTION', `unknown answer "${actionArg}"; use one of ${ACTIONS.join(', ')}`);
  return withWorkflow(g, io, async (wf) => {
    if (!wf.directory.byId(o.as)) throw new RampartsError('UNKNOWN_PERSON', `--as ${o.as}: no such person in config people[]`);
    const task = await findTask(wf, taskArg);
    const step = stepIndex(o.step);
    const outcome = await wf.decide({ taskId: task.id, action: action as TaskAction, actor: o.as, reason: o.reason ?? null, until: o.until ?? null, step, via: 'cli' });
    switch (outcome.status) {
      case 'recorded':
        io.stdout.write(`recorded: ${action} on ${task.id.slice(0, 8)} by ${o.as}; task is now ${outcome.task.state}\n`);
        return EXIT.ok;
      case 'duplicate':
        io.stdout.write(`already recorded: task ${task.id.slice(0, 8)} is ${outcome.task.state}\n`);
        return EXIT.ok;
      case 'refused':
        io.stderr.write(`ramparts: refused: ${outcome.refusal.message}\n`);
        return EXIT.error;
      case 'not_found':
        throw new RampartsError('TASK_NOT_FOUND', `no review task ${taskArg}`);
    }
  });
}
