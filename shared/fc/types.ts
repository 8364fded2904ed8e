/**
 * Function Compute 3.0 event and context shapes (nodejs20). There is no types package on the
 * registry (`@serverless-devs/fc-runtime` does not exist), so these follow the FC docs as recorded in
 * the reference (chat-and-function-compute.md §2).
 */
import { RampartsError } from '../errors.js';

/** Timer trigger event; `payload` is the trigger's configured string, verbatim. */
export interface FcTimerEvent {
  triggerTime: string;
  triggerName: string;
  payload: string;
}

/** HTTP trigger event (FC3 built-in runtimes). Header names arrive in canonical MIME case. */
export interface FcHttpEvent {
  version: 'v1';
  rawPath: string;
  body?: string;
  isBase64Encoded: boolean;
  headers: Record<string, string>;
  queryParameters: Record<string, string>;
  requestContext: {
    accountId: string;
    domainName: string;
    domainPrefix: string;
    requestId: string;
    time: string;
    timeEpoch: string;
    http: { method: string; path: string; protocol: string; sourceIp: string; userAgent: string };
  };
}

export interface FcHttpResponse {
  statusCode: number;
  headers?: Record<string, string>;
  isBase64Encoded?: boolean;
  body: string;
}

export interface FcContext {
  requestId: string;
  region: string;
  accountId: string;
  /** STS credentials of the function's role; rotate, so read them per invocation. */
  credentials: { accessKeyId: string; accessKeySecret: string; securityToken: string };
  function: { name: string; handler: string; memory: number; timeout: number };
  logger?: Record<'debug' | 'info' | 'warn' | 'error' | 'log', (...a: unknown[]) => void>;
}

/** The event arrives as a Buffer holding JSON (§2.1); a string or an object is accepted for tests. */
export function parseEvent<T>(event: Buffer | string | object): T {
  if (!Buffer.isBuffer(event) && typeof event !== 'string') return event as T;
  const text = Buffer.isBuffer(event) ? event.toString('utf8') : event;
  try {
    return JSON.parse(text) as T;
  } catch (cause) {
    throw new RampartsError('BAD_EVENT', `the FC event is not JSON (${text.length} bytes): pass a timer or HTTP trigger event (see templates/events/)`, { cause });
  }
}

export function isTimerEvent(e: unknown): e is FcTimerEvent {
  return typeof e === 'object' && e !== null && 'triggerTime' in e && 'triggerName' in e;
}
