/**
 * Small crypto and header helpers shared by the button tokens and the callback verifiers
 * (STYLE §6: verify the raw body, in constant time, with room for a second secret).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Headers as a web `Headers` object or a plain record (FC events, Node `IncomingHttpHeaders`). */
export type HeaderBag = Headers | Record<string, string | string[] | undefined>;

/**
 * Case-insensitive header lookup. FC3 hands headers over in canonical MIME case
 * (reference §2.3), Node lower-cases them, tests write them either way.
 */
export function header(headers: HeaderBag, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function' && typeof (headers as Headers).forEach === 'function') {
    return (headers as Headers).get(name) ?? undefined;
  }
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers as Record<string, string | string[] | undefined>)) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    return Array.isArray(value) ? value.join(',') : value;
  }
  return undefined;
}

/** HMAC-SHA256 of `parts` (concatenated) under `secret`. */
export function hmacSha256(secret: string, ...parts: Array<string | Buffer>): Buffer {
  const mac = createHmac('sha256', secret);
  for (const part of parts) mac.update(part);
  return mac.digest();
}

/**
 * Constant-time string comparison. `timingSafeEqual` throws on different lengths, so the length is
 * checked first; a length mismatch reveals only the length of a public format (hex/base64 of a MAC).
 */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** True when any of `secrets` yields `presented`; every secret is tried so timing does not tell which. */
export function matchesAny(secrets: readonly string[], presented: string, expected: (secret: string) => string): boolean {
  let ok = false;
  for (const secret of secrets) if (secret.length > 0 && safeEqual(expected(secret), presented)) ok = true;
  return ok;
}
