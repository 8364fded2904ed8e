/** Response helpers and body reading for the interact handler (web Request/Response, Node 20 globals). */

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers } });
}

/** `{ error, message }`: a machine code and what happened, never echoing the request. */
export function problem(status: number, error: string, message: string, headers: Record<string, string> = {}): Response {
  return json(status, { error, message }, headers);
}

/** An empty 200: Slack's "acknowledged". */
export function ack(): Response {
  return new Response('', { status: 200 });
}

/** Reads the raw body once, as bytes, refusing oversize requests; null when it is too large. */
export async function readRawBody(req: Request, maxBytes: number): Promise<Buffer | null> {
  const declared = Number(req.headers.get('content-length') ?? '0');
  if (Number.isFinite(declared) && declared > maxBytes) return null;
  const raw = Buffer.from(await req.arrayBuffer());
  return raw.length > maxBytes ? null : raw;
}

/** JSON.parse that returns undefined instead of throwing (a malformed body is a 400, not a crash). */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
