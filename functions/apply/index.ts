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
import { createCloudClients } from '../../shared/cloud/clients.js';
import { applyFigures, type ApplyFunctionSummary } from '../../shared/fc/summaries.js';
import { runTimerJob } from '../../shared/fc/timer-job.js';
import type { FcContext } from '../../shared/fc/types.js';
import { DEFAULT_LEASE_MS } from '../../shared/remediation/index.js';

export type { ApplyFunctionSummary };

export async function handler(event: Buffer, context: FcContext): Promise<ApplyFunctionSummary> {
  // The clock starts at the trigger time and moves with the wall clock: the executor renews its claim
  // lease from it while steps run, so a pinned clock would let the next run take over a live claim.
  return runTimerJob({ fn: 'apply', event, context, clock: 'moving' }, async ({ config, logger, workflow, credential, runner }) => {
    const clients = createCloudClients(config.cloud, {
      credential,
      onRetry: ({ product, action, attempt, error }) => logger.debug({ product, action, attempt, code: error.code, requestId: error.requestId }, 'retrying cloud call'),
    });
    // A claim must outlast this invocation (FC stops it at the timeout), so no later run takes over a live one.
    const leaseMs = Math.max(DEFAULT_LEASE_MS, (context.function.timeout + 60) * 1000);
    const { summary, detail } = applyFigures(await workflow.apply(clients, { runner, leaseMs }), runner);
    logger.info({ summary, ...detail }, 'apply finished');
    return summary;
  });
}
