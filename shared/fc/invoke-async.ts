/**
 * Asynchronous Function Compute 3.0 invocation: `POST /2023-03-30/functions/{name}/invocations` with
 * `x-fc-invocation-type: Async` (reference chat-and-function-compute.md §2.6). Sent through the generic
 * OpenAPI client (ROA style, ACS3 signature), not `@alicloud/fc20230330`: one call does not need that
 * SDK's models in the scan bundle. FC answers 202 once the event is queued; the function then runs on
 * its own, so the caller learns only that the event was accepted.
 *
 * Throttling, 5xx and connection errors are retried with backoff (p-retry); anything left is a
 * `CloudError` naming the function, never swallowed.
 */
import { Readable } from 'node:stream';
import * as $dara from '@darabonba/typescript';
import pRetry from 'p-retry';
import { classifyError, isRetryable } from '../cloud/classify.js';
import { $OpenApiUtil, OpenApi, type CredentialClient } from '../cloud/sdk.js';
import { CloudError } from '../errors.js';

/** The FC 3.0 API version the path carries. */
export const FC_API_VERSION = '2023-03-30';

/** The RAM action the invoking role needs on the target function. */
export const FC_INVOKE_ACTION = 'fc:InvokeFunction';

/** Queues one event for a function; resolves once FC has accepted it. */
export interface AsyncInvoker {
  invokeAsync(functionName: string, event: Buffer): Promise<{ requestId?: string }>;
}

export interface FcInvokerOptions {
  /** Signs the call: the invoking function's role (context.credentials); it needs `fc:InvokeFunction` on the target. */
  credential: CredentialClient;
  /** The account the function lives in (context.accountId): FC 3.0 endpoints are per account. */
  accountId: string;
  /** The function's region (context.region). */
  region: string;
  /** Overrides `<accountId>.<region>.fc.aliyuncs.com` (host or host:port). */
  endpoint?: string;
  protocol?: 'https' | 'http';
  maxAttempts: number;
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
  connectTimeoutMs: number;
  readTimeoutMs: number;
  /** Called before each retry (for a debug log line); never receives secrets. */
  onRetry?: (event: { functionName: string; attempt: number; code: string }) => void;
}

/** The public FC 3.0 endpoint of an account in a region. */
export function fcEndpoint(accountId: string, region: string): string {
  return `${accountId}.${region}.fc.aliyuncs.com`;
}

function invokeParams(functionName: string): InstanceType<typeof $OpenApiUtil.Params> {
  return new $OpenApiUtil.Params({
    action: 'InvokeFunction',
    version: FC_API_VERSION,
    protocol: 'HTTPS',
    pathname: `/${FC_API_VERSION}/functions/${encodeURIComponent(functionName)}/invocations`,
    method: 'POST',
    authType: 'AK',
    style: 'ROA',
    reqBodyType: 'binary',
    // An accepted async invocation has an empty body: read it as text, never as JSON.
    bodyType: 'string',
  });
}

/** An {@link AsyncInvoker} that calls the FC 3.0 API. */
export function fcAsyncInvoker(opts: FcInvokerOptions): AsyncInvoker {
  const endpoint = opts.endpoint ?? fcEndpoint(opts.accountId, opts.region);
  const client = new OpenApi(
    new $OpenApiUtil.Config({
      credential: opts.credential,
      endpoint,
      protocol: opts.protocol ?? 'https',
      regionId: opts.region,
      connectTimeout: opts.connectTimeoutMs,
      readTimeout: opts.readTimeoutMs,
      userAgent: 'ramparts',
    }),
  );
  return {
    async invokeAsync(functionName, event) {
      let attempt = 0;
      try {
        const res = await pRetry(
          () => {
            attempt++;
            const request = new $OpenApiUtil.OpenApiRequest({
              headers: { 'x-fc-invocation-type': 'Async' },
              stream: Readable.from([event]),
            });
            // The SDK's own retry stays off: p-retry decides, so every attempt is counted once.
            return client.callApi(invokeParams(functionName), request, new $dara.RuntimeOptions({ autoretry: false }));
          },
          {
            retries: opts.maxAttempts - 1,
            factor: 2,
            minTimeout: opts.retryBaseDelayMs,
            maxTimeout: opts.retryMaxDelayMs,
            randomize: true,
            shouldRetry: ({ error }) => isRetryable(classifyError(error)),
            onFailedAttempt: ({ error, retriesLeft }) => {
              const info = classifyError(error);
              if (isRetryable(info) && retriesLeft > 0) opts.onRetry?.({ functionName, attempt, code: info.code });
            },
          },
        );
        const headers = (res as { headers?: Record<string, string> }).headers ?? {};
        const requestId = headers['x-fc-request-id'] ?? headers['x-acs-request-id'];
        return requestId ? { requestId } : {};
      } catch (err) {
        const info = classifyError(err);
        const tries = attempt > 1 ? ` after ${attempt} attempts` : '';
        const advice =
          info.kind === 'permission'
            ? ` — grant the function's role fc:InvokeFunction on ${functionName} (templates/ram-policy-scan-accounts.json)`
            : info.kind === 'unreachable'
              ? ` — check that the function can reach ${endpoint} (internetAccess or a NAT gateway)`
              : '';
        const code = info.kind === 'permission' ? 'CLOUD_NO_PERMISSION' : info.kind === 'unreachable' ? 'CLOUD_UNREACHABLE' : 'CLOUD_CALL_FAILED';
        throw new CloudError('InvokeFunction', `FC InvokeFunction ${functionName} (async) failed${tries} (${info.code})${advice}`, { cause: err, cloudCode: info.code, code });
      }
    },
  };
}
