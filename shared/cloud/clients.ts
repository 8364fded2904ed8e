import { $OpenApiUtil, Credential, CredentialConfig, Ims, OpenApi, Ram, Sts, type CredentialClient, type ImsClient, type OpenApiClient, type RamClient, type StsClient } from './sdk.js';
import { CloudCaller, PRODUCTS, type CallerOptions, type Product } from './caller.js';

/** The `cloud` section of the configuration, as the clients need it. */
export interface CloudSettings {
  regionId: string;
  protocol: 'https' | 'http';
  endpoints: Partial<Record<Product, string | null>>;
  concurrency: number;
  maxAttempts: number;
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
  connectTimeoutMs: number;
  readTimeoutMs: number;
}

/** The SDK clients a scan uses plus the caller every request goes through. */
export interface CloudClients {
  ram: RamClient;
  ims: ImsClient;
  sts: StsClient;
  /** Generic client for ActionTrail (its SDK package is not on the registry; reference §4.1). */
  actiontrail: OpenApiClient;
  /** Generic client for ResourceManager 2020-03-31 (Resource Directory member listing; see `accounts.ts`). */
  resourcemanager: OpenApiClient;
  /** Generic client for KMS 2016-01-20 (Secrets Manager metadata reads; see `inventory/secrets.ts`). */
  kms: OpenApiClient;
  caller: CloudCaller;
  endpoints: Record<Product, string>;
  credential: CredentialClient;
}

/** Public endpoints; RAM, IMS, STS and ResourceManager are central, ActionTrail and KMS are regional. */
export function defaultEndpoint(product: Product, regionId: string): string {
  switch (product) {
    case 'ram':
      return 'ram.aliyuncs.com';
    case 'ims':
      return 'ims.aliyuncs.com';
    case 'sts':
      return 'sts.aliyuncs.com';
    case 'actiontrail':
      return `actiontrail.${regionId}.aliyuncs.com`;
    case 'resourcemanager':
      return 'resourcemanager.aliyuncs.com';
    case 'kms':
      return `kms.${regionId}.aliyuncs.com`;
  }
}

/**
 * Builds the clients. Credentials come from `@alicloud/credentials`' default chain (env
 * ALIBABA_CLOUD_ACCESS_KEY_ID/SECRET[/SECURITY_TOKEN], OIDC, CLI profile, credentials file, ECS/FC role)
 * unless the caller passes one (FC passes the invocation's STS credentials).
 */
export function createCloudClients(
  settings: CloudSettings,
  opts: { credential?: CredentialClient; onRetry?: CallerOptions['onRetry']; clock?: CallerOptions['clock'] } = {},
): CloudClients {
  const credential = opts.credential ?? new Credential();
  const endpoints = Object.fromEntries(
    PRODUCTS.map((p) => [p, settings.endpoints[p] ?? defaultEndpoint(p, settings.regionId)]),
  ) as Record<Product, string>;
  const config = (product: Product) =>
    new $OpenApiUtil.Config({
      credential,
      endpoint: endpoints[product],
      protocol: settings.protocol,
      regionId: settings.regionId,
      connectTimeout: settings.connectTimeoutMs,
      readTimeout: settings.readTimeoutMs,
      userAgent: 'ramparts',
    });
  const caller = new CloudCaller({
    concurrency: settings.concurrency,
    maxAttempts: settings.maxAttempts,
    retryBaseDelayMs: settings.retryBaseDelayMs,
    retryMaxDelayMs: settings.retryMaxDelayMs,
    endpoints,
    onRetry: opts.onRetry,
    clock: opts.clock,
  });
  return {
    ram: new Ram(config('ram')),
    ims: new Ims(config('ims')),
    sts: new Sts(config('sts')),
    actiontrail: new OpenApi(config('actiontrail')),
    resourcemanager: new OpenApi(config('resourcemanager')),
    kms: new OpenApi(config('kms')),
    caller,
    endpoints,
    credential,
  };
}

/** A static access-key credential (tests, or callers that already hold keys, e.g. FC's context.credentials). */
export function staticCredential(accessKeyId: string, accessKeySecret: string, securityToken?: string): CredentialClient {
  const config = securityToken
    ? new CredentialConfig({ type: 'sts', accessKeyId, accessKeySecret, securityToken })
    : new CredentialConfig({ type: 'access_key', accessKeyId, accessKeySecret });
  return new Credential(config);
}
