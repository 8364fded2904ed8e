import { RampartsError } from '../errors.js';
import type { FcHttpEvent, FcHttpResponse } from './types.js';

/**
 * FC3 HTTP event → web Request (reference chat-and-function-compute.md §2.3). The body may arrive
 * Base64-encoded; signatures are computed over the exact bytes, so it is decoded to bytes here and
 * never re-serialised. Header names arrive in canonical MIME case; a web Headers object looks them up
 * case-insensitively. Multi-value query parameters arrive joined with `,` and are passed on as is.
 */
export function toRequest(event: FcHttpEvent): Request {
  const http = event.requestContext?.http;
  if (!http?.method) throw new RampartsError('BAD_EVENT', 'not an FC3 HTTP trigger event: requestContext.http.method is missing (see templates/events/http-*.json)');
  const method = http.method.toUpperCase();
  const body = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64') : Buffer.from(event.body ?? '', 'utf8');
  const host = event.requestContext.domainName || 'localhost';
  // rawPath keeps the URL encoding; http.path is decoded and may not be a valid URL path.
  const path = event.rawPath || encodeURI(http.path || '/');
  const query = new URLSearchParams(event.queryParameters ?? {}).toString();
  return new Request(`https://${host}${path}${query ? `?${query}` : ''}`, {
    method,
    headers: event.headers ?? {},
    body: method === 'GET' || method === 'HEAD' ? undefined : body,
  });
}

/** Content types whose bytes go back as text; anything else is returned Base64-encoded (§2.4). */
const TEXT_TYPES = /^(text\/|application\/(json|[\w.+-]+\+json|xml|[\w.+-]+\+xml|javascript|x-www-form-urlencoded))/i;

/** web Response → FC3 HTTP response: the full `{statusCode, headers, isBase64Encoded, body}` struct, binary-safe. */
export async function fromResponse(res: Response): Promise<FcHttpResponse> {
  const headers: Record<string, string> = {};
  res.headers.forEach((v, k) => {
    headers[k] = v;
  });
  const bytes = Buffer.from(await res.arrayBuffer());
  const contentType = res.headers.get('content-type');
  const text = bytes.length === 0 || contentType === null || TEXT_TYPES.test(contentType);
  return { statusCode: res.status, headers, isBase64Encoded: !text, body: bytes.toString(text ? 'utf8' : 'base64') };
}
