/**
 * The CSV report (RFC 4180), for spreadsheets. Cells come from the account, so a value that a
 * spreadsheet would run as a formula is neutralised (OWASP "CSV Injection").
 */
import { sortFindings } from './summary.js';
import type { ScanReport } from './types.js';

/** Column names, in order; part of the documented output. */
export const CSV_COLUMNS = [
  'severity',
  'status',
  'rule',
  'title',
  'subject_type',
  'subject_id',
  'subject_name',
  'subject_user',
  'evidence',
  'remediation',
  'fingerprint',
  'partial',
] as const;

/**
 * One cell: a leading `=`, `+`, `-`, `@` (or tab/CR, which some spreadsheets skip before them) gets a
 * `'` so it is shown as text; then quoted when it holds a comma, quote or line break.
 */
export function csvCell(value: string): string {
  const guarded = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

/** Findings as CSV with a header row, CRLF line endings and a final CRLF (RFC 4180). */
export function renderCsv(report: ScanReport): string {
  const rows = sortFindings(report.findings).map((f) => [
    f.severity,
    f.status,
    f.rule,
    f.title,
    f.subject.type,
    f.subject.id,
    f.subject.name,
    f.subject.user ?? '',
    f.evidence.summary,
    f.remediation.summary,
    f.fingerprint,
    String(f.partial),
  ]);
  return [[...CSV_COLUMNS], ...rows].map((row) => `${row.map(csvCell).join(',')}\r\n`).join('');
}
