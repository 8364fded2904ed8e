/**
 * The evidence report as files an auditor opens.
 *
 * JSON: the whole report — period, ledger head and verdict, counts, the control catalogue, then the
 * rows (lists stay lists). A ledger that did not verify puts a `warning` first.
 *
 * CSV (RFC 4180, via the scan report's `csvCell`, which also neutralises spreadsheet formulas): a
 * header row, then one row per review task and nothing else — no comment or summary lines, which
 * strict CSV readers reject. What applies to the whole export (period, ledger head seq and hash,
 * whether the ledger verified and why not) is repeated as the last columns of every row, so each
 * row carries the chain head it belongs to and a filter on `ledgerVerified` shows a tampered ledger.
 * Lists are joined with "; " (controls, plan steps), approvals as "Name (id) at <time>", and the
 * per-step verification with " | " (read-backs may contain "; "). An export without rows carries no
 * head: use JSON for that (the CLI also prints the head on stderr).
 */
import { csvCell } from '../report/csv.js';
import type { EvidenceApproval, EvidenceReport, EvidenceRow } from './evidence.js';

/** One column per EvidenceRow field, in order. */
const ROW_COLUMNS = [
  'taskId',
  'fingerprint',
  'rule',
  'ruleTitle',
  'severity',
  'account',
  'subject',
  'findingSummary',
  'owner',
  'ownerSource',
  'state',
  'openedAt',
  'ownerDecision',
  'ownerDecisionBy',
  'ownerDecisionReason',
  'ownerDecisionAt',
  'attestedBy',
  'attestedAt',
  'revocationRequestedBy',
  'revocationRequestedAt',
  'revocationReason',
  'approvers',
  'rejectedRequest',
  'rejectedBy',
  'rejectReason',
  'rejectedAt',
  'planSummary',
  'planSteps',
  'executionId',
  'executionMode',
  'executionState',
  'appliedAt',
  'verification',
  'rollbackRequestedBy',
  'rollbackRequestedAt',
  'rollbackReason',
  'rollbackApprovers',
  'rolledBackAt',
  'waiverReason',
  'waiverOwner',
  'waiverExpiresAt',
  'controls',
  'ledgerEntries',
  'lastLedgerSeq',
  'lastLedgerHash',
] as const satisfies ReadonlyArray<keyof EvidenceRow>;
type RowColumn = (typeof ROW_COLUMNS)[number];

/** The export-wide columns, the same on every row. */
const EXPORT_COLUMNS = ['periodFrom', 'periodTo', 'ledgerHeadSeq', 'ledgerHeadHash', 'ledgerVerified', 'ledgerProblem'] as const;

/** Column names, in order; part of the documented output. */
export const EVIDENCE_CSV_COLUMNS = [...ROW_COLUMNS, ...EXPORT_COLUMNS] as const;

/** The one-line verdict on the ledger, for the JSON warning, the CSV column and the CLI. */
export function ledgerVerdict(report: EvidenceReport): string {
  const { ledger } = report;
  if (ledger.verified) return `audit ledger verified: ${ledger.entries} entries, head ${ledger.headSeq} ${ledger.headHash}`;
  const p = ledger.problem;
  return `AUDIT LEDGER DID NOT VERIFY${p ? ` at entry ${p.seq}: ${p.kind} — ${p.detail}` : ''}; this evidence cannot be relied on until the ledger is investigated (ramparts audit verify)`;
}

/** The report as pretty JSON with a final newline. */
export function renderEvidenceJson(report: EvidenceReport): string {
  const warning = report.ledger.verified ? {} : { warning: ledgerVerdict(report) };
  return `${JSON.stringify({ kind: 'ramparts.evidence', version: 1, ...warning, ...report }, null, 2)}\n`;
}

/** The rows as CSV with a header row, CRLF line endings and a final CRLF (RFC 4180). */
export function renderEvidenceCsv(report: EvidenceReport): string {
  const { period, ledger } = report;
  const shared: string[] = [
    period.from,
    period.to,
    String(ledger.headSeq),
    ledger.headHash,
    String(ledger.verified),
    ledger.verified ? '' : ledgerVerdict(report),
  ];
  const rows = report.rows.map((row) => [...rowCells(row), ...shared]);
  return [[...EVIDENCE_CSV_COLUMNS], ...rows].map((cells) => `${cells.map(csvCell).join(',')}\r\n`).join('');
}

function rowCells(row: EvidenceRow): string[] {
  return ROW_COLUMNS.map((c) => cell(c, row[c]));
}

function cell(column: RowColumn, value: EvidenceRow[RowColumn]): string {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (column === 'verification') return (value as string[]).join(' | ');
  if (column === 'approvers' || column === 'rollbackApprovers') return (value as EvidenceApproval[]).map(approval).join('; ');
  return (value as string[]).join('; ');
}

function approval(a: EvidenceApproval): string {
  return `${a.name ? `${a.name} (${a.id})` : a.id} at ${a.at}`;
}
