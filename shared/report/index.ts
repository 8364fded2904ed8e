/** Reporters: pure functions from a ScanReport to JSON, Markdown, CSV or a terminal view. */
export type { IdentityRow, ScanActivity, ScanReport, ScanStats, SuppressedFinding } from './types.js';
export { classRows, namesCell, type ClassRow } from './identities.js';
export { renderJson } from './json.js';
export { renderMarkdown, escapeCell } from './markdown.js';
export { renderCsv, csvCell, CSV_COLUMNS } from './csv.js';
export { renderTable, type TableOptions } from './table.js';
export { severityAtLeast, sortFindings, countBySeverity, findingsSummary, activityLine, activityWarnings } from './summary.js';
