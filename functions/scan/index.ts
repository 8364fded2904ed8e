/**
 * FC entry point of the daily scan (timer trigger). Translates the event, builds the app with the
 * invocation's role credentials, runs the scan use case, logs the findings as one JSON line for SLS,
 * then syncs review tasks (open, refresh, resolve) and prompts the owners.
 */
import { storeUsageStore } from '../../shared/activity/usage-store.js';
import { createApp, realSleep } from '../../shared/app.js';
import { staticCredential } from '../../shared/cloud/clients.js';
import { loadConfig, readChatSecrets } from '../../shared/config/index.js';
import { isTimerEvent, parseEvent, type FcContext } from '../../shared/fc/types.js';
import { RampartsError } from '../../shared/errors.js';
import { createLogger } from '../../shared/logger.js';
import { ALL_RULES } from '../../shared/rules/registry.js';
import { createWorkflow } from '../../shared/workflow.js';

export async function handler(event: Buffer, context: FcContext): Promise<object> {
  const parsed = parseEvent<unknown>(event);
  // A timer pins the scan's "now" to its trigger time, so retries judge ages the same way.
  const now = isTimerEvent(parsed) ? new Date(parsed.triggerTime) : new Date();
  if (Number.isNaN(now.getTime())) throw new RampartsError('BAD_EVENT', `timer event triggerTime "${String((parsed as { triggerTime?: unknown }).triggerTime)}" is not an ISO-8601 time`);
  const config = await loadConfig({ env: process.env, cwd: process.cwd(), rules: ALL_RULES });
  // The review step needs chat secrets: check them now, so bad config fails before any cloud call.
  readChatSecrets(config, process.env);
  const { accessKeyId, accessKeySecret, securityToken } = context.credentials;
  // The store keeps review tasks and the usage index, so each scan reads only new activity.
  const logger = createLogger(config.logLevel);
  const workflow = await createWorkflow({ config, env: process.env, logger, clock: { now: () => now } });
  try {
    const app = createApp({
      config,
      logger,
      credential: staticCredential(accessKeyId, accessKeySecret, securityToken),
      usageStore: storeUsageStore(workflow.store),
      sleep: realSleep,
    });
    const report = await app.scan({ now });
    const bySeverity: Record<string, number> = {};
    for (const f of report.findings) bySeverity[f.severity] = (bySeverity[f.severity] ?? 0) + 1;
    const summary = {
      account: report.account,
      scannedAt: report.scannedAt,
      partial: report.partial,
      findings: report.findings.length,
      bySeverity,
      apiCalls: report.stats.totalApiCalls,
      activity: report.activity && { source: report.activity.source, coverage: report.activity.coverage, events: report.activity.events, error: report.activity.error },
    };
    app.logger.info({ summary, findings: report.findings }, 'scan finished');
    // Open, refresh and resolve review tasks, and prompt owners (one message per owner per scan).
    const review = await workflow.syncScan(report);
    app.logger.info({ review }, 'review tasks synced');
    return { ...summary, review };
  } finally {
    await workflow.close();
  }
}
