/**
 * FC entry point of the daily scan (timer trigger): inventory and activity → findings, logged as one
 * JSON line for SLS, then review tasks synced (open, refresh, resolve) and owners prompted. "Now" is
 * the trigger time; a retried run returns the recorded summary (shared/fc/timer-job.ts).
 */
import { storeUsageStore } from '../../shared/activity/usage-store.js';
import { createApp, realSleep } from '../../shared/app.js';
import { scanFigures, type ScanFunctionSummary } from '../../shared/fc/summaries.js';
import { runTimerJob } from '../../shared/fc/timer-job.js';
import type { FcContext } from '../../shared/fc/types.js';

export async function handler(event: Buffer, context: FcContext): Promise<ScanFunctionSummary> {
  return runTimerJob({ fn: 'scan', event, context, clock: 'pinned' }, async ({ config, logger, workflow, now, credential }) => {
    // The store keeps the usage index too, so each scan reads only new activity.
    const app = createApp({ config, logger, credential, usageStore: storeUsageStore(workflow.store), sleep: realSleep });
    const report = await app.scan({ now });
    const summary = scanFigures(report);
    logger.info({ summary, findings: report.findings }, 'scan finished');
    const review = await workflow.syncScan(report);
    logger.info({ review }, 'review tasks synced');
    return { ...summary, review };
  });
}
