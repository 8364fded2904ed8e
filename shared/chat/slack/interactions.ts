/**
 * The two Slack calls the interact handler may make while answering a click: opening the answer modal
 * (trigger_id is valid for 3 s, so it cannot wait) and an ephemeral reply through response_url (Slack
 * ignores the HTTP response body of a block_actions request — reference §4.3).
 */
import type { WebClient } from '@slack/web-api';
import type { SlackModal } from '../../../templates/chat/slack.js';
import { createSlackClient, slackError } from './client.js';

/** An ephemeral reply to the clicker; `replace_original: false` leaves the prompt as it is. */
export interface SlackEphemeral {
  response_type: 'ephemeral';
  replace_original: false;
  text: string;
}

export interface SlackInteractions {
  openModal(triggerId: string, view: SlackModal): Promise<void>;
  respond(responseUrl: string, message: SlackEphemeral): Promise<void>;
}

/** Only Slack's own hosts are posted to, even though the URL comes from a verified payload. */
function isSlackResponseUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' && (u.hostname === 'hooks.slack.com' || u.hostname.endsWith('.slack.com'));
  } catch {
    return false;
  }
}

export interface SlackInteractionsOptions {
  /** SLACK_BOT_TOKEN; used to build a client when none is given. */
  botToken?: string;
  /** Defaults to a client without retries: a retry after back-off would outlive the 3 s trigger_id. */
  client?: WebClient;
  /** Per call, ms (default 1 s, leaving decide room inside Slack's 3 s). */
  timeoutMs?: number;
}

export function createSlackInteractions(opts: SlackInteractionsOptions): SlackInteractions {
  const timeoutMs = opts.timeoutMs ?? 1000;
  const client = opts.client ?? createSlackClient({ botToken: opts.botToken ?? '', retryConfig: { retries: 0 }, timeoutMs });
  return {
    async openModal(triggerId, view) {
      try {
        // The block types are a local subset of Block Kit; the SDK's union is wider than this file needs.
        await client.views.open({ trigger_id: triggerId, view: view as never });
      } catch (err) {
        throw slackError('views.open', err);
      }
    },
    async respond(responseUrl, message) {
      if (!isSlackResponseUrl(responseUrl)) throw new Error('response_url is not a Slack URL');
      const res = await fetch(responseUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(message),
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!res.ok) throw new Error(`response_url answered HTTP ${res.status}`);
    },
  };
}
