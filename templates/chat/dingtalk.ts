/**
 * PromptView → the `cardData.cardParamMap` of the ramparts DingTalk card template (fields documented in
 * dingtalk-card-template.md). Every value is a string: DingTalk wants non-string params JSON-encoded
 * (reference §3.3, "API 卡片数据的填写说明").
 */
import type { PromptButton, PromptItem, PromptView, SecurityNotice } from '../../shared/chat/port.js';
import { SEVERITY_EMOJI, accountLabel, diffExcerpt, fallbackText, headerLine, noticeLines, pathLine, revokeLine, severityLabel } from './common.js';

/** One entry of the `buttons` param; the template loops over them and posts these fields back. */
export interface DingTalkCardButton {
  /** "Keep… (#1)": the item number ties the button to its finding in `markdown`. */
  text: string;
  item: string;
  style: 'danger' | 'primary' | 'normal';
  /** "reason" / "date" when the template must show an input before posting back; else "". */
  needs: '' | 'reason' | 'date';
  /** Revoke's "are you sure?" text; "" for none. */
  confirmTitle: string;
  confirmText: string;
  taskId: string;
  action: PromptButton['action'];
  token: string;
  /** Approve / reject: the request the card asked about (absent on other buttons). */
  request?: string;
}

/** The card's param keys, in one place for the adapter, the callback handler and the docs. */
export const DINGTALK_CARD_KEYS = ['title', 'kind', 'account', 'due', 'intro', 'markdown', 'buttons', 'hasButtons', 'status'] as const;
export type DingTalkCardParams = Record<(typeof DINGTALK_CARD_KEYS)[number], string>;

/** Room for a narrowed policy's diff on a card that may carry several findings. */
const DINGTALK_DIFF_MAX = 2000;

function itemMarkdown(item: PromptItem, n: number): string {
  const lines = [`#### #${n} ${SEVERITY_EMOJI[item.severity]} ${severityLabel(item.severity)} · ${item.title}`, `${item.subject} — ${item.evidence}`, ''];
  const path = pathLine(item);
  if (path) lines.push(`- **Path:** ${path}`);
  lines.push(`- **Why:** ${item.why}`, `- **Revoke would:** ${revokeLine(item)}`);
  if (item.status) lines.push(`- **Status:** ${item.status}`);
  const diff = diffExcerpt(item, DINGTALK_DIFF_MAX);
  if (diff) lines.push('', '**Change (policy document):**', '```diff', diff.replace(/```/g, "'''"), '```');
  return lines.join('\n');
}

function buttonsOf(item: PromptItem, n: number): DingTalkCardButton[] {
  return item.buttons.map((b) => {
    const confirm = b.confirm ?? (b.action === 'revoke' ? { title: 'Revoke this access?', text: `${item.subject}: ${revokeLine(item)}` } : null);
    return {
      text: `${b.label} (#${n})`,
      item: `#${n}`,
      style: b.action === 'revoke' || b.action === 'decline' ? 'danger' : b.action === 'attest' ? 'primary' : 'normal',
      needs: b.needs ?? '',
      confirmTitle: confirm?.title ?? '',
      confirmText: confirm?.text ?? '',
      taskId: b.taskId,
      action: b.action,
      token: b.token,
      ...(b.request ? { request: b.request } : {}),
    };
  });
}

/** The full param map; `status` starts empty and is what a callback answer fills in. */
export function renderDingTalkCard(view: PromptView): DingTalkCardParams {
  const buttons = view.items.flatMap((item, i) => buttonsOf(item, i + 1));
  return {
    title: headerLine(view),
    kind: view.kind,
    account: accountLabel(view.account),
    due: view.due ?? '',
    intro: view.intro ?? '',
    markdown: view.items.map((item, i) => itemMarkdown(item, i + 1)).join('\n\n'),
    buttons: JSON.stringify(buttons),
    hasButtons: buttons.length > 0 ? 'true' : 'false',
    status: '',
  };
}

/** Push-notification line for the card (the chat list shows it). */
export function dingTalkAlert(view: PromptView): string {
  return fallbackText(view);
}

/** Custom group robot markdown message for the security channel (reference §3.5). */
export function renderDingTalkNotice(notice: SecurityNotice): { msgtype: 'markdown'; markdown: { title: string; text: string } } {
  const [title, text] = noticeLines(notice);
  return { msgtype: 'markdown', markdown: { title, text: `### ${title}\n\n${text}` } };
}
