/**
 * The modal that collects what an answer needs: a reason for keep, decline, reject and rollback, a date
 * for snooze.
 * Opened with the click's trigger_id; its view_submission carries task, action and token back in
 * `private_metadata`, so the token check runs again on submit.
 */
import type { TaskAction } from '../../shared/review/types.js';
import { LIMITS, mrkdwn, plain, truncate, type SlackModal } from './slack-blocks.js';

/** Ids the interact handler reads the submitted values by. */
export const SLACK_MODAL = {
  callbackId: 'ramparts:answer',
  reasonBlock: 'ramparts_reason',
  untilBlock: 'ramparts_until',
  valueAction: 'value',
} as const;

export interface SlackModalInput {
  taskId: string;
  action: TaskAction;
  token: string;
  needs: 'reason' | 'date';
  /** Approve / reject: the request the card asked about, carried through to the submission. */
  request?: string;
  /** The item's text from the message, quoted so the person sees what they are answering. */
  context?: string | null;
}

const TITLE: Partial<Record<TaskAction, string>> = {
  keep: 'Keep access',
  snooze: 'Fix it by a date',
  decline: 'Decline the keep',
  not_mine: 'Not mine',
  revoke: 'Revoke access',
  attest: 'Attest the keep',
  reject: 'Reject the request',
  rollback: 'Request a rollback',
};

const REASON_LABEL: Partial<Record<TaskAction, string>> = {
  keep: 'Why is this access still needed?',
  decline: 'Why do you decline? The owner will see this.',
  not_mine: 'Whose is it, if you know?',
  reject: 'Why do you reject it? The requester will see this.',
  rollback: 'Why must the access come back? Your approvers will see this.',
};

/** Builds the modal view for `views.open`. */
export function renderSlackAnswerModal(input: SlackModalInput): SlackModal {
  const input_ =
    input.needs === 'date'
      ? {
          type: 'input' as const,
          block_id: SLACK_MODAL.untilBlock,
          label: plain('I will have fixed it by'),
          element: { type: 'datepicker' as const, action_id: SLACK_MODAL.valueAction },
        }
      : {
          type: 'input' as const,
          block_id: SLACK_MODAL.reasonBlock,
          label: plain(REASON_LABEL[input.action] ?? 'Reason'),
          element: { type: 'plain_text_input' as const, action_id: SLACK_MODAL.valueAction, multiline: true, min_length: 3, max_length: 500 },
        };
  return {
    type: 'modal',
    callback_id: SLACK_MODAL.callbackId,
    private_metadata: JSON.stringify({ taskId: input.taskId, action: input.action, token: input.token, ...(input.request ? { request: input.request } : {}) }),
    title: plain(truncate(TITLE[input.action] ?? 'ramparts', LIMITS.modalTitle)),
    submit: plain('Submit'),
    close: plain('Cancel'),
    blocks: [...(input.context ? [{ type: 'section' as const, text: mrkdwn(input.context, LIMITS.section) }] : []), input_],
  };
}
