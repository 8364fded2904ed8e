/**
 * FC entry point of the hourly reminder job: reminders, escalation to managers, deadline actions
 * (which can request a revocation, never apply one). "Now" is the trigger time; a retried run
 * returns the recorded summary (shared/fc/timer-job.ts).
 */
import { runTimerJob } from '../../shared/fc/timer-job.js';
import type { FcContext } from '../../shared/fc/types.js';
import type { RemindSummary } from '../../shared/review/remind.js';

export async function handler(event: Buffer, context: FcContext): Promise<RemindSummary> {
  return runTimerJob({ fn: 'remind', event, context, clock: 'pinned' }, async ({ logger, workflow }) => {
    const summary = await workflow.remind();
    logger.info({ summary }, 'remind finished');
    return summary;
  });
}
