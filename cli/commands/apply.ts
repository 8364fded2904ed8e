import { createApp } from '../../shared/app.js';
import { RampartsError } from '../../shared/errors.js';
import type { ApplySummary } from '../../shared/review/apply.js';
import type { PlanExecution, Store } from '../../shared/store/port.js';
import { EXIT, type CliIO } from '../io.js';
import type { GlobalOptions } from '../program.js';
import { createLogger } from '../../shared/logger.js';
import { stepIndex } from './decide.js';
import { findTask } from './tasks.js';
import { withStore, withWorkflow } from './workflow.js';

/** One line per execution result and rollback, then the totals. */
export function applyLines(s: ApplySummary): string[] {
  const lines = s.executions.map((e) => `  ${e.executionId}  ${e.outcome.padEnd(11)} task ${e.taskId.slice(0, 8)}${e.reason ? `  ${e.reason}` : ''}${e.wouldApply?.length ? `  would call: ${e.wouldApply.join('; ')}` : ''}`);
  lines.push(...s.rollbacks.map((r) => `  ${r.executionId}  rollback ${r.outcome} task ${r.taskId.slice(0, 8)}${r.steps.map((st) => ` · step ${st.step + 1} ${st.outcome}${st.reason ? ` (${st.reason})` : ''}`).join('')}`));
  const t = s.tasks;
  lines.push(
    `apply (${s.mode}): ${t.applied} applied, ${t.observed} observed, ${t.drift} sent back for drift, ${t.failed} failed, ${t.rolledBack} rolled back; ${s.writes} RAM writes; ${s.messages} messages, ${s.updated} cards updated`,
  );
  for (const f of s.failures) lines.push(`  failed: ${f.to}: ${f.error}`);
  return lines;
}

/**
 * `ramparts apply`: the apply job once, locally — approved plans through the executor in the configured
 * remediation.mode (`--dry-run` forces observe), approved rollbacks, cards updated. Uses the same
 * credentials as `ramparts scan`; in enforce mode they need the apply policy (templates/ram-policy-apply.json).
 */
export async function applyCommand(o: { dryRun?: boolean }, g: GlobalOptions, io: CliIO): Promise<number> {
  return withWorkflow(g, io, async (wf, config) => {
    const app = createApp({ config, logger: createLogger(g.debug ? 'debug' : config.logLevel, io.stderr) });
    const summary = await wf.apply(app.cloud, { observeOnly: Boolean(o.dryRun) });
    io.stdout.write(`${applyLines(summary).join('\n')}\n`);
    return summary.failures.length > 0 || summary.tasks.failed > 0 ? EXIT.findings : EXIT.ok;
  });
}

/** A plan execution by id, or a task's latest one by task id (or prefix); null when none matches. */
async function findExecution(store: Store, idOrTask: string): Promise<PlanExecution | null> {
  const direct = await store.tx((tx) => tx.getExecution(idOrTask));
  if (direct) return direct;
  const all = await store.tx((tx) => tx.listExecutions({}));
  const matches = all.filter((e) => e.id.startsWith(idOrTask) || e.taskId.startsWith(idOrTask));
  const latest = new Map(matches.map((e) => [e.taskId, e]));
  if (latest.size === 1) return [...latest.values()][0] ?? null;
  if (latest.size === 0) return null;
  throw new RampartsError('REMEDIATION_AMBIGUOUS', `${latest.size} plans match ${idOrTask}; give more of the id`);
}

/**
 * `ramparts rollback PLAN [--step N] --as PERSON --reason TEXT`: asks for a rollback of an applied plan
 * (or one step) as its owner would from the applied card. A rollback restores access, so it is
 * approved like a revocation (`ramparts decide TASK approve --as MANAGER` or the approval card) and the
 * apply run carries it out.
 */
export async function rollbackCommand(plan: string, o: { as: string; reason?: string; step?: string }, g: GlobalOptions, io: CliIO): Promise<number> {
  const step = stepIndex(o.step);
  return withWorkflow(g, io, async (wf) => {
    if (!wf.directory.byId(o.as)) throw new RampartsError('UNKNOWN_PERSON', `--as ${o.as}: no such person in config people[]`);
    const execution = await findExecution(wf.store, plan);
    const task = execution ? await findTask(wf, execution.taskId) : await findTask(wf, plan);
    // The request is about the task's current plan (decide checks the step against it).
    if (execution && task.execution && task.execution.id !== execution.id) {
      throw new RampartsError('BAD_OPTION', `${plan} is an earlier plan of task ${task.id.slice(0, 8)}; its current plan is ${task.execution.id}`);
    }
    const outcome = await wf.decide({ taskId: task.id, action: 'rollback', actor: o.as, reason: o.reason ?? null, step, via: 'cli' });
    switch (outcome.status) {
      case 'recorded':
        io.stdout.write(`rollback requested for ${step === null ? 'the whole plan' : `step ${step + 1}`} of task ${task.id.slice(0, 8)}; waiting for ${outcome.task.assignees.join(', ')} to approve\n`);
        return EXIT.ok;
      case 'duplicate':
        io.stdout.write(`already requested: task ${task.id.slice(0, 8)} is ${outcome.task.state}\n`);
        return EXIT.ok;
      case 'refused':
        io.stderr.write(`ramparts: refused: ${outcome.refusal.message}\n`);
        return EXIT.error;
      case 'not_found':
        throw new RampartsError('TASK_NOT_FOUND', `no review task for ${plan}`);
    }
  });
}

/** `ramparts executions`: approved plans and where they stand, one line each (or JSON). */
export async function executionsCommand(o: { format: 'table' | 'json' }, g: GlobalOptions, io: CliIO): Promise<number> {
  return withStore(g, io, async (store) => {
    const all = await store.tx((tx) => tx.listExecutions({}));
    if (o.format === 'json') {
      io.stdout.write(`${JSON.stringify(all, null, 2)}\n`);
      return EXIT.ok;
    }
    if (all.length === 0) io.stdout.write('no plan executions yet: approved revocations appear here\n');
    for (const e of all) {
      const steps = e.steps.map((s, i) => `${i + 1}:${s.status}`).join(' ');
      io.stdout.write(`${e.id}  ${e.state.padEnd(11)} ${e.mode.padEnd(7)} task ${e.taskId.slice(0, 8)}  ${e.plan.summary}  [${steps}]${e.error ? `  ${e.error}` : ''}\n`);
    }
    return EXIT.ok;
  });
}
