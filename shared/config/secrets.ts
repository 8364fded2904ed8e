/**
 * Secrets come only from the environment (FC environment variables, a local shell), never from the
 * config file. Each command asks for what it needs, so `ramparts scan` works without chat secrets,
 * and every missing variable is reported at once, by name.
 */
import { ConfigError } from '../errors.js';
import type { Config } from './schema.js';

export const SECRET_VARS = {
  RAMPARTS_BUTTON_SECRET: 'HMAC key for the tokens in prompt buttons (comma-separated: the first signs, all verify, for rotation)',
  SLACK_BOT_TOKEN: 'Slack bot token (xoxb-…), scopes chat:write, im:write, users:read.email',
  SLACK_SIGNING_SECRET: 'Slack signing secret (comma-separated during rotation)',
  DINGTALK_APP_KEY: 'DingTalk app key (client id)',
  DINGTALK_APP_SECRET: 'DingTalk app secret (client secret)',
  DINGTALK_CALLBACK_SECRET: 'secret for x-ddpaas-signature on card callbacks (comma-separated during rotation)',
  DINGTALK_WEBHOOK: 'DingTalk group robot webhook URL for security notices (optional)',
  DINGTALK_WEBHOOK_SECRET: 'signing secret of that group robot (optional)',
  DATABASE_URL: 'PostgreSQL connection string; without it the embedded PGlite store is used',
} as const;

export interface ChatSecrets {
  buttonSecrets: string[];
  slack?: { botToken: string; signingSecrets: string[] };
  dingtalk?: { appKey: string; appSecret: string; callbackSecrets: string[]; webhook: string | null; webhookSecret: string | null };
}

function value(env: NodeJS.ProcessEnv, name: keyof typeof SECRET_VARS): string | undefined {
  const v = env[name]?.trim();
  return v ? v : undefined;
}

function list(env: NodeJS.ProcessEnv, name: keyof typeof SECRET_VARS): string[] {
  return (value(env, name) ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The secrets `config.chat.kind` needs; throws one ConfigError naming every missing variable. */
export function readChatSecrets(config: Pick<Config, 'chat'>, env: NodeJS.ProcessEnv): ChatSecrets {
  const issues: string[] = [];
  const need = (name: keyof typeof SECRET_VARS) => {
    const v = value(env, name);
    if (v === undefined) issues.push(`${name}: is required when chat.kind is ${config.chat.kind}; set it to the ${SECRET_VARS[name]}`);
    return v ?? '';
  };
  const buttonSecrets = list(env, 'RAMPARTS_BUTTON_SECRET');
  if (buttonSecrets.length === 0) need('RAMPARTS_BUTTON_SECRET');
  else if (buttonSecrets.some((s) => s.length < 32))
    issues.push('RAMPARTS_BUTTON_SECRET: each secret must be at least 32 characters (e.g. `openssl rand -hex 32`)');
  const out: ChatSecrets = { buttonSecrets };
  if (config.chat.kind === 'slack') {
    const botToken = need('SLACK_BOT_TOKEN');
    need('SLACK_SIGNING_SECRET');
    out.slack = { botToken, signingSecrets: list(env, 'SLACK_SIGNING_SECRET') };
  }
  if (config.chat.kind === 'dingtalk') {
    const appKey = need('DINGTALK_APP_KEY');
    const appSecret = need('DINGTALK_APP_SECRET');
    need('DINGTALK_CALLBACK_SECRET');
    if (config.chat.dingtalk.robotCode === null) issues.push('chat.dingtalk.robotCode: is required when chat.kind is dingtalk');
    if (config.chat.dingtalk.cardTemplateId === null) issues.push('chat.dingtalk.cardTemplateId: is required when chat.kind is dingtalk');
    out.dingtalk = {
      appKey,
      appSecret,
      callbackSecrets: list(env, 'DINGTALK_CALLBACK_SECRET'),
      webhook: value(env, 'DINGTALK_WEBHOOK') ?? null,
      webhookSecret: value(env, 'DINGTALK_WEBHOOK_SECRET') ?? null,
    };
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return out;
}

/** DATABASE_URL when set (PostgreSQL), else undefined (embedded PGlite in `store.dataDir`). */
export function databaseUrl(env: NodeJS.ProcessEnv): string | undefined {
  return value(env, 'DATABASE_URL');
}
