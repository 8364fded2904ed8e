/**
 * DingTalk custom group robot webhook, used for security notices (reference §3.5):
 * `sign = Base64(HMAC-SHA256(secret, timestamp + "\n" + secret))`, sent URL-encoded with the timestamp
 * (ms, within 1 h of DingTalk's clock). Success is `{"errcode":0}`; anything else is an error.
 */
import { RampartsError } from '../../errors.js';
import { hmacSha256 } from '../crypto.js';

/** The robot's signature for `timestampMs` (not yet URL-encoded). */
export function signDingTalkWebhook(secret: string, timestampMs: number): string {
  return hmacSha256(secret, `${timestampMs}\n${secret}`).toString('base64');
}

/** The webhook URL with `timestamp` and `sign` added when a secret is configured. */
export function signedWebhookUrl(webhookUrl: string, secret: string | null, timestampMs: number): string {
  const url = new URL(webhookUrl);
  if (secret) {
    url.searchParams.set('timestamp', String(timestampMs));
    url.searchParams.set('sign', signDingTalkWebhook(secret, timestampMs));
  }
  return url.toString();
}

/** Posts one message body to the robot; the URL (it holds the robot's access token) never reaches an error message. */
export async function postDingTalkWebhook(opts: { url: string; secret: string | null; nowMs: number; body: unknown; timeoutMs?: number }): Promise<void> {
  let res: Response;
  try {
    res = await fetch(signedWebhookUrl(opts.url, opts.secret, opts.nowMs), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(opts.body),
      signal: AbortSignal.timeout(opts.timeoutMs ?? 5000),
    });
  } catch (err) {
    throw new RampartsError('CHAT_DINGTALK_WEBHOOK', `DingTalk robot webhook unreachable: ${(err as Error).name}`, { cause: err });
  }
  const reply = (await res.json().catch(() => null)) as { errcode?: number; errmsg?: string } | null;
  if (!res.ok || reply?.errcode !== 0) {
    const detail = reply ? `errcode ${reply.errcode}: ${reply.errmsg ?? ''}` : `HTTP ${res.status}`;
    throw new RampartsError('CHAT_DINGTALK_WEBHOOK', `DingTalk robot webhook refused the message (${detail}); check DINGTALK_WEBHOOK and DINGTALK_WEBHOOK_SECRET`);
  }
}
