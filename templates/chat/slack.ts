/**
 * PromptView → Slack Block Kit (DESIGN "What people see"; reference §4.5 for buttons and confirm).
 * Pure: the adapter posts the result, tests snapshot it.
 */
import type { PromptButton, PromptItem, PromptView, SecurityNotice } from '../../shared/chat/port.js';
import { SEVERITY_EMOJI, diffExcerpt, fallbackText, headerLine, noticeLines, pathLine, revokeLine, severityLabel } from './common.js';
import { LIMITS, escapeMrkdwn, mrkdwn, plain, truncate, type SlackBlock, type SlackButton, type SlackConfirm } from './slack-blocks.js';

export * from './slack-blocks.js';
export { renderSlackAnswerModal, SLACK_MODAL, type SlackModalInput } from './slack-modal.js';

/** Prefix of every ramparts `action_id` (`ramparts:<action>:<taskId>`) and block id. */
export const SLACK_ACTION_PREFIX = 'ramparts:';

/** What a button's `value` carries back to the interact handler. */
export interface SlackButtonValue {
  taskId: string;
  action: PromptButton['action'];
  token: string;
  needs?: 'reason' | 'date';
  /** Approve / reject: the request the card asked about. */
  request?: string;
}

/** Section block id of an item; the interact handler quotes that text in the answer modal. */
export const itemBlockId = (taskId: string): string => `ramparts:item:${taskId}`;
export const actionsBlockId = (taskId: string): string => `ramparts:task:${taskId}`;

function itemText(item: PromptItem): string {
  const e = escapeMrkdwn;
  const lines = [
    `${SEVERITY_EMOJI[item.severity]} *${severityLabel(item.severity)}* · *${e(item.title)}*`,
    `${e(item.subject)} — ${e(item.evidence)}`,
  ];
  const path = pathLine(item);
  if (path) lines.push(`*Path:* ${e(path)}`);
  lines.push(`*Why:* ${e(item.why)}`, `*Revoke would:* ${e(revokeLine(item))}`);
  if (item.status) lines.push(`*Status:* ${e(item.status)}`);
  return lines.join('\n');
}

/** Revoke always asks first, naming exactly what would change (falls back to the item's revoke line). */
function confirmFor(item: PromptItem, b: PromptButton): SlackConfirm | undefined {
  const e = escapeMrkdwn;
  const c = b.confirm
    ? { title: b.confirm.title, text: e(b.confirm.text) }
    : b.action === 'revoke'
      ? { title: 'Revoke this access?', text: `*${e(item.subject)}*: ${e(revokeLine(item))}` }
      : undefined;
  if (!c) return undefined;
  return {
    title: plain(c.title, LIMITS.confirmTitle),
    text: mrkdwn(c.text, LIMITS.confirmText),
    confirm: plain(b.action === 'revoke' ? 'Revoke' : 'Confirm'),
    deny: plain('Cancel'),
    ...(b.action === 'revoke' ? { style: 'danger' as const } : {}),
  };
}

function button(item: PromptItem, b: PromptButton): SlackButton {
  const value: SlackButtonValue = { taskId: b.taskId, action: b.action, token: b.token, ...(b.needs ? { needs: b.needs } : {}), ...(b.request ? { request: b.request } : {}) };
  const confirm = confirmFor(item, b);
  return {
    type: 'button',
    action_id: `${SLACK_ACTION_PREFIX}${b.action}:${b.taskId}`,
    text: plain(b.label, LIMITS.button),
    value: JSON.stringify(value),
    ...(b.action === 'revoke' || b.action === 'decline' ? { style: 'danger' as const } : b.action === 'attest' ? { style: 'primary' as const } : {}),
    ...(confirm ? { confirm } : {}),
  };
}

function itemBlocks(item: PromptItem): SlackBlock[] {
  const blocks: SlackBlock[] = [{ type: 'divider' }, { type: 'section', block_id: itemBlockId(item.taskId), text: mrkdwn(itemText(item), LIMITS.section) }];
  // The exact policy change in its own block: a code block cut to whole lines, never mid-fence.
  const diff = diffExcerpt(item, LIMITS.section - 40);
  if (diff) blocks.push({ type: 'section', text: mrkdwn(`*Change (policy document):*\n\`\`\`\n${diff.replace(/```/g, "'''")}\n\`\`\``) });
  if (item.buttons.length > 0) blocks.push({ type: 'actions', block_id: actionsBlockId(item.taskId), elements: item.buttons.map((b) => button(item, b)) });
  return blocks;
}

/**
 * The whole message: header, optional intro, then each item with its own buttons. Slack refuses
 * more than 50 blocks, so items that do not fit are counted in a closing line instead of failing the post.
 */
export function renderSlackPrompt(view: PromptView): { text: string; blocks: SlackBlock[] } {
  const blocks: SlackBlock[] = [{ type: 'header', text: plain(headerLine(view), LIMITS.header) }];
  if (view.intro) blocks.push({ type: 'section', text: mrkdwn(escapeMrkdwn(view.intro), LIMITS.section) });
  let shown = 0;
  for (const item of view.items) {
    const next = itemBlocks(item);
    if (blocks.length + next.length + 1 > LIMITS.blocks) break;
    blocks.push(...next);
    shown++;
  }
  const hidden = view.items.length - shown;
  if (hidden > 0) {
    blocks.push({ type: 'context', elements: [mrkdwn(`${hidden} more finding${hidden === 1 ? '' : 's'} did not fit in this message; \`ramparts tasks --assignee ${view.recipient.id}\` lists them all.`)] });
  }
  return { text: truncate(fallbackText(view), LIMITS.section), blocks };
}

/** A security notice for the security channel. */
export function renderSlackNotice(notice: SecurityNotice): { text: string; blocks: SlackBlock[] } {
  const [title, text] = noticeLines(notice);
  return {
    text: truncate(`${title}: ${text}`, LIMITS.section),
    blocks: [
      { type: 'header', text: plain(title, LIMITS.header) },
      { type: 'section', text: mrkdwn(escapeMrkdwn(text), LIMITS.section) },
    ],
  };
}
