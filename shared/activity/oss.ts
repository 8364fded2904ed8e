/**
 * A trail delivered to OSS as an activity source (reference §4.4): gzip files of events, 5-minute
 * batches, partitioned by UTC day under `<prefix>/AliyunLogs/Actiontrail/<regionId>/<YYYY>/<MM>/<DD>/`,
 * named `Actiontrail_<regionId>_<YYYYMMDDHHMMSS>_…gz`. Only the day folders of the read window are
 * listed and only the files stamped inside it (with a margin) are fetched; each is streamed through
 * gunzip and a JSON parser, so a large file is never held as one string. Incremental semantics and
 * result shape follow `readActionTrail`.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import OSS from 'ali-oss';
import streamArray from 'stream-json/streamers/stream-array.js';
import streamValues from 'stream-json/streamers/stream-values.js';
import type { CredentialClient } from '../cloud/sdk.js';
import { CloudError, ConfigError } from '../errors.js';
import { createEventParser } from './events.js';
import type { MappingOverrides } from './mapping.js';
import { UsageIndex, type TimeWindow } from './usage-index.js';

/** Default days read back on the first run (a bucket keeps what its lifecycle rules say). */
export const OSS_RETENTION_DAYS = 90;
/** Files stamped this far outside the window are still read: batches span 5 minutes, delivery ~10. */
export const OSS_FILE_MARGIN_MS = 10 * 60_000;
/** ListObjectsV2 `max-keys` upper bound. */
export const OSS_LIST_MAX = 1000;

/** The part of the `ali-oss` client a read calls (tests pass the real one pointed at nock). */
export interface OssClientLike {
  listV2(
    query: { prefix: string; 'max-keys': number; 'continuation-token'?: string },
  ): Promise<{ objects?: { name: string }[] | null; isTruncated?: boolean; nextContinuationToken?: string | null }>;
  getStream(name: string): Promise<{ stream?: unknown }>;
}

export interface OssReadOptions {
  bucket: string;
  /** The trail's `OssKeyPrefix` (may be empty). */
  prefix?: string;
  /**
   * Region folders to read (`cn-hangzhou`). For a multi-account trail give the path below
   * `Actiontrail/`: `<rd_id>/<accountId>/<regionId>`.
   */
  regions: string[];
  now: Date;
  /** Default {@link OSS_RETENTION_DAYS}. */
  retentionDays?: number;
  mapping?: MappingOverrides;
}

/** What one incremental read did (`ActionTrailReadResult` plus file counts). */
export interface OssReadResult {
  window: TimeWindow;
  /** Listing pages. */
  pages: number;
  /** Files fetched, and files listed but not fetched (stamped outside the window, or not `.gz`). */
  files: { read: number; skipped: number };
  /** Event records in the fetched files. */
  records: number;
  added: number;
  /** Records already in the index, or repeated within a file or its predecessor. */
  duplicates: number;
  /** Records of a fetched file whose time is outside the window (files overlap the window's edges). */
  outside: number;
  skipped: { count: number; reasons: string[] };
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** Day-folder prefixes (UTC) from `from` to `to`, for one region path. */
export function dayPrefixes(base: string, region: string, from: Date, to: Date): string[] {
  const out: string[] = [];
  const day = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()));
  for (; day.getTime() <= to.getTime(); day.setUTCDate(day.getUTCDate() + 1)) {
    out.push(`${base}AliyunLogs/Actiontrail/${region}/${day.getUTCFullYear()}/${pad(day.getUTCMonth() + 1)}/${pad(day.getUTCDate())}/`);
  }
  return out;
}

/** The `YYYYMMDDHHMMSS` stamp of a delivery file name (UTC), or undefined when the name has none. */
export function fileTime(key: string): number | undefined {
  const m = /_(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})_[^/]*$/.exec(key);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const t = Date.UTC(y, mo - 1, d, h, mi, s);
  return Number.isNaN(t) ? undefined : t;
}

