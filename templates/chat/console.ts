/**
 * PromptView → terminal text, as in DESIGN "What people see". Task ids are printed so a local run
 * can answer with `ramparts decide TASK keep --as PERSON`.
 */
import type { PromptItem, PromptView, SecurityNotice } from '../../shared/chat/port.js';
import { SEVERITY_MARK, diffExcerpt, headerLine, noticeLines, pathLine, revokeLine, severityLabel } from './common.js';

/** A terminal shows the diff of a typical narrowed policy whole; a huge one is cut. */
const CONSOLE_DIFF_MAX = 6000;

/** One finding on a card, as lines (the first names the task). */
export function renderConsoleItem(item: PromptItem): string[] {
  const out = [`${SEVERITY_MARK[item.severity]} ${severityLabel(item.severity)}  ${item.title}  [task ${item.taskId}]`, `  ${item.subject} — ${item.evidence}`];
  const path = pathLine(item);
  if (path) out.push(`  Path: ${path}`);
  out.push(`  Why: ${item.why}`, `  Revoke would: ${revokeLine(item)}`);
  const diff = diffExcerpt(item, CONSOLE_DIFF_MAX);
  if (diff) out.push('  Change (policy document, - removed / + added):', ...diff.split('\n').map((l) => `    ${l}`));
  if (item.status) out.push(`  Status: ${item.status}`);
  if (item.buttons.length > 0) out.push(`  ${item.buttons.map((b) => `[${b.label}]`).join('  ')}`);
  return out;
}

/** The card's header lines: account, recipient, intro. */
export function renderConsoleHeader(view: PromptView): string[] {
  return [headerLine(view), `to ${view.recipient.name} (${view.recipient.id})`, ...(view.intro ? [view.intro] : [])];
}

/** The prompt as lines of plain text, ending with a newline. */
export function renderConsolePrompt(view: PromptView): string {
  const out = renderConsoleHeader(view);
  for (const item of view.items) out.push('', ...renderConsoleItem(item));
  return `${out.join('\n')}\n`;
}

/** A security notice as two lines. */
export function renderConsoleNotice(notice: SecurityNotice): string {
  return `${noticeLines(notice).join('\n')}\n`;
}
