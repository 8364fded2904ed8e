/**
 * Classifies SDK errors (openapi-core ClientError/ServerError/ThrottlingError, or plain network Errors
 * with `code`) into what the caller should do. See reference §5: the SDK does not retry by default.
 */
export type ErrorKind = 'throttled' | 'transient' | 'auth' | 'unreachable' | 'permission' | 'not-found' | 'other';

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'ESOCKETTIMEDOUT', 'UND_ERR_SOCKET']);
const TRANSIENT_CODES = new Set(['ServiceUnavailable', 'InternalError', 'InternalFailure', 'SerivceUnavailableTemporary', 'ServiceUnavailableTemporary', 'RequestTimeout']);

export interface ErrorInfo {
  kind: ErrorKind;
  /** The cloud error code (`Throttling.User`) or the network code (`ECONNREFUSED`). */
  code: string;
  status?: number;
  requestId?: string;
  /** Milliseconds the server asked to wait (`x-acs-retry-after`). */
  retryAfterMs?: number;
  message: string;
}

function field(err: unknown, name: string): unknown {
  return err && typeof err === 'object' ? (err as Record<string, unknown>)[name] : undefined;
}

export function classifyError(err: unknown): ErrorInfo {
  const code = String(field(err, 'code') ?? field(err, 'name') ?? 'Error');
  const status = typeof field(err, 'statusCode') === 'number' ? (field(err, 'statusCode') as number) : undefined;
  // The SDK stringifies a missing RequestId into "undefined".
  const rawRequestId = field(err, 'requestId');
  const requestId = typeof rawRequestId === 'string' && rawRequestId !== '' && rawRequestId !== 'undefined' ? rawRequestId : undefined;
  const retryAfter = field(err, 'retryAfter');
  const rawMessage = err instanceof Error ? err.message : String(err);
  const info = { code, status, requestId, message: rawMessage } as ErrorInfo;
  if (typeof retryAfter === 'number' && retryAfter > 0) info.retryAfterMs = retryAfter;

  const name = String(field(err, 'name') ?? '');
  if (name === 'ThrottlingError' || /Throttling/i.test(code)) return { ...info, kind: 'throttled' };
  if (TRANSIENT_CODES.has(code) || (status !== undefined && status >= 500)) return { ...info, kind: 'transient' };
  if (NETWORK_CODES.has(code) || /socket hang up|timeout/i.test(rawMessage)) return { ...info, kind: 'unreachable' };
  if (/^(InvalidAccessKeyId|SignatureDoesNotMatch|IncompleteSignature|InvalidSecurityToken|InvalidCredentials|MissingSecurityToken|SignatureNonceUsed|InvalidTimeStamp)/.test(code))
    return { ...info, kind: 'auth' };
  // KMS reports a missing secret or key as `Forbidden.ResourceNotFound` / `Forbidden.KeyNotFound` (HTTP 404):
  // a vanished resource, not a refusal, so it must not be reported as a missing grant.
  if (/^Forbidden\.\w*NotFound$/.test(code)) return { ...info, kind: 'not-found' };
  // Refusals: RAM `NoPermission`, `Forbidden.*` (KMS `Forbidden.NoPermission`), any 403.
  if (/^(NoPermission|Forbidden)/.test(code) || status === 403) return { ...info, kind: 'permission' };
  if (/^EntityNotExist/.test(code) || status === 404) return { ...info, kind: 'not-found' };
  return { ...info, kind: 'other' };
}

/** Retry throttling, 5xx and connection errors; never auth, permission or not-found errors. */
export function isRetryable(info: ErrorInfo): boolean {
  return info.kind === 'throttled' || info.kind === 'transient' || info.kind === 'unreachable';
}