function ossError(action: string, what: string, cause: unknown): CloudError {
  const detail = cause instanceof Error ? (cause.message.split('\n')[0] ?? '') : String(cause);
  const { code: cloudCode, status } = (cause ?? {}) as { code?: unknown; status?: unknown };
  return new CloudError(action, `OSS ${action} ${what} failed: ${detail} — check the trail's bucket and prefix and the oss:${action === 'GetObject' ? 'GetObject' : 'ListObjects'} permission`, {
    cause,
    code: status === 403 ? 'CLOUD_NO_PERMISSION' : 'CLOUD_CALL_FAILED',
    ...(typeof cloudCode === 'string' ? { cloudCode } : {}),
  });
}

/** Keys under `prefix`, following the continuation token; counts listing pages in `stats`. */
async function* listKeys(client: OssClientLike, bucket: string, prefix: string, stats: { pages: number }): AsyncGenerator<string> {
  let token: string | undefined;
  for (;;) {
    let page: Awaited<ReturnType<OssClientLike['listV2']>>;
    try {
      page = await client.listV2({ prefix, 'max-keys': OSS_LIST_MAX, ...(token ? { 'continuation-token': token } : {}) });
    } catch (err) {
      throw ossError('ListObjects', `of bucket "${bucket}" prefix "${prefix}"`, err);
    }
    stats.pages++;
    for (const o of page.objects ?? []) yield o.name;
    const next = page.nextContinuationToken;
    if (!page.isTruncated || !next) return;
    if (next === token) throw ossError('ListObjects', `of bucket "${bucket}" prefix "${prefix}"`, new Error('the same continuation token came back twice'));
    token = next;
  }
}

/**
 * The records of one gunzipped delivery file. The framing is unverified (reference §4.4), so the first
 * non-blank character picks it: `[` a top-level array (stream-json's streamArray emits one element at a
 * time), anything else JSON Streaming — newline-delimited or concatenated values. stream-json keeps
 * memory at one record, where `JSON.parse` of the whole file would hold it all twice.
 */
