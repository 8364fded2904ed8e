import { extname } from 'node:path';
import { renderCsv, renderJson, renderMarkdown, renderTable, type ScanReport } from '../../shared/report/index.js';
import type { Format } from '../program.js';
import type { CliIO } from '../io.js';

/** The format asked for, else the output file's extension, else the terminal table. */
export function pickFormat(format: Format | undefined, output: string | undefined): Format {
  if (format) return format;
  switch (output ? extname(output).toLowerCase() : '') {
    case '.json':
      return 'json';
    case '.md':
    case '.markdown':
      return 'markdown';
    case '.csv':
      return 'csv';
    default:
      return 'table';
  }
}

export function render(report: ScanReport, format: Format, io: CliIO, toFile: boolean): string {
  switch (format) {
    case 'json':
      return renderJson(report);
    case 'markdown':
      return renderMarkdown(report);
    case 'csv':
      return renderCsv(report);
    case 'table': {
      const tty = !toFile && Boolean(io.stdout.isTTY);
      const color = tty && !('NO_COLOR' in io.env) && io.env.TERM !== 'dumb';
      return renderTable(report, { color, width: tty ? (io.stdout.columns ?? 100) : 120 });
    }
  }
}
