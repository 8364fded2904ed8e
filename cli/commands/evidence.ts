import { writeFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { isValid, parseISO } from 'date-fns';
import { buildEvidence } from '../../shared/audit/evidence.js';
import { ledgerVerdict, renderEvidenceCsv, renderEvidenceJson } from '../../shared/audit/evidence-render.js';
import { RampartsError } from '../../shared/errors.js';
import { EXIT, type CliIO } from '../io.js';
import type { GlobalOptions } from '../program.js';
import { withStore } from './workflow.js';

/** `--format` choices of `ramparts evidence`. */
export const EVIDENCE_FORMATS = ['csv', 'json'] as const;
export type EvidenceFormat = (typeof EVIDENCE_FORMATS)[number];

/** Options of `ramparts evidence`, as commander parses them (`format` undefined unless given). */
export interface EvidenceCommandOptions {
  from: string;
  to: string;
  format?: EvidenceFormat;
  output?: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** A time must say its zone: evidence read in another office must mean the same instant. */
const ZONED = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)$/i;
const HOW = 'give a UTC day (YYYY-MM-DD, e.g. 2026-04-01) or an ISO 8601 time with its zone (e.g. 2026-04-01T09:00:00Z)';

/**
 * `ramparts evidence`: audit evidence of the review tasks active in [--from, --to], as CSV or JSON,
 * to stdout or --output. Exits 1 after writing when the audit ledger does not verify, so a tampered
 * ledger is never exported as good evidence without anyone noticing.
 */
export async function evidenceCommand(o: EvidenceCommandOptions, g: GlobalOptions, io: CliIO): Promise<number> {
  const from = parseBound('--from', o.from, 'start');
  const to = parseBound('--to', o.to, 'end');
  if (from.getTime() > to.getTime()) {
    throw new RampartsError('BAD_OPTION', `--from ${o.from} is after --to ${o.to}; give the period's first day as --from and its last day as --to`);
  }
  const format = pickEvidenceFormat(o.format, o.output);
  return withStore(g, io, async (store, directory) => {
    const report = await buildEvidence(store, { from, to, now: new Date(), directory });
    const text = format === 'json' ? renderEvidenceJson(report) : renderEvidenceCsv(report);
    const period = `${report.period.from} – ${report.period.to}`;
    if (o.output) {
      const file = resolve(io.cwd, o.output);
      try {
        await writeFile(file, text, 'utf8');
      } catch (err) {
        throw new RampartsError('OUTPUT_FAILED', `cannot write the evidence to ${file}: ${(err as Error).message}`, { cause: err });
      }
      io.stderr.write(`ramparts: wrote ${format} evidence to ${file}: ${report.counts.rows} review rows, ${period}, ledger head ${report.ledger.headSeq} ${report.ledger.headHash}\n`);
    } else {
      io.stdout.write(text);
    }
    if (report.ledger.verified) return EXIT.ok;
    io.stderr.write(`ramparts: ${ledgerVerdict(report)}\n`);
    return EXIT.findings;
  });
}

/** The format asked for, else the output file's extension (.csv / .json), else CSV. */
export function pickEvidenceFormat(format: EvidenceFormat | undefined, output: string | undefined): EvidenceFormat {
  if (format) return format;
  return output && extname(output).toLowerCase() === '.json' ? 'json' : 'csv';
}

/** A day is the whole UTC day: --from starts at its first millisecond, --to ends at its last. */
export function parseBound(option: '--from' | '--to', value: string, edge: 'start' | 'end'): Date {
  const text = value.trim();
  if (DAY.test(text)) {
    const day = parseISO(text);
    if (!isValid(day)) throw new RampartsError('BAD_OPTION', `${option} ${value} is not a calendar day; ${HOW}`);
    const [y, m, d] = text.split('-').map(Number) as [number, number, number];
    return new Date(edge === 'start' ? Date.UTC(y, m - 1, d) : Date.UTC(y, m - 1, d, 23, 59, 59, 999));
  }
  if (!ZONED.test(text)) {
    const hint = /^\d{4}-\d{2}-\d{2}T/.test(text) ? ' (this time has no zone: add Z for UTC or an offset like +08:00)' : '';
    throw new RampartsError('BAD_OPTION', `${option} ${value} is not a date${hint}; ${HOW}`);
  }
  const time = parseISO(text);
  if (!isValid(time)) throw new RampartsError('BAD_OPTION', `${option} ${value} is not a valid time; ${HOW}`);
  return time;
}
