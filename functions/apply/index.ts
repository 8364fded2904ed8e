/**
 * FC entry point of the apply job (timer, every 10 minutes): approved plans → RAM changes (enforce
 * mode; observe mode records what it would call and writes nothing), tasks moved after their
 * executions, approved rollbacks undone, cards updated. This is the only function whose role may
 * write to RAM (templates/ram-policy-apply.json).
 *
 * Safe to run again at any point: the executor claims each plan compare-and-set under a lease, writes
 * each step once and re-reads the live state before any write, so a rerun after a crash (or an FC
 * retry) resumes without a second write; the next timer run picks up whatever this one left.
 */
import { createCloudClients, staticCredential } from '../../shared/cloud/clients.js';
import { DEFAULT_LEASE_MS } from '../../shared/remediation/index.js';
import { loadConfig, readChatSecrets } from '../../shared/config/index.js';
import { RampartsError } from '../../shared/errors.js';
import { isTimerEvent, parseEvent, type FcContext } from '../../shared/fc/types.js';
import { createLogger } from '../../shared/logger.js';
import type { ApplySummary } from '../../shared/review/apply.js';
import { ALL_RULES } from '../../shared/rules/registry.js';
import { createWorkflow } from '../../shared/workflow.js';


/** What the function returns and logs: counts, no identities' secrets, no credentials. */
export interface ApplyFunctionSummary {
  mode: ApplySummary['mode'];
  /** Who held the claims (from the FC request id): the ledger's `remediation.claimed` entries name it. */
  runner: string;
  /** Executions looked at, by what happened to them (applied, observed, drift, refused, failed, deferred, busy, over-limit…). */
  executions: Record<string, number>;
  /** Approved rollbacks run, by outcome. */
  rollbacks: Record<string, number>;
  tasks: ApplySummary['tasks'];
  /** RAM write calls made (0 in observe mode). */
  writes: number;
  messages: number;
  updated: number;
  /** Rollbacks or card updates that failed (detail in the log line). */
  failures: number;
}

function countBy<T>(items: T[], key: (item: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1;
  return out;
}

export async function handler(event: Buffer, context: FcContext): Promise<ApplyFunctionSummary> {
  const parsed = parseEvent<unknown>(event);
  const started = Date.now();
  const trigger = isTimerEvent(parsed) ? new Date(parsed.triggerTime).getTime() : started;
  if (Number.isNaN(trigger)) throw new RampartsError('BAD_EVENT', `timer event triggerTime "${String((parsed as { triggerTime?: unknown }).triggerTime)}" is not an ISO-8601 time`);
  // The run's clock starts at the trigger time and moves with the wall clock: the executor renews its
  // claim lease from it while steps run, so a pinned clock would let the next run take over a live claim.
  const clock = { now: () => new Date(trigger + (Date.now() - started)) };

  // Bad config or missing secrets fail here, before the store is opened or any cloud call is made.
  const config = await loadConfig({ env: process.env, cwd: process.cwd(), rules: ALL_RULES });
  readChatSecrets(config, process.env);
  const logger = createLogger(config.logLevel);

  const { accessKeyId, accessKeySecret, securityToken } = context.credentials;
  const clients = createCloudClients(config.cloud, {
    credential: staticCredential(accessKeyId, accessKeySecret, securityToken),
    onRetry: ({ product, action, attempt, error }) => logger.debug({ product, action, attempt, code: error.code, requestId: error.requestId }, 'retrying cloud call'),
  });
  const runner = `fc-${context.requestId}`;
  // A claim must outlast this invocation (FC stops it at the timeout), so no later run takes over a live one.
  const leaseMs = Math.max(DEFAULT_LEASE_MS, (context.function.timeout + 60) * 1000);

  const wf = await createWorkflow({ config, env: process.env, logger, clock });
  try {
    const run = await wf.apply(clients, { runner, leaseMs });
    const summary: ApplyFunctionSummary = {
      mode: run.mode,
      runner,
      executions: countBy(run.executions, (e) => e.outcome),
      rollbacks: countBy(run.rollbacks, (r) => r.outcome),
      tasks: run.tasks,
      writes: run.writes,
      messages: run.messages,
      updated: run.updated,
      failures: run.failures.length,
    };
    const executions = run.executions.map(({ executionId, taskId, outcome, writes, reason }) => ({ executionId, taskId, outcome, writes, ...(reason ? { reason } : {}) }));
    const rollbacks = run.rollbacks.map(({ executionId, taskId, outcome, writes }) => ({ executionId, taskId, outcome, writes }));
    logger.info({ summary, executions, rollbacks, failures: run.failures }, 'apply finished');
    return summary;
  } finally {
    await wf.close();
  }
}
