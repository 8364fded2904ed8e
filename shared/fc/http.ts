import type { FcHttpEvent, FcHttpResponse } from './types.js';

/**
 * FC3 HTTP event → web Request. The body may arrive Base64-encoded; signatures are computed over the
 * exact bytes, so decode before anything reads it (reference chat-and-function-compute.md §2.3).
 */
export function toRequest(event: FcHttpEvent): Request {
  const body = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64') : Buffer.from(event.body ?? '', 'utf8');
  const method = event.requestContext.http.method.toUpperCase();
  const host = event.requestContext.domainName || 'localhost';
  const query = new URLSearchParams(event.queryParameters ?? {}).toString();
  const url = `https://${host}${event.requestContext.http.path}${query ? `?${query}` : ''}`;
  return new Request(url, {
    method,
    headers: event.headers,
    body: method === 'GET' || method === 'HEAD' ? undefined : body,
  });
}

/** web Response → FC3 HTTP response (body always a string; JSON stays text). */
export async function fromResponse(res: Response): Promise<FcHttpResponse> {
  const headers: Record<string, string> = {};
  res.headers.forEach((v, k) => {
    headers[k] = v;
  });
  return { statusCode: res.status, headers, isBase64Encoded: false, body: await res.text() };
}
