/**
 * Wording shared by every chat renderer, so Slack, DingTalk and the console say the same thing
 * (DESIGN "What people see").
 */
import type { PromptItem, PromptView, SecurityNotice } from '../../shared/chat/port.js';
import type { Severity } from '../../shared/domain/finding.js';
import type { TaskAction } from '../../shared/review/types.js';

/** Coloured markers for chat; the console uses the plain-text ones. */
export const SEVERITY_EMOJI: Record<Severity, string> = {
  critical: '🔴',
  high: '🟠',
  medium: '🟡',
  low: '🔵',
  info: '⚪',
};

export const SEVERITY_MARK: Record<Severity, string> = {
  critical: '‼',
  high: '⚠',
  medium: '⚠',
  low: '·',
  info: 'ℹ',
};

const KIND_LABEL: Record<PromptView['kind'], string> = {
  prompt: 'access review',
  reminder: 'reminder: access review',
  escalation: 'escalated access review',
  attestation: 'attestation needed',
  approval: 'approval needed',
};

/** "prod-main (123456789012)", or the bare id when the account has no alias. */
export function accountLabel(account: PromptView['account']): string {
  return account.alias ? `${account.alias} (${account.id})` : account.id;
}

/** "ramparts · access review for account prod-main (1234…) · due Tue 3 Dec" (`view.due` already says "due …"). */
export function headerLine(view: PromptView): string {
  const due = view.due ? ` · ${view.due}` : '';
  return `ramparts · ${KIND_LABEL[view.kind]} for account ${accountLabel(view.account)}${due}`;
}

/** "HIGH", as shown next to the badge. */
export function severityLabel(severity: Severity): string {
  return severity.toUpperCase();
}

/** The revoke line; when revoke only files a request, say so rather than show nothing. */
export function revokeLine(item: PromptItem): string {
  return item.revokeWould ?? 'file a revocation request for a manager to approve (nothing changes until then)';
}

/**
 * The item's policy diff cut to whole lines within `maxChars`, with a last line saying how many were
 * left out (the full diff is in `ramparts tasks --format json`); null when the item has none.
 */
export function diffExcerpt(item: PromptItem, maxChars: number): string | null {
  if (!item.diff) return null;
  const lines = item.diff.split('\n');
  const out: string[] = [];
  let size = 0;
  for (const [i, line] of lines.entries()) {
    const rest = lines.length - i;
    if (size + line.length + 1 > maxChars - 80) {
      out.push(`… ${rest} more line(s): ramparts tasks --format json shows the whole diff`);
      break;
    }
    out.push(line);
    size += line.length + 1;
  }
  return out.join('\n');
}

/** "user:alice → group:admins → policy:AdministratorAccess (System)", or null without a path. */
export function pathLine(item: PromptItem): string | null {
  return item.path.length > 0 ? item.path.join(' → ') : null;
}

/** One-line fallback for notifications and clients that cannot show rich messages. */
export function fallbackText(view: PromptView): string {
  const pending = view.items.filter((i) => i.buttons.length > 0).length;
  const count = view.items.length === 1 ? '1 finding' : `${view.items.length} findings`;
  return `${headerLine(view)} — ${count}${pending > 0 ? `, ${pending} waiting for your answer` : ''}`;
}

const ACTION_PAST: Record<TaskAction, string> = {
  keep: 'keep',
  revoke: 'revoke request',
  snooze: 'fix-by date',
  not_mine: '"not mine"',
  attest: 'attestation',
  decline: 'decline',
  approve: 'approval',
  reject: 'rejection',
  rollback: 'rollback request',
};

/** What the clicker sees after answering: "Recorded: keep by Alice Chen (still used by CI)". */
export function answerSummary(a: { action: TaskAction; by: string; reason?: string | null; until?: string | null; duplicate?: boolean }): string {
  const detail = a.until ? ` (until ${a.until})` : a.reason ? ` (${a.reason})` : '';
  return `${a.duplicate ? 'Already recorded' : 'Recorded'}: ${ACTION_PAST[a.action]} by ${a.by}${detail}`;
}

/** Security notice as plain text lines (title first). */
export function noticeLines(notice: SecurityNotice): [string, string] {
  return [`${SEVERITY_EMOJI[notice.severity]} ${severityLabel(notice.severity)} · ${notice.title}`, notice.text];
}
