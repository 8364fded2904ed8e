/**
 * The few Block Kit shapes ramparts renders, typed locally (the full `@slack/types` package is only a
 * transitive dependency). Limits from reference §4.5 and Slack's Block Kit reference.
 */

export interface PlainText {
  type: 'plain_text';
  text: string;
  emoji?: boolean;
}
export interface Mrkdwn {
  type: 'mrkdwn';
  text: string;
}

export interface SlackConfirm {
  title: PlainText;
  text: Mrkdwn;
  confirm: PlainText;
  deny: PlainText;
  style?: 'danger' | 'primary';
}

export interface SlackButton {
  type: 'button';
  action_id: string;
  text: PlainText;
  value: string;
  style?: 'danger' | 'primary';
  confirm?: SlackConfirm;
}

export type SlackBlock =
  | { type: 'header'; text: PlainText }
  | { type: 'section'; block_id?: string; text: Mrkdwn }
  | { type: 'context'; elements: Mrkdwn[] }
  | { type: 'divider' }
  | { type: 'actions'; block_id: string; elements: SlackButton[] }
  | {
      type: 'input';
      block_id: string;
      label: PlainText;
      element:
        | { type: 'plain_text_input'; action_id: string; multiline?: boolean; min_length?: number; max_length?: number }
        | { type: 'datepicker'; action_id: string };
    };

export interface SlackModal {
  type: 'modal';
  callback_id: string;
  private_metadata: string;
  title: PlainText;
  submit: PlainText;
  close: PlainText;
  blocks: SlackBlock[];
}

/** Block Kit limits that, when exceeded, make Slack reject the whole message. */
export const LIMITS = { blocks: 50, section: 3000, header: 150, button: 75, value: 2000, confirmTitle: 100, confirmText: 300, modalTitle: 24 } as const;

/** Cuts `text` to `max` characters, marking the cut with an ellipsis. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Slack mrkdwn needs only &, < and > escaped; anything else from a finding is shown literally. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export const plain = (text: string, max?: number): PlainText => ({ type: 'plain_text', text: max ? truncate(text, max) : text, emoji: true });
export const mrkdwn = (text: string, max?: number): Mrkdwn => ({ type: 'mrkdwn', text: max ? truncate(text, max) : text });
