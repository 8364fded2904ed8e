/**
 * What the timer functions return and log: counts, no identities' secrets, no credentials. The return
 * value is also what a retried run gets back (shared/fc/run-once.ts), so it is plain JSON.
 */
import type { ScanActivity, ScanReport } from '../report/types.js';
import type { ApplySummary } from '../review/apply.js';
import type { SyncScanSummary } from '../review/sync-scan.js';

/** The scan's figures, without the review step (logged with the findings, before tasks are synced). */
export interface ScanFigures {
  account: ScanReport['account'];
  scannedAt: string;
  partial: boolean;
  findings: number;
  bySeverity: Record<string, number>;
  apiCalls: number;
  activity: Pick<ScanActivity, 'source' | 'coverage' | 'events' | 'error'> | undefined;
}

export interface ScanFunctionSummary extends ScanFigures {
  review: SyncScanSummary;
}

export function scanFigures(report: ScanReport): ScanFigures {
  const a = report.activity;
  return {
    account: report.account,
    scannedAt: report.scannedAt,
    partial: report.partial,
    findings: report.findings.length,
    bySeverity: countBy(report.findings, (f) => f.severity),
    apiCalls: report.stats.totalApiCalls,
    activity: a && { source: a.source, coverage: a.coverage, events: a.events, error: a.error },
  };
}

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

/** The apply run's summary, plus the per-execution detail that goes to the log line only. */
export function applyFigures(run: ApplySummary, runner: string) {
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
  return { summary, detail: { executions, rollbacks, failures: run.failures } };
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1;
  return out;
}
