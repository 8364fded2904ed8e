/**
 * The weekly digest use case: compute the model from the store, post it to the security channel with
 * the trend chart as a PNG, and record in the ledger that it was sent (so the evidence export shows
 * the security team was told). The chart is a nice-to-have: when it cannot be rendered the digest is
 * posted without it, and the log says why; a digest that cannot be posted fails the run.
 */
import type { ChatPort } from '../chat/port.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { Directory } from '../people/types.js';
import type { Store } from '../store/port.js';
import { buildDigest } from './model.js';
import type { DigestModel, WeekPoint } from './types.js';

export interface DigestDeps {
  store: Store;
  chat: ChatPort;
  directory: Directory;
  clock: Clock;
  logger?: Pick<Logger, 'warn'>;
  /**
   * Renders the trend PNG (templates/digest/png.ts, resvg). Passed by the digest function and the CLI, so
   * the native renderer is in no other function's bundle; without it the digest goes out without a chart.
   */
  renderChart?: (trend: readonly WeekPoint[]) => Buffer | Promise<Buffer>;
}

export interface DigestRun {
  model: DigestModel;
  posted: boolean;
  /** Bytes of the PNG sent with it (0 without a chart). */
  chartBytes: number;
  /** Why there is no chart, when there is none. */
  chartError?: string;
}

export interface DigestOptions {
  /** False: compute only (`ramparts digest --no-post`). */
  post?: boolean;
  renderChart?: DigestDeps['renderChart'];
}

/** Builds the digest and, unless `post` is false, sends it and records `digest.sent`. */
export async function runDigest(deps: DigestDeps, opts: DigestOptions = {}): Promise<DigestRun> {
  const now = deps.clock.now();
  const model = await buildDigest({ store: deps.store, directory: deps.directory, now });
  if (opts.post === false) return { model, posted: false, chartBytes: 0 };

  let png: Buffer | null = null;
  let chartError: string | undefined;
  const render = opts.renderChart ?? deps.renderChart;
  try {
    if (!render) throw new Error('no chart renderer was passed');
    png = await render(model.trend);
  } catch (err) {
    chartError = err instanceof Error ? err.message : String(err);
    deps.logger?.warn({ error: chartError }, 'digest chart not rendered; posting the digest without it');
  }
  await deps.chat.postDigest(model, png ? { png } : null);
  await deps.store.tx((tx) =>
    tx.appendAudit({
      at: now.toISOString(),
      actor: 'system',
      action: 'digest.sent',
      subject: `digest:${model.period.to}`,
      data: {
        period: model.period,
        findings: { new: model.findings.newTotal, resolved: model.findings.resolvedTotal },
        openTasks: model.openTasks.total,
        overdue: model.overdue.length,
        flaggedReviewers: model.reviewers.filter((r) => r.flags.length > 0).map((r) => ({ person: r.person, flags: r.flags })),
        chart: png !== null,
      },
    }),
  );
  return { model, posted: true, chartBytes: png?.length ?? 0, ...(chartError ? { chartError } : {}) };
}
