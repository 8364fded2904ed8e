/**
 * FC entry point of the weekly digest (timer, Monday morning): findings, tasks, decisions, revocations
 * and reviewer quality for the week against the 8 before, posted to the security channel (Slack
 * blocks + the trend chart as a PNG, or DingTalk markdown through the group robot) and recorded in the
 * ledger. "Now" is the trigger time, so a retried run describes the same week; a completed run is not
 * posted twice (shared/fc/timer-job.ts). No RAM access: it reads only the store.
 */
import type { DigestRun } from '../../shared/digest/run.js';
import { runTimerJob } from '../../shared/fc/timer-job.js';
import type { FcContext } from '../../shared/fc/types.js';
import { trendChartPng } from '../../templates/digest/png.js';

export interface DigestFunctionSummary {
  period: DigestRun['model']['period'];
  findings: { new: number; resolved: number };
  openTasks: number;
  overdue: number;
  flaggedReviewers: number;
  chartBytes: number;
  chartError?: string;
}

export async function handler(event: Buffer, context: FcContext): Promise<DigestFunctionSummary> {
  return runTimerJob({ fn: 'digest', event, context, clock: 'pinned' }, async ({ logger, workflow }) => {
    const { model, chartBytes, chartError } = await workflow.digest({ renderChart: (trend) => trendChartPng(trend) });
    const summary: DigestFunctionSummary = {
      period: model.period,
      findings: { new: model.findings.newTotal, resolved: model.findings.resolvedTotal },
      openTasks: model.openTasks.total,
      overdue: model.overdue.length,
      flaggedReviewers: model.reviewers.filter((r) => r.flags.length > 0).length,
      chartBytes,
      ...(chartError ? { chartError } : {}),
    };
    logger.info({ summary }, 'digest sent');
    return summary;
  });
}
