/**
 * ChatPort over Slack DMs (DESIGN "Chat"; reference §4.4): users.lookupByEmail → conversations.open →
 * chat.postMessage, chat.update on every state change, security notices to a channel.
 */
import type { WebClient } from '@slack/web-api';
import { RampartsError } from '../../errors.js';
import type { Person } from '../../people/types.js';
import { renderSlackNotice, renderSlackPrompt } from '../../../templates/chat/slack.js';
import { renderDigestSlack } from '../../../templates/digest/chat.js';
import { personBySlackIdKey, slackIdByEmailKey, type KeyValueCache } from '../cache.js';
import type { ChatPort } from '../port.js';
import { createSlackClient, slackError, type SlackClientOptions } from './client.js';

export interface SlackChatOptions extends SlackClientOptions {
  /** Channel id for security notices (config `chat.slack.securityChannel`). */
  securityChannel: string | null;
  /** Where looked-up member ids are kept between runs (StoreTx.getCache/setCache). */
  cache: KeyValueCache;
  /** A prepared client (tests, or a shared instance); built from the options otherwise. */
  client?: WebClient;
}

/** The Slack ChatPort, plus the member-id resolution the interact side can reuse. */
export interface SlackChat extends ChatPort {
  readonly client: WebClient;
  /** The person's Slack member id: configured, cached, or looked up by email (then cached). */
  resolveUser(person: Person): Promise<string>;
}

export function createSlackChat(opts: SlackChatOptions): SlackChat {
  const client = opts.client ?? createSlackClient(opts);
  const { cache } = opts;

  async function resolveUser(person: Person): Promise<string> {
    if (person.slackUserId) return person.slackUserId;
    if (!person.email) {
      throw new RampartsError(
        'CHAT_RECIPIENT_UNREACHABLE',
        `cannot message ${person.name} (${person.id}) on Slack: set people[].slack (member id) or people[].email for "${person.id}"`,
      );
    }
    const cached = await cache.get(slackIdByEmailKey(person.email));
    if (cached) return cached;
    let id: string | undefined;
    try {
      id = (await client.users.lookupByEmail({ email: person.email })).user?.id;
    } catch (err) {
      if ((err as { data?: { error?: string } }).data?.error === 'users_not_found') {
        throw new RampartsError(
          'CHAT_RECIPIENT_UNREACHABLE',
          `no Slack user has the email of ${person.name} (${person.id}): set people[].slack for "${person.id}" or fix people[].email`,
          { cause: err },
        );
      }
      throw slackError('users.lookupByEmail', err);
    }
    if (!id) throw new RampartsError('CHAT_SLACK_FAILED', `Slack users.lookupByEmail returned no user id for ${person.id}`);
    await cache.set(slackIdByEmailKey(person.email), id);
    await cache.set(personBySlackIdKey(id), person.id);
    return id;
  }

  async function openDm(userId: string): Promise<string> {
    try {
      const channel = (await client.conversations.open({ users: userId })).channel?.id;
      if (channel) return channel;
    } catch (err) {
      throw slackError('conversations.open', err);
    }
    throw new RampartsError('CHAT_SLACK_FAILED', 'Slack conversations.open returned no channel');
  }

  return {
    platform: 'slack',
    client,
    resolveUser,

    async postPrompt(view) {
      const channel = await openDm(await resolveUser(view.recipient));
      const { text, blocks } = renderSlackPrompt(view);
      try {
        const res = await client.chat.postMessage({ channel, text, blocks, unfurl_links: false, unfurl_media: false });
        if (!res.ts) throw new Error('no message ts in the response');
        return { channel: res.channel ?? channel, messageKey: res.ts };
      } catch (err) {
        throw slackError('chat.postMessage', err);
      }
    },

    async updatePrompt(ref, view) {
      if (!ref.channel) throw new RampartsError('CHAT_BAD_REF', `Slack message ${ref.messageKey} has no channel; it cannot be updated`);
      const { text, blocks } = renderSlackPrompt(view);
      try {
        await client.chat.update({ channel: ref.channel, ts: ref.messageKey, text, blocks });
      } catch (err) {
        throw slackError('chat.update', err);
      }
    },

    async notifySecurity(notice) {
      if (!opts.securityChannel) {
        throw new RampartsError('CHAT_NO_SECURITY_CHANNEL', 'no Slack channel for security notices: set chat.slack.securityChannel (a channel id, C…)');
      }
      const { text, blocks } = renderSlackNotice(notice);
      try {
        await client.chat.postMessage({ channel: opts.securityChannel, text, blocks, unfurl_links: false });
      } catch (err) {
        throw slackError('chat.postMessage', err);
      }
    },

    async postDigest(digest, chart) {
      if (!opts.securityChannel) {
        throw new RampartsError('CHAT_NO_SECURITY_CHANNEL', 'no Slack channel for the weekly digest: set chat.slack.securityChannel (a channel id, C…)');
      }
      const { text, blocks } = renderDigestSlack(digest);
      try {
        await client.chat.postMessage({ channel: opts.securityChannel, text, blocks, unfurl_links: false });
      } catch (err) {
        throw slackError('chat.postMessage', err);
      }
      if (!chart) return;
      // The chart as a file in the same channel (needs the files:write scope); Block Kit images need a public URL.
      try {
        await client.filesUploadV2({ channel_id: opts.securityChannel, file: chart.png, filename: 'ramparts-trend.png', title: 'Open findings by severity, week by week' });
      } catch (err) {
        throw slackError('files.uploadV2', err);
      }
    },
  };
}
