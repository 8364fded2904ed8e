/**
 * The Slack Web API client as ramparts uses it: bounded retries (the default policy retries for ~30
 * minutes, far past any FC timeout — reference §4.4), rate-limited calls wait and retry instead of
 * failing, and errors become RampartsErrors that say what to do.
 */
import { ErrorCode, LogLevel, WebClient, type RetryOptions } from '@slack/web-api';
import { RampartsError } from '../../errors.js';

export interface SlackClientOptions {
  /** Bot token (SLACK_BOT_TOKEN, xoxb-…). */
  botToken: string;
  /** Default: 2 retries, 0.5 s then 1 s apart (plus any Retry-After Slack asks for). */
  retryConfig?: RetryOptions;
  /** Per-request timeout in ms (default 10 s). */
  timeoutMs?: number;
}

export const DEFAULT_SLACK_RETRY: RetryOptions = { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 1000 };

/** A WebClient with ramparts' bounded retry policy; its own logging is limited to errors. */
export function createSlackClient(opts: SlackClientOptions): WebClient {
  return new WebClient(opts.botToken, {
    retryConfig: opts.retryConfig ?? DEFAULT_SLACK_RETRY,
    rejectRateLimitedCalls: false,
    timeout: opts.timeoutMs ?? 10_000,
    logLevel: LogLevel.ERROR,
  });
}

const HINTS: Record<string, string> = {
  not_authed: 'check SLACK_BOT_TOKEN',
  invalid_auth: 'check SLACK_BOT_TOKEN',
  token_revoked: 'reinstall the Slack app and update SLACK_BOT_TOKEN',
  missing_scope: 'add the scopes chat:write, im:write, users:read, users:read.email to the Slack app and reinstall it',
  channel_not_found: 'invite the ramparts app to the channel, or fix chat.slack.securityChannel',
  not_in_channel: 'invite the ramparts app to the channel (/invite @ramparts)',
  ratelimited: 'Slack is rate limiting ramparts; the next run retries',
};

/** Turns a Web API failure into a RampartsError naming the method, Slack's error code and a fix. */
export function slackError(method: string, err: unknown): RampartsError {
  const e = err as { code?: string; data?: { error?: string } };
  const slackCode = e.code === ErrorCode.PlatformError ? e.data?.error : undefined;
  const what = slackCode ?? (err instanceof Error ? err.message : String(err));
  const hint = slackCode ? HINTS[slackCode] : undefined;
  return new RampartsError('CHAT_SLACK_FAILED', `Slack ${method} failed: ${what}${hint ? `; ${hint}` : ''}`, { cause: err });
}
