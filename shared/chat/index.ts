/**
 * Builds the configured chat adapter (DESIGN "Chat"). Secrets arrive from the caller (read from the
 * environment by config/secrets.ts), never from the config file.
 */
import type { Clock } from '../clock.js';
import { RampartsError } from '../errors.js';
import type { KeyValueCache } from './cache.js';
import { createConsoleChat, type ConsoleChatOptions } from './console.js';
import { createDingTalkChat, type DingTalkChatOptions } from './dingtalk/adapter.js';
import type { ChatPort } from './port.js';
import { createSlackChat, type SlackChatOptions } from './slack/adapter.js';

export type { ChatPort, PromptButton, PromptItem, PromptView, SecurityNotice } from './port.js';
export { memoryCache, type KeyValueCache } from './cache.js';
export { createTokenSigner, type TokenBinding, type TokenSigner, type TokenVerifier } from './token.js';
export { verifyDingTalkRequest, verifySlackRequest, type VerifyResult } from './verify.js';
export { createSlackInteractions, type SlackInteractions } from './slack/interactions.js';

export interface CreateChatOptions {
  kind: 'console' | 'slack' | 'dingtalk';
  slack?: Omit<SlackChatOptions, 'cache'>;
  dingtalk?: Omit<DingTalkChatOptions, 'clock'>;
  console?: ConsoleChatOptions;
  /** Slack member ids looked up by email are kept here (StoreTx.getCache/setCache). */
  cache: KeyValueCache;
  clock: Clock;
}

/** The adapter for `kind`; throws naming what is missing when its settings were not passed. */
export function createChat(opts: CreateChatOptions): ChatPort {
  switch (opts.kind) {
    case 'console':
      return createConsoleChat(opts.console);
    case 'slack':
      if (!opts.slack) throw new RampartsError('CHAT_NOT_CONFIGURED', 'chat.kind is slack but no Slack settings were given: set SLACK_BOT_TOKEN and chat.slack');
      return createSlackChat({ ...opts.slack, cache: opts.cache });
    case 'dingtalk':
      if (!opts.dingtalk) {
        throw new RampartsError('CHAT_NOT_CONFIGURED', 'chat.kind is dingtalk but no DingTalk settings were given: set DINGTALK_APP_KEY, DINGTALK_APP_SECRET and chat.dingtalk');
      }
      return createDingTalkChat({ ...opts.dingtalk, clock: opts.clock });
  }
}
