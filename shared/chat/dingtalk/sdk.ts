/**
 * DingTalk SDK clients, loaded per product from `dist/<product>/client.js` (reference §3.1: the package
 * root loads all ~120 clients). The modules are CommonJS with `exports.default = Client`; Node's ESM
 * loader and vitest hand back different wrappers, so the class is unwrapped the same way as
 * shared/cloud/sdk.ts does.
 */
import * as CardModule from '@alicloud/dingtalk/dist/card_1_0/client.js';
import * as OAuthModule from '@alicloud/dingtalk/dist/oauth2_1_0/client.js';

type Ctor<T> = new (...args: never[]) => T;

function ctor<T>(mod: unknown): T {
  let m = mod as { default?: unknown };
  for (let i = 0; i < 2 && typeof m !== 'function' && m && 'default' in m; i++) m = m.default as { default?: unknown };
  if (typeof m !== 'function') throw new Error('unexpected DingTalk SDK module shape: no client class found');
  return m as T;
}

export type CardClient = InstanceType<typeof CardModule.default.default>;
export type OAuthClient = InstanceType<typeof OAuthModule.default.default>;

export const Card = ctor<typeof CardModule.default.default & Ctor<CardClient>>(CardModule);
export const OAuth = ctor<typeof OAuthModule.default.default & Ctor<OAuthClient>>(OAuthModule);

/** Request/header model namespaces (`new $Card.CreateAndDeliverRequest({...})`). */
export { CardModule as $Card, OAuthModule as $OAuth };

/** Where and how the clients connect; tests leave the default host for nock to intercept. */
export interface DingTalkEndpoint {
  /** Default `api.dingtalk.com`. */
  endpoint?: string;
  protocol?: 'https' | 'http';
  readTimeoutMs?: number;
  connectTimeoutMs?: number;
}

/**
 * The openapi-client Config, as a plain object: its constructor only reads these fields, and
 * `@alicloud/openapi-client` is not a direct dependency (official samples use protocol https, region central).
 */
export function sdkConfig(e: DingTalkEndpoint): ConstructorParameters<typeof Card>[0] {
  return {
    protocol: e.protocol ?? 'https',
    regionId: 'central',
    ...(e.endpoint ? { endpoint: e.endpoint } : {}),
    readTimeout: e.readTimeoutMs ?? 10_000,
    connectTimeout: e.connectTimeoutMs ?? 5_000,
  } as unknown as ConstructorParameters<typeof Card>[0];
}

/** RuntimeOptions, likewise plain: one attempt per call (tea retries only when autoretry is set). */
export function sdkRuntime(e: DingTalkEndpoint): Parameters<CardClient['updateCardWithOptions']>[2] {
  return { readTimeout: e.readTimeoutMs ?? 10_000, connectTimeout: e.connectTimeoutMs ?? 5_000 } as unknown as Parameters<
    CardClient['updateCardWithOptions']
  >[2];
}
