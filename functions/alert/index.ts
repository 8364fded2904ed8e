/**
 * FC entry point of real-time alerts. Two triggers:
 *
 * - EventBridge (ActionTrail write events: the CloudEvent, or a batch): each record is classified,
 *   posted to the security channel once (by event id, however often EventBridge delivers it), recorded
 *   in the ledger, and answered by the automated response `alerts.responses` allows.
 * - timer, every 5 minutes: console sign-ins (which EventBridge does not carry) pulled from ActionTrail
 *   LookupEvents since the last pull, handled the same way.
 *
 * Its role reads ActionTrail and nothing else (templates/ram-policy-alert.json); an automated response
 * is only approved here and carried out by the apply function, the one role that writes to RAM.
 */
import type { AlertRunSummary } from '../../shared/alerts/run.js';
import { parseAlertInput } from '../../shared/alerts/event.js';
import { pullSignins } from '../../shared/alerts/pull.js';
import { realSleep } from '../../shared/clock.js';
import { createCloudClients } from '../../shared/cloud/clients.js';
import { RampartsError } from '../../shared/errors.js';
import { runTimerJob } from '../../shared/fc/timer-job.js';
import { parseEvent, type FcContext } from '../../shared/fc/types.js';

export interface AlertFunctionSummary extends Omit<AlertRunSummary, 'outcomes'> {
  /** The timer's pull: the window read and the region that stores sign-in events. */
  pull?: { from: string; to: string; region: string };
  outcomes: Array<Pick<AlertRunSummary['outcomes'][number], 'eventId' | 'outcome' | 'type'>>;
}

export async function handler(event: Buffer, context: FcContext): Promise<AlertFunctionSummary> {
  return runTimerJob({ fn: 'alert', event, context, clock: 'moving' }, async ({ config, logger, workflow, credential, clock, timer }) => {
    let summary: AlertRunSummary;
    let pull: AlertFunctionSummary['pull'];
    if (timer) {
      const clients = createCloudClients(config.cloud, { credential });
      const pulled = await pullSignins({ clients, config, store: workflow.store, now: clock.now(), sleep: realSleep });
      summary = await workflow.alert(pulled.input);
      // With a failed record the window stays where it was: the next pull reads it again, and what was
      // handled is skipped by event id.
      if (summary.failed === 0) await pulled.commit();
      pull = { ...pulled.window, region: pulled.region };
    } else {
      summary = await workflow.alert(parseAlertInput(parseEvent<unknown>(event)));
    }
    const result: AlertFunctionSummary = {
      ...summary,
      ...(pull ? { pull } : {}),
      outcomes: summary.outcomes.map(({ eventId, outcome, type }) => ({ eventId, outcome, ...(type ? { type } : {}) })),
    };
    const failures = summary.outcomes.filter((o) => o.outcome === 'failed');
    logger.info({ summary: result, failures }, 'alerts handled');
    if (failures.length > 0 && !timer) {
      // EventBridge delivers again on a failed invocation: handled records are skipped, failed ones retried.
      throw new RampartsError('ALERTS_FAILED', `${failures.length} of ${summary.records} records could not be handled: ${failures.map((f) => `${f.eventId} (${f.reason ?? 'unknown'})`).join('; ')}`);
    }
    return result;
  });
}
