import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { ApiError } from './errors.js';
import type { KeyRecord } from './model.js';

/**
 * Server side of Alibaba Cloud request signing, mirroring `@alicloud/openapi-core` `dist/utils.js`
 * (`getAuthorization` for V3 ACS3-HMAC-SHA256, `getRPCSignature` for V1 HMAC-SHA1) byte for byte, so a
 * request signed by the real SDK verifies and a wrong secret fails the way the cloud fails.
 */

/** What signature verification needs from a request. */
export interface SignedRequest {
  method: string;
  /** Raw request path, without the query string. */
  path: string;
  /** Decoded query parameters. */
  query: ReadonlyMap<string, string>;
  /** Decoded form-body parameters (V1 signs them together with the query). */
  form: ReadonlyMap<string, string>;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** The access key a request claims to be signed with, and how. */
export interface SignatureClaim {
  style: 'v3' | 'v1';
  accessKeyId: string;
}

const V3_ALGORITHM = 'ACS3-HMAC-SHA256';

/** openapi-core `encode`: encodeURIComponent plus the RFC 3986 reserved characters it leaves alone. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value)
    .replace(/!/g, '%21')
    .replace(/'/g, '%27')
    .replace(/\(/g, '%28')
    .replace(/\)/g, '%29')
    .replace(/\*/g, '%2A');
}

interface V3Authorization {
  accessKeyId: string;
  signedHeaders: string[];
  signature: string;
}

function parseAuthorization(header: string): V3Authorization {
  const space = header.indexOf(' ');
  const algorithm = space < 0 ? header : header.slice(0, space);
  if (algorithm !== V3_ALGORITHM) {
    throw new ApiError(400, 'InvalidSignatureMethod', `Specified signature method is not supported: ${algorithm}. Use ${V3_ALGORITHM}.`);
  }
  const fields = new Map<string, string>();
  for (const part of header.slice(space + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const accessKeyId = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!accessKeyId || signedHeaders === undefined || !signature) {
    throw new ApiError(
      400,
      'IncompleteSignature',
      `The Authorization header is malformed: expected "${V3_ALGORITHM} Credential=<AccessKeyId>,SignedHeaders=<h1;h2>,Signature=<hex>".`,
    );
  }
  return { accessKeyId, signedHeaders: signedHeaders.split(';').filter(Boolean), signature };
}

/** Who the request claims to be; throws 400 when it carries no credentials at all. */
export function claimOf(req: SignedRequest): SignatureClaim {
  const authorization = header(req.headers, 'authorization');
  if (authorization) return { style: 'v3', accessKeyId: parseAuthorization(authorization).accessKeyId };
  const accessKeyId = req.query.get('AccessKeyId') ?? req.form.get('AccessKeyId');
  if (accessKeyId) return { style: 'v1', accessKeyId };
  throw new ApiError(
    400,
    'MissingAccessKeyId',
    'The request is not signed: send an Authorization header (ACS3-HMAC-SHA256, the SDK default) or the V1 AccessKeyId, SignatureMethod and Signature parameters.',
  );
}

/**
 * Verifies the request's signature against the secret of the key it names. Returns the key; throws
 * `InvalidAccessKeyId.NotFound` (404), `InvalidAccessKeyId.Inactive` (400) or `SignatureDoesNotMatch` (400).
 */
export function verifySignature(req: SignedRequest, lookup: (accessKeyId: string) => KeyRecord | undefined): KeyRecord {
  const claim = claimOf(req);
  const key = lookup(claim.accessKeyId);
  if (!key || key.secret === undefined) {
    throw new ApiError(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
  }
  if (key.status !== 'Active') {
    throw new ApiError(400, 'InvalidAccessKeyId.Inactive', 'Specified access key is disabled.');
  }
  const { expected, given, stringToSign } = claim.style === 'v3' ? v3(req, key.secret) : v1(req, key.secret);
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    throw new ApiError(
      400,
      'SignatureDoesNotMatch',
      `Specified signature is not matched with our calculation. server string to sign is:${stringToSign}`,
    );
  }
  return key;
}

interface Computed {
  expected: string;
  given: string;
  stringToSign: string;
}

function v3(req: SignedRequest, secret: string): Computed {
  const auth = parseAuthorization(header(req.headers, 'authorization')!);
  const unsigned = Object.keys(req.headers).filter((h) => h.startsWith('x-acs-') && !auth.signedHeaders.includes(h));
  if (unsigned.length > 0) {
    throw new ApiError(400, 'IncompleteSignature', `Every x-acs-* header must be signed; not signed: ${unsigned.join(', ')}.`);
  }
  const canonicalUri = req.path.replace(/\+/g, '%20').replace(/\*/g, '%2A').replace(/%7E/g, '~');
  const canonicalQuery = [...req.query.keys()]
    .sort()
    .map((k) => `${k}=${percentEncode(req.query.get(k)!)}`)
    .join('&');
  const canonicalHeaders = auth.signedHeaders.map((h) => `${h}:${(header(req.headers, h) ?? '').trim()}\n`).join('');
  const payload = createHash('sha256').update(req.body).digest('hex');
  const canonicalRequest = [req.method, canonicalUri, canonicalQuery, canonicalHeaders, auth.signedHeaders.join(';'), payload].join('\n');
  const stringToSign = `${V3_ALGORITHM}\n${createHash('sha256').update(canonicalRequest).digest('hex')}`;
  const expected = createHmac('sha256', secret).update(stringToSign).digest('hex');
  return { expected, given: auth.signature.toLowerCase(), stringToSign };
}

function v1(req: SignedRequest, secret: string): Computed {
  const params = new Map([...req.query, ...req.form]);
  const given = params.get('Signature');
  if (!given) throw new ApiError(400, 'MissingSignature', 'The input parameter "Signature" that is mandatory for processing this request is not supplied.');
  const method = params.get('SignatureMethod');
  if (method !== 'HMAC-SHA1') {
    throw new ApiError(400, 'InvalidSignatureMethod', `Specified signature method is not supported: ${method ?? '(none)'}. Use HMAC-SHA1.`);
  }
  params.delete('Signature');
  const canonicalized = [...params.keys()]
    .sort()
    .map((k) => `${percentEncode(k)}=${percentEncode(params.get(k)!)}`)
    .join('&');
  const stringToSign = `${req.method}&${percentEncode('/')}&${percentEncode(canonicalized)}`;
  const expected = createHmac('sha1', `${secret}&`).update(stringToSign).digest('base64');
  return { expected, given, stringToSign };
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}
