/**
 * A Slack button click as Slack sends it: a `block_actions` payload in a form body, signed with the
 * v0 scheme (HMAC-SHA256 of `v0:ts:body`). The demo uses it to drive the real interact handler, and
 * tests use it to exercise signature checks end to end.
 */
import { createHmac } from 'node:crypto';
import type { TaskAction } from '../../review/types.js';

export interface SlackClick {
  taskId: string;
  action: TaskAction;
  /** ramparts' button token binding task, action and recipient. */
  token: string;
  /** The clicker's Slack member id. */
  slackUserId: string;
  signingSecret: string;
  nowMs: number;
  url?: string;
}

export function signedSlackClick(c: SlackClick): Request {
  const payload = {
    type: 'block_actions',
    user: { id: c.slackUserId, team_id: 'T0RAMPARTS' },
    team: { id: 'T0RAMPARTS', domain: 'ramparts' },
    trigger_id: 'ramparts-trigger',
    response_url: 'https://hooks.slack.com/actions/T0RAMPARTS/1/ramparts',
    container: { type: 'message', message_ts: '1700000000.000100', channel_id: 'D0RAMPARTS' },
    actions: [
      {
        type: 'button',
        action_id: `ramparts:${c.action}:${c.taskId}`,
        block_id: `ramparts:task:${c.taskId}`,
        value: JSON.stringify({ taskId: c.taskId, action: c.action, token: c.token }),
        action_ts: String(c.nowMs / 1000),
      },
    ],
  };
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  const ts = String(Math.floor(c.nowMs / 1000));
  const signature = `v0=${createHmac('sha256', c.signingSecret).update(`v0:${ts}:${body}`).digest('hex')}`;
  return new Request(c.url ?? 'http://127.0.0.1/slack/actions', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': ts, 'x-slack-signature': signature },
    body,
  });
}