async function* fileRecords(body: Readable): AsyncGenerator<unknown> {
  const gunzip = createGunzip();
  const piping = pipeline(body, gunzip);
  // pipeline destroys the gunzip stream on a source error, which ends the iteration below with it.
  piping.catch(() => undefined);
  const chunks = gunzip[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let head: Buffer | undefined;
  for (;;) {
    const next = await chunks.next();
    if (next.done) return;
    if (next.value.toString('utf8').trim() !== '') {
      head = next.value;
      break;
    }
  }
  const first = head.toString('utf8').trimStart()[0];
  const text = Readable.from(
    (async function* () {
      yield head;
      for (let n = await chunks.next(); !n.done; n = await chunks.next()) yield n.value;
    })(),
  );
  const parser = first === '[' ? streamArray.withParserAsStream() : streamValues.withParserAsStream({ jsonStreaming: true });
  const parsing = pipeline(text, parser);
  parsing.catch(() => undefined);
  for await (const item of parser as AsyncIterable<{ value: unknown }>) yield item.value;
  await piping;
  await parsing;
}

/**
 * Reads the delivery files of the window after the index's high-water mark and takes their events in.
 * The index changes only when every listing and file was read: a failure throws a `CloudError` naming
 * the bucket and prefix or key and leaves the index as it was. Global events (RAM, STS, sign-in) sit
 * in the global-events storage region's folder, so `regions` must include it.
 */
export async function readOssActivity(client: OssClientLike, index: UsageIndex, opts: OssReadOptions): Promise<OssReadResult> {
  // No region read is no evidence: covering the window with nothing would read as "unused".
  if (opts.regions.length === 0) throw new ConfigError([`OSS activity source for bucket "${opts.bucket}": regions is empty — list the trail's region folders, including the global-events region (cn-hangzhou or ap-southeast-1)`]);
  const window = index.nextWindow(opts.now, opts.retentionDays ?? OSS_RETENTION_DAYS);
  const from = window.from.getTime();
  const to = window.to.getTime();
  const parse = createEventParser(opts.mapping);
  const delta = new UsageIndex();
  const result: OssReadResult = { window, pages: 0, files: { read: 0, skipped: 0 }, records: 0, added: 0, duplicates: 0, outside: 0, skipped: { count: 0, reasons: [] } };
  const base = opts.prefix ? `${opts.prefix.replace(/^\/+|\/+$/g, '')}/` : '';
  const skip = (reason: string): void => {
    result.skipped.count++;
    if (result.skipped.reasons.length < 5) result.skipped.reasons.push(reason);
  };
  // Like readActionTrail's page-back ids: an event repeated in the next file is dropped, without
  // holding every id of a 90-day backfill in memory.
  let previous = new Set<string>();
  for (const region of opts.regions) {
    for (const prefix of dayPrefixes(base, region, new Date(from - OSS_FILE_MARGIN_MS), new Date(to + OSS_FILE_MARGIN_MS))) {
      for await (const key of listKeys(client, opts.bucket, prefix, result)) {
        const stamp = fileTime(key);
        if (!key.endsWith('.gz') || (stamp !== undefined && (stamp < from - OSS_FILE_MARGIN_MS || stamp > to + OSS_FILE_MARGIN_MS))) {
          result.files.skipped++;
          continue;
        }
        const current = new Set<string>();
        try {
          const { stream } = await client.getStream(key);
          if (!(stream instanceof Readable)) throw new Error('no body stream');
          for await (const raw of fileRecords(stream)) {
            result.records++;
            const parsed = parse(raw);
            if (!parsed.ok) skip(`${key}: ${parsed.reason}`);
            else if (parsed.event.time < from || parsed.event.time > to) result.outside++;
            else if (index.seen(parsed.event) || previous.has(parsed.event.id) || current.has(parsed.event.id)) result.duplicates++;
            else {
              current.add(parsed.event.id);
              delta.add(parsed.event);
              result.added++;
            }
          }
        } catch (err) {
          throw ossError('GetObject', `of bucket "${opts.bucket}" key "${key}"`, err);
        }
        result.files.read++;
        previous = current;
      }
    }
  }
  index.merge(delta, window);
  return result;
}

/** Connection settings of {@link createOssClient}. */
export interface OssClientSettings {
  /** `oss-cn-hangzhou` (ali-oss region form) or `cn-hangzhou`. */
  region: string;
  bucket: string;
  /** `oss-cn-hangzhou-internal.aliyuncs.com`, or a test host; default from the region. */
  endpoint?: string;
  credential: CredentialClient;
  /** Default true (HTTPS). */
  secure?: boolean;
  /** Per-request timeout, ms; default 60000. */
  timeoutMs?: number;
}

async function stsToken(credential: CredentialClient): Promise<{ accessKeyId: string; accessKeySecret: string; stsToken: string }> {
  const c = await credential.getCredential();
  return { accessKeyId: c.accessKeyId ?? '', accessKeySecret: c.accessKeySecret ?? '', stsToken: c.securityToken ?? '' };
}

/**
 * The production OSS client (`ali-oss`). Credentials come from the `@alicloud/credentials` client
 * before each request (it caches and refreshes STS tokens), so a long read outlives a token.
 */
export function createOssClient(settings: OssClientSettings): OssClientLike {
  let current: { key: string; client: OSS } | undefined;
  const client = async (): Promise<OSS> => {
    const c = await settings.credential.getCredential();
    if (!c.accessKeyId || !c.accessKeySecret) throw new Error('the credential source gave no access key (check ALIBABA_CLOUD_ACCESS_KEY_ID or the configured credential)');
    const key = `${c.accessKeyId}\n${c.accessKeySecret}\n${c.securityToken ?? ''}`;
    if (current?.key !== key) {
      const region = settings.region.startsWith('oss-') ? settings.region : `oss-${settings.region}`;
      current = {
        key,
        client: new OSS({
          region,
          bucket: settings.bucket,
          accessKeyId: c.accessKeyId,
          accessKeySecret: c.accessKeySecret,
          // ali-oss refreshes a token itself only through this callback; it asks the same source.
          ...(c.securityToken ? { stsToken: c.securityToken, refreshSTSToken: () => stsToken(settings.credential), refreshSTSTokenInterval: 5 * 60_000 } : {}),
          ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
          secure: settings.secure ?? true,
          timeout: settings.timeoutMs ?? 60_000,
        }),
      };
    }
    return current.client;
  };
  return {
    listV2: async (query) => (await client()).listV2({ ...query }),
    getStream: async (name) => (await client()).getStream(name),
  };
}
