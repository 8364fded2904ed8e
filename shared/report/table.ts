/**
 * The terminal view. Colour is plain ANSI SGR codes, only when asked (the caller decides from TTY and
 * NO_COLOR), and lines are cut to the terminal width so a long evidence line never wraps the layout.
 */
import type { Finding, Severity } from '../domain/finding.js';
import { accountLabel, activityLine, activityWarnings, findingsSummary, formatDuration, formatTime, sortFindings, subjectLabel } from './summary.js';
import { classRows, namesCell } from './identities.js';
import type { ScanReport } from './types.js';
import { IDENTITY_CLASSES } from '../domain/identity-class.js';

export interface TableOptions {
  color: boolean;
  /** Terminal columns; lines longer than this are cut with "…" (at least 20). */
  width: number;
}

type Style = 'red' | 'boldRed' | 'yellow' | 'cyan' | 'dim' | 'bold';
const SGR: Record<Style, string> = { red: '31', boldRed: '1;31', yellow: '33', cyan: '36', dim: '2', bold: '1' };
const SEVERITY_STYLE: Record<Severity, Style> = { critical: 'boldRed', high: 'red', medium: 'yellow', low: 'cyan', info: 'dim' };

/** A line as styled pieces, so it can be cut by visible width before colour codes are added. */
type Segment = { text: string; style?: Style };
type Line = Segment[];

/** Column where the rule id starts: wide enough for "CRITICAL" and two spaces. */
const LABEL_WIDTH = 10;
const INDENT = ' '.repeat(LABEL_WIDTH);
/** Narrower than this, truncation would leave nothing readable; such widths are treated as this. */
const MIN_WIDTH = 20;

function paint(text: string, style: Style | undefined, color: boolean): string {
  return color && style !== undefined && text !== '' ? `\u001b[${SGR[style]}m${text}\u001b[0m` : text;
}

/**
 * Cuts by visible width before colour codes are added, so escapes never count or get split. Width is
 * counted in code points ("…" and "→" count once); wide CJK characters are not measured as two.
 */
function renderLine(line: Line, { color, width }: TableOptions): string {
  const texts = line.map((segment) => Array.from(printable(segment.text)));
  const max = Math.max(width, MIN_WIDTH);
  const length = texts.reduce((sum, chars) => sum + chars.length, 0);
  let room = length > max ? max - 1 : length;
  let out = '';
  for (const [index, segment] of line.entries()) {
    const chars = (texts[index] ?? []).slice(0, room);
    out += paint(chars.join(''), segment.style, color);
    room -= chars.length;
  }
  return length > max ? `${out}…` : out;
}

function findingBlock(finding: Finding): Line[] {
  const tags = [finding.status === 'fail' ? '' : ` [${finding.status}]`, finding.partial ? ' [partial]' : ''].join('');
  const head: Line = [
    { text: finding.severity.toUpperCase().padEnd(LABEL_WIDTH), style: SEVERITY_STYLE[finding.severity] },
    { text: `${finding.rule}  `, style: 'bold' },
    { text: subjectLabel(finding.subject) },
    { text: tags, style: 'yellow' },
  ];
  const lines: Line[] = [head, [{ text: INDENT }, { text: oneLine(finding.evidence.summary) }]];
  if (finding.remediation.summary !== '') {
    lines.push([{ text: INDENT }, { text: `→ ${oneLine(finding.remediation.summary)}`, style: 'dim' }]);
  }
  return lines;
}

/**
 * Names and evidence come from the account; a control character (an ESC sequence in a display name)
 * could rewrite the terminal, so each one is shown as "?".
 */
function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

/** Embedded line breaks would escape the indentation; show them as spaces. */
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ');
}

/** The classification table: one line per class with its count and a few names. */
function identityBlock(identities: NonNullable<ScanReport['identities']>): Line[] {
  const rows = classRows(identities, IDENTITY_CLASSES);
  const width = Math.max(...rows.map((r) => r.class.length)) + 2;
  return [
    [{ text: `Identities (${identities.length})`, style: 'bold' }],
    ...rows.map((r): Line => [
      { text: `  ${r.class.padEnd(width)}`, style: r.class === 'unclassified' ? 'yellow' : undefined },
      { text: `${String(r.count).padStart(4)}  ` },
      { text: namesCell(r), style: 'dim' },
    ]),
  ];
}

/**
 * The human terminal view: header (account, time, mode, partial warning), a block per finding
 * (severity, rule, subject; evidence; → remediation), and a footer with counts and API calls.
 */
export function renderTable(report: ScanReport, opts: TableOptions): string {
  const { stats } = report;
  const lines: Line[] = [
    [
      { text: 'ramparts', style: 'bold' },
      { text: ` · ${accountLabel(report.account)} · ${formatTime(report.scannedAt)} · ${report.mode}` },
    ],
  ];
  if (report.partial) {
    lines.push([{ text: '⚠ partial scan: some data could not be collected; affected findings propose no changes', style: 'yellow' }]);
  } else if (report.partialReasons.length > 0) {
    lines.push([{ text: '⚠ some data could not be collected; the rules that need it report unknown', style: 'yellow' }]);
  }
  if (report.partialReasons.length > 0) {
    for (const reason of report.partialReasons) lines.push([{ text: `  - ${oneLine(reason)}`, style: 'yellow' }]);
  }
  if (report.activity) {
    lines.push([{ text: activityLine(report.activity), style: 'dim' }]);
    for (const warning of activityWarnings(report.activity, report.scannedAt)) lines.push([{ text: `⚠ ${oneLine(warning)}`, style: 'yellow' }]);
  }
  for (const finding of sortFindings(report.findings)) lines.push([], ...findingBlock(finding));
  if (report.identities && report.identities.length > 0) lines.push([], ...identityBlock(report.identities));
  lines.push(
    [],
    [
      { text: findingsSummary(report.findings), style: 'bold' },
      {
        text:
          ` · ${report.suppressed.length} suppressed · ${stats.totalApiCalls} API calls · ${stats.users} users` +
          ` · ${stats.rulesRun} rules · ${formatDuration(stats.durationMs)}`,
      },
    ],
  );
  return `${lines.map((line) => renderLine(line, opts)).join('\n')}\n`;
}
