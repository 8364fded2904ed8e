/**
 * The Markdown report, for pull requests, tickets and wikis. Cell text comes from the account (user
 * names, policy descriptions), so it is escaped: it must not break the table or inject links.
 */
import type { Finding } from '../domain/finding.js';
import { accountLabel, activityLine, activityWarnings, findingsSummary, formatDuration, formatTime, SEVERITIES_DESC, sortFindings, subjectLabel } from './summary.js';
import { classRows, namesCell } from './identities.js';
import { IDENTITY_CLASSES } from '../domain/identity-class.js';
import type { ScanReport } from './types.js';

/**
 * Escapes Markdown punctuation that could change the structure (`|` ends a cell, `[`/`]` make links,
 * `<` opens HTML) and turns line breaks into `<br>` so a cell stays on one row.
 */
export function escapeCell(text: string): string {
  return text.replace(/[\\`*_[\]<>|~]/g, '\\$&').replace(/\r\n|\r|\n/g, '<br>');
}

function statusCell(finding: Finding): string {
  return finding.partial ? `${finding.status} (partial)` : finding.status;
}

function evidenceCell(finding: Finding): string {
  const path = finding.evidence.path;
  const via = path !== undefined && path.length > 0 ? `<br>via ${path.map(escapeCell).join(' → ')}` : '';
  return escapeCell(finding.evidence.summary) + via;
}

function findingRow(finding: Finding): string {
  const cells = [
    finding.severity,
    statusCell(finding),
    escapeCell(finding.rule),
    escapeCell(subjectLabel(finding.subject)),
    evidenceCell(finding),
    escapeCell(finding.remediation.summary),
  ];
  return `| ${cells.join(' | ')} |`;
}

const capitalize = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1);

/** The report as GitHub-flavoured Markdown: heading, summary, partial warning, findings by severity. */
export function renderMarkdown(report: ScanReport): string {
  const { stats } = report;
  const lines = [
    `# ramparts access review: ${escapeCell(accountLabel(report.account))}`,
    '',
    `Scanned ${formatTime(report.scannedAt)} · mode ${report.mode} · ${stats.users} users · ${stats.rulesRun} rules · ` +
      `${stats.totalApiCalls} API calls · ${formatDuration(stats.durationMs)}`,
    '',
    `**${capitalize(findingsSummary(report.findings))}** · ${report.suppressed.length} suppressed`,
  ];

  if (report.partial || report.partialReasons.length > 0) {
    lines.push(
      '',
      report.partial
        ? '> **Partial scan.** Some data could not be collected; findings that depend on it may be missing and propose no changes.'
        : '> **Some data could not be collected;** the rules that need it report unknown.',
      ...report.partialReasons.map((reason) => `> - ${escapeCell(reason)}`),
    );
  }

  if (report.activity) {
    lines.push('', escapeCell(capitalize(activityLine(report.activity))));
    const warnings = activityWarnings(report.activity, report.scannedAt);
    if (warnings.length > 0) lines.push('', ...warnings.map((w) => `> **Activity:** ${escapeCell(w)}`));
  }

  const sorted = sortFindings(report.findings);
  for (const severity of SEVERITIES_DESC) {
    const group = sorted.filter((finding) => finding.severity === severity);
    if (group.length === 0) continue;
    lines.push(
      '',
      `## ${capitalize(severity)} (${group.length})`,
      '',
      '| Severity | Status | Rule | Subject | Evidence | Remediation |',
      '|---|---|---|---|---|---|',
      ...group.map(findingRow),
    );
  }

  if (report.identities && report.identities.length > 0) {
    lines.push('', `## Identities (${report.identities.length})`, '', '| Class | Count | Identities |', '|---|---|---|');
    for (const r of classRows(report.identities, IDENTITY_CLASSES)) lines.push(`| ${r.class} | ${r.count} | ${escapeCell(namesCell(r))} |`);
  }

  if (report.suppressed.length > 0) {
    lines.push('', `## Suppressed (${report.suppressed.length})`, '', '| Rule | Subject | Reason |', '|---|---|---|');
    for (const s of report.suppressed) {
      lines.push(`| ${escapeCell(s.rule)} | ${escapeCell(subjectLabel(s.subject))} | ${escapeCell(s.reason)} |`);
    }
  }
  return `${lines.join('\n')}\n`;
}
