/**
 * Callback signature checks, pure (time passed in). Both run on the raw request before anything is
 * parsed (STYLE §6), compare in constant time, and accept several secrets for rotation.
 */
import { hmacSha256, header, matchesAny, type HeaderBag } from './crypto.js';

export type VerifyFailure = 'missing-headers' | 'stale' | 'bad-signature';
export type VerifyResult = { ok: true } | { ok: false; reason: VerifyFailure };

/** Slack's replay window: requests older or newer than 5 minutes are refused (reference §4.1). */
export const SLACK_TOLERANCE_SECONDS = 300;
/** DingTalk signs only the timestamp (reference §3.4), so its window is kept as tight as Slack's. */
export const DINGTALK_WINDOW_MS = 300_000;

const DIGITS = /^\d{1,16}$/;

export interface SlackVerifyInput {
  /** Exactly the bytes received (FC Base64 already decoded); never a re-serialised body. */
  rawBody: Buffer | string;
  headers: HeaderBag;
  signingSecrets: string[];
  nowMs: number;
  toleranceSeconds?: number;
}

/**
 * Slack v0: `X-Slack-Signature = v0=hex(HMAC-SHA256(secret, "v0:" + ts + ":" + rawBody))`,
 * `|now − ts| ≤ 300 s` (reference §4.1; unlike Bolt, future timestamps are refused too).
 */
export function verifySlackRequest(input: SlackVerifyInput): VerifyResult {
  const ts = header(input.headers, 'x-slack-request-timestamp');
  const signature = header(input.headers, 'x-slack-signature');
  if (!ts || !signature) return { ok: false, reason: 'missing-headers' };
  if (!DIGITS.test(ts)) return { ok: false, reason: 'bad-signature' };
  const tolerance = input.toleranceSeconds ?? SLACK_TOLERANCE_SECONDS;
  if (Math.abs(input.nowMs / 1000 - Number(ts)) > tolerance) return { ok: false, reason: 'stale' };
  const body = typeof input.rawBody === 'string' ? Buffer.from(input.rawBody, 'utf8') : input.rawBody;
  const expected = (secret: string) => `v0=${hmacSha256(secret, `v0:${ts}:`, body).toString('hex')}`;
  return matchesAny(input.signingSecrets, signature, expected) ? { ok: true } : { ok: false, reason: 'bad-signature' };
}

export interface DingTalkVerifyInput {
  headers: HeaderBag;
  /** The apiSecret(s) given to card RegisterCallback. */
  secrets: string[];
  nowMs: number;
  windowMs?: number;
}

/**
 * DingTalk card callback: `x-ddpaas-signature = base64(HMAC-SHA256(apiSecret, timestamp))`, with
 * `x-ddpaas-signature-timestamp` in ms (reference §3.4). The body is not covered; the button token is
 * what binds it.
 */
export function verifyDingTalkRequest(input: DingTalkVerifyInput): VerifyResult {
  const ts = header(input.headers, 'x-ddpaas-signature-timestamp');
  const signature = header(input.headers, 'x-ddpaas-signature');
  if (!ts || !signature) return { ok: false, reason: 'missing-headers' };
  if (!DIGITS.test(ts)) return { ok: false, reason: 'bad-signature' };
  if (Math.abs(input.nowMs - Number(ts)) > (input.windowMs ?? DINGTALK_WINDOW_MS)) return { ok: false, reason: 'stale' };
  const expected = (secret: string) => hmacSha256(secret, ts).toString('base64');
  return matchesAny(input.secrets, signature, expected) ? { ok: true } : { ok: false, reason: 'bad-signature' };
}
