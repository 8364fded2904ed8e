/**
 * Button tokens: ramparts' own HMAC in every button, binding task, action and recipient. DingTalk's
 * callback signature covers only a timestamp, not the body (reference §3.4), so without this token a
 * replayed callback could carry any task id; on Slack it also stops a forwarded message being answered
 * by someone else. Token = `<expiry seconds>.<base64url(HMAC-SHA256(v1|taskId|action|recipientId|expiry))>`.
 */
import { RampartsError } from '../errors.js';
import type { TaskAction } from '../review/types.js';
import { hmacSha256, matchesAny } from './crypto.js';

/** What a token is bound to: all three must match when it is verified. */
export interface TokenBinding {
  taskId: string;
  action: TaskAction;
  /** Person id of the recipient of the message carrying the button. */
  recipientId: string;
}

/** The half the interact handler needs. */
export interface TokenVerifier {
  /** True only for an unexpired token made for exactly this binding by one of the secrets. */
  verify(token: string, binding: TokenBinding, nowMs: number): boolean;
}

/** The half prompt builders need, plus verification. */
export interface TokenSigner extends TokenVerifier {
  sign(taskId: string, action: TaskAction, recipientId: string): string;
}

export interface TokenSignerOptions {
  /** The first signs; all verify, so a new secret can be put in front during rotation. */
  secrets: string[];
  /** How long a button stays valid (default 30 days, matching `chat.buttonTtlDays`). */
  ttlSeconds?: number;
  /** Milliseconds since the epoch (STYLE §1: time is passed in). */
  now: () => number;
}

export const DEFAULT_TOKEN_TTL_SECONDS = 30 * 24 * 3600;
const TOKEN = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/;

function canonical(b: TokenBinding, expiry: number): string {
  return `v1|${b.taskId}|${b.action}|${b.recipientId}|${expiry}`;
}

/** A "|" inside a field would make two bindings share one canonical string. */
function unambiguous(b: TokenBinding): boolean {
  return ![b.taskId, b.action, b.recipientId].some((f) => f.length === 0 || f.includes('|'));
}

/** Creates the signer; throws when no usable secret is given (the config layer checks length first). */
export function createTokenSigner(opts: TokenSignerOptions): TokenSigner {
  const secrets = opts.secrets.filter((s) => s.length > 0);
  const signing = secrets[0];
  if (signing === undefined) {
    throw new RampartsError('CHAT_TOKEN_SECRET_MISSING', 'no button token secret: set RAMPARTS_BUTTON_SECRET (e.g. `openssl rand -hex 32`)');
  }
  const ttl = opts.ttlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS;
  const mac = (secret: string, b: TokenBinding, expiry: number) => hmacSha256(secret, canonical(b, expiry)).toString('base64url');

  return {
    sign(taskId, action, recipientId) {
      const binding = { taskId, action, recipientId };
      if (!unambiguous(binding)) throw new RampartsError('CHAT_TOKEN_BINDING', `cannot sign a button for task "${taskId}": ids must be non-empty and contain no "|"`);
      const expiry = Math.floor(opts.now() / 1000) + ttl;
      return `${expiry}.${mac(signing, binding, expiry)}`;
    },
    verify(token, binding, nowMs) {
      const m = TOKEN.exec(token);
      if (!m || !unambiguous(binding)) return false;
      const expiry = Number(m[1]);
      if (expiry * 1000 <= nowMs) return false;
      return matchesAny(secrets, m[2] ?? '', (secret) => mac(secret, binding, expiry));
    },
  };
}
