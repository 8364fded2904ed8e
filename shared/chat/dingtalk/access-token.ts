/**
 * DingTalk app access token (reference §3.2): POST /v1.0/oauth2/accessToken → `{ accessToken, expireIn }`
 * (7200 s). Cached per warm instance and refreshed 5 minutes early, as the official sample does;
 * concurrent callers share one fetch.
 */
import { RampartsError } from '../../errors.js';
import type { OAuthClient } from './sdk.js';

export const TOKEN_REFRESH_MARGIN_MS = 300_000;

export interface AccessTokenSource {
  get(): Promise<string>;
  /** Forget the cached token (after DingTalk rejected it). */
  invalidate(): void;
}

/** `client` is asked for on the first fetch: the SDK module loads only when a token is needed. */
export function createAccessTokenSource(opts: { client: () => Promise<OAuthClient>; appKey: string; appSecret: string; now: () => number }): AccessTokenSource {
  let cached: { token: string; refreshAt: number } | null = null;
  let inflight: Promise<string> | null = null;

  async function fetchToken(): Promise<string> {
    let body: { accessToken?: string; expireIn?: number } | undefined;
    const [{ $OAuth }, client] = await Promise.all([import('./sdk.js'), opts.client()]);
    try {
      body = (await client.getAccessToken(new $OAuth.GetAccessTokenRequest({ appKey: opts.appKey, appSecret: opts.appSecret }))).body;
    } catch (err) {
      const code = (err as { code?: string }).code ?? 'error';
      throw new RampartsError('CHAT_DINGTALK_AUTH', `DingTalk access token request failed (${code}): check DINGTALK_APP_KEY and DINGTALK_APP_SECRET`, { cause: err });
    }
    if (!body?.accessToken) throw new RampartsError('CHAT_DINGTALK_AUTH', 'DingTalk returned no access token: check DINGTALK_APP_KEY and DINGTALK_APP_SECRET');
    const ttlMs = (body.expireIn ?? 7200) * 1000;
    cached = { token: body.accessToken, refreshAt: opts.now() + Math.max(0, ttlMs - TOKEN_REFRESH_MARGIN_MS) };
    return body.accessToken;
  }

  return {
    async get() {
      if (cached && opts.now() < cached.refreshAt) return cached.token;
      inflight ??= fetchToken().finally(() => {
        inflight = null;
      });
      return inflight;
    },
    invalidate() {
      cached = null;
    },
  };
}
