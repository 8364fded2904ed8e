/**
 * FC entry point of the daily scan (timer trigger). "Now" is the trigger time; a retried run returns
 * the recorded summary (shared/fc/timer-job.ts).
 *
 * - One account (`accounts.mode: single`): inventory and activity → findings, logged as one JSON line
 *   for SLS, then review tasks synced (open, refresh, resolve) and owners prompted.
 * - Many accounts: the timer run queues one asynchronous invocation of this function per member
 *   (shared/fc/scan-fanout.ts); each such worker scans its member through the member's read-only role
 *   and syncs that member's tasks.
 */
import { storeUsageStore } from '../../shared/activity/usage-store.js';
import { createApp, realSleep } from '../../shared/app.js';
import { fcAsyncInvoker, type AsyncInvoker } from '../../shared/fc/invoke-async.js';
import { fanOut, parseScanJob, workerTarget, type FanOutSummary } from '../../shared/fc/scan-fanout.js';
import { scanFigures, type ScanFunctionSummary } from '../../shared/fc/summaries.js';
import { runTimerJob, type TimerJobEnv } from '../../shared/fc/timer-job.js';
import type { FcContext } from '../../shared/fc/types.js';
import { RampartsError } from '../../shared/errors.js';
import type { ScanReport } from '../../shared/report/types.js';
import { scanTarget } from '../../shared/scan/scan-accounts.js';

export type ScanResult = ScanFunctionSummary | FanOutSummary;

export interface ScanHandlerDeps {
  /** Queues the per-member workers; default: FC InvokeFunction signed with the invocation's role. */
  invoker?: (context: FcContext, env: TimerJobEnv) => AsyncInvoker;
}

function defaultInvoker(context: FcContext, { config, credential, logger }: TimerJobEnv): AsyncInvoker {
  const { cloud } = config;
  return fcAsyncInvoker({
    credential,
    accountId: context.accountId,
    region: context.region,
    maxAttempts: cloud.maxAttempts,
    retryBaseDelayMs: cloud.retryBaseDelayMs,
    retryMaxDelayMs: cloud.retryMaxDelayMs,
    connectTimeoutMs: cloud.connectTimeoutMs,
    readTimeoutMs: cloud.readTimeoutMs,
    onRetry: (e) => logger.debug(e, 'retrying FC InvokeFunction'),
  });
}

/** The handler, with the invoker injectable (tests run the workers in-process). */
export function createScanHandler(deps: ScanHandlerDeps = {}) {
  return async function handler(event: Buffer, context: FcContext): Promise<ScanResult> {
    return runTimerJob({ fn: 'scan', event, context, clock: 'pinned' }, async (env) => {
      const { config, logger, workflow, now, credential, timer } = env;
      const job = parseScanJob(timer?.payload);
      // The store keeps the usage index too, so each scan reads only new activity.
      const app = createApp({ config, logger, credential, usageStore: storeUsageStore(workflow.store), sleep: realSleep });
      const finish = async (report: ScanReport): Promise<ScanFunctionSummary> => {
        const summary = scanFigures(report);
        logger.info({ summary, findings: report.findings }, 'scan finished');
        const review = await workflow.syncScan(report);
        logger.info({ review }, 'review tasks synced');
        return { ...summary, review };
      };

      if (job.account) {
        const target = workerTarget(config, job.account);
        const deps = { clients: app.cloud, config, now, usageStore: app.usageStore, sleep: realSleep, logger };
        const result = await scanTarget(deps, target);
        if (!result.report) {
          throw new RampartsError(result.errorCode ?? 'ACCOUNT_SCAN_FAILED', `account ${target.name} (${target.accountId}) was not scanned: ${result.error ?? 'unknown error'}`);
        }
        return finish(result.report);
      }
      if (config.accounts.mode !== 'single') {
        if (!timer) throw new RampartsError('BAD_EVENT', 'a many-account scan fans out per timer run: invoke it with a timer event (templates/events/timer-scan.json)');
        const invoker = (deps.invoker ?? defaultInvoker)(context, env);
        return fanOut({ clients: app.cloud, config, timer, functionName: context.function.name, invoker, logger });
      }
      return finish(await app.scan({ now }));
    });
  };
}

export const handler = createScanHandler();
