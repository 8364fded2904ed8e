import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { RampartsError } from '../../shared/errors.js';
import { renderDigestText } from '../../templates/digest/chat.js';
import { renderDigestHtml } from '../../templates/digest/html.js';
import { trendChartPng } from '../../templates/digest/png.js';
import { EXIT, type CliIO } from '../io.js';
import type { GlobalOptions } from '../program.js';
import { withWorkflow } from './workflow.js';

export interface DigestOptions {
  /** Write the self-contained HTML report here. */
  html?: string;
  /** False (`--no-post`): compute and print, send nothing, record nothing. */
  post: boolean;
  format: 'text' | 'json';
}

/**
 * `ramparts digest`: the weekly digest as the function sends it — posted to the security channel
 * through the configured chat (the console chat prints it) and recorded in the ledger — with
 * `--html FILE` for the report with charts and `--no-post` to only look.
 */
export async function digestCommand(o: DigestOptions, g: GlobalOptions, io: CliIO): Promise<number> {
  const html = o.html === undefined ? undefined : resolve(io.cwd, o.html);
  if (html !== undefined && o.html!.trim() === '') throw new RampartsError('BAD_ARGUMENT', '--html needs a file name, e.g. --html digest.html');
  return withWorkflow(g, io, async (wf, config) => {
    const run = await wf.digest({ post: o.post, renderChart: (trend) => trendChartPng(trend) });
    if (o.format === 'json') io.stdout.write(`${JSON.stringify(run.model, null, 2)}\n`);
    else if (!o.post || config.chat.kind !== 'console') io.stdout.write(renderDigestText(run.model));
    if (run.posted) {
      const where = config.chat.kind === 'console' ? 'the console' : `${config.chat.kind} (the security channel)`;
      io.stderr.write(`digest posted to ${where}${run.chartError ? ` without the trend chart (${run.chartError})` : ''}; recorded in the audit ledger\n`);
    }
    if (html !== undefined) {
      await writeFile(html, renderDigestHtml(run.model));
      io.stderr.write(`HTML report: ${html}\n`);
    }
    return EXIT.ok;
  });
}
