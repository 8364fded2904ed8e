/**
 * A trail delivered to Simple Log Service as an activity source (reference §4.4): Logstore
 * `actiontrail_<trail>`, topic `actiontrail_audit_event`, with the event's fields indexed flat
 * (`event.eventName`, `event.userIdentity.type`…). Instead of reading every event, one GetLogs SQL
 * aggregate returns a row per identity × service × event name × error code with its latest time, so a
 * busy account costs a few pages, not millions of records. Each row becomes one synthetic
 * {@link ActivityEvent} taken in the same incremental way as `readActionTrail`.
 */
import { createHash } from 'node:crypto';
import * as SlsModule from '@alicloud/sls20201230';
import type { CredentialClient } from '../cloud/sdk.js';
import { $OpenApiUtil } from '../cloud/sdk.js';
import { CloudError } from '../errors.js';
import { identitiesOf, isDenied, type ActivityEvent } from './events.js';
import { createMapper, type MappingOverrides } from './mapping.js';
import { UsageIndex, type TimeWindow } from './usage-index.js';

/** Default days read back on the first run; a Logstore keeps what its TTL says, so it is configurable. */
export const SLS_RETENTION_DAYS = 90;
/** Aggregate rows a page asks for (SQL without LIMIT returns only 100; LIMIT pages explicitly). */
export const SLS_PAGE_SIZE = 1000;
/** Times a page is asked again while SLS answers `x-log-progress: Incomplete`. */
export const SLS_INCOMPLETE_RETRIES = 3;
/** The `__topic__` ActionTrail writes (reference §4.4). */
export const ACTIONTRAIL_TOPIC = 'actiontrail_audit_event';

type GetLogsRequest = InstanceType<typeof SlsModule.GetLogsRequest>;

/** The part of the `@alicloud/sls20201230` client a read calls (tests pass the real one pointed at nock). */
export interface SlsClientLike {
  getLogs(project: string, logstore: string, request: GetLogsRequest): Promise<{ headers?: Record<string, string>; body?: Record<string, unknown>[] }>;
}

/** Wraps each request, e.g. `(action, fn) => caller.call(product, action, fn)` for retries, pacing and counting. */
export type CallWrapper = <T>(action: string, fn: () => Promise<T>) => Promise<T>;

export interface SlsReadOptions {
  project: string;
  /** `actiontrail_<trailName>`. */
  logstore: string;
  now: Date;
  /** Default {@link SLS_RETENTION_DAYS}; set it to the Logstore's TTL. */
  retentionDays?: number;
  mapping?: MappingOverrides;
  /** Aggregate rows per page; default {@link SLS_PAGE_SIZE}. */
  pageSize?: number;
  /**
   * Runs every GetLogs request (default: call directly). `CloudCaller` has no `sls` product yet, so
   * the composition root passes a wrapper here rather than this module taking the caller.
   */
  call?: CallWrapper;
}

/** What one incremental read did (the shape of `ActionTrailReadResult`; a record is an aggregate row). */
export interface SlsReadResult {
  window: TimeWindow;
  pages: number;
  /** Aggregate rows returned. */
  records: number;
  /** New synthetic events taken into the index. */
  added: number;
  /** Rows already in the index (the high-water second, read again) or repeated across pages. */
  duplicates: number;
  /** Rows that are no event (first reasons kept, for a warning). */
  skipped: { count: number; reasons: string[] };
}

/** Result columns, in GROUP BY order: the identity, the call and its outcome. */
const COLUMNS = {
  identity_type: 'event.userIdentity.type',
  user_name: 'event.userIdentity.userName',
  access_key_id: 'event.userIdentity.accessKeyId',
  arn: 'event.userIdentity.arn',
  service_name: 'event.serviceName',
  event_name: 'event.eventName',
  error_code: 'event.errorCode',
} as const;
type Column = keyof typeof COLUMNS;
const KEY_COLUMNS = Object.keys(COLUMNS) as Column[];

/**
 * The analytic statement for one page. Ordered by the group key (not by time) so a page boundary stays
 * put while late events only move `last_time`; `LIMIT offset, count` is SLS's paging form for SQL
 * results (the request's `offset`/`line` apply to search statements only — SDK remark on GetLogsRequest).
 */
export function slsAggregateQuery(offset: number, pageSize: number): string {
  const select = KEY_COLUMNS.map((c) => `"${COLUMNS[c]}" AS ${c}`).join(', ');
  const keys = KEY_COLUMNS.join(', ');
  return `__topic__: ${ACTIONTRAIL_TOPIC} | SELECT ${select}, max(__time__) AS last_time GROUP BY ${keys} ORDER BY ${keys} LIMIT ${offset}, ${pageSize}`;
}

/** SQL results are strings; a NULL (field absent from the event) arrives as `"null"`. */
function field(row: Record<string, unknown>, column: string): string | undefined {
  const v = row[column];
  if (v === undefined || v === null) return undefined;
  const s = String(v);
  return s === '' || s === 'null' ? undefined : s;
}

/** One aggregate row → a synthetic event at the row's latest time, or why it is none. */
export function rowToEvent(row: Record<string, unknown>, mapper: ReturnType<typeof createMapper>): { ok: true; event: ActivityEvent } | { ok: false; reason: string } {
  const seconds = Number(field(row, 'last_time'));
  if (!Number.isFinite(seconds) || seconds <= 0) return { ok: false, reason: `last_time: not a UNIX time (${String(row.last_time)})` };
  const values = Object.fromEntries(KEY_COLUMNS.map((c) => [c, field(row, c)])) as Record<Column, string | undefined>;
  const identities = identitiesOf({
    userIdentity: { type: values.identity_type, userName: values.user_name, accessKeyId: values.access_key_id, arn: values.arn },
  });
  const action = mapper.action({ serviceName: values.service_name ?? '', eventName: values.event_name ?? '' });
  // The same group at the same second is the same evidence: a re-read yields the same id.
  const hash = createHash('sha256').update(JSON.stringify(KEY_COLUMNS.map((c) => values[c] ?? null))).digest('hex').slice(0, 20);
  return {
    ok: true,
    event: {
      id: `sls:${hash}:${seconds}`,
      time: seconds * 1000,
      action,
      service: action === null ? null : action.slice(0, action.indexOf(':')),
      identities,
      denied: isDenied(values.error_code),
    },
  };
}

/** The project's error code: the caller's when it classified the failure, else from the HTTP status. */
function codeOf(cause: unknown): string {
  if (cause instanceof CloudError) return cause.code;
  const status = (cause as { statusCode?: unknown } | undefined)?.statusCode;
  return status === 401 ? 'CLOUD_AUTH_FAILED' : status === 403 ? 'CLOUD_NO_PERMISSION' : 'CLOUD_CALL_FAILED';
}

function slsError(opts: SlsReadOptions, what: string, cause?: unknown): CloudError {
  const code = codeOf(cause);
  const cloudCode = cause instanceof CloudError ? cause.cloudCode : (cause as { code?: unknown } | undefined)?.code;
  return new CloudError('GetLogs', `SLS GetLogs on project "${opts.project}" logstore "${opts.logstore}" ${what} — check the project, the Logstore (actiontrail_<trail>), its index on event.* fields and log:GetLogStoreLogs permission`, {
    cause,
    code,
    ...(typeof cloudCode === 'string' ? { cloudCode } : {}),
  });
}

async function getPage(client: SlsClientLike, opts: SlsReadOptions, window: TimeWindow, offset: number, pageSize: number): Promise<Record<string, unknown>[]> {
  const call: CallWrapper = opts.call ?? ((_action, fn) => fn());
  const request = new SlsModule.GetLogsRequest({
    // `to` is exclusive and in seconds: the second after `now` keeps the window's end inclusive.
    from: Math.floor(window.from.getTime() / 1000),
    to: Math.floor(window.to.getTime() / 1000) + 1,
    query: slsAggregateQuery(offset, pageSize),
    line: 0,
    offset: 0,
  });
  for (let attempt = 0; ; attempt++) {
    let res: Awaited<ReturnType<SlsClientLike['getLogs']>>;
    try {
      res = await call('GetLogs', () => client.getLogs(opts.project, opts.logstore, request));
    } catch (err) {
      const detail = err instanceof Error ? err.message.split('\n')[0] : String(err);
      throw slsError(opts, `failed: ${detail}`, err);
    }
    if (!Array.isArray(res.body)) throw slsError(opts, 'returned a body that is not a JSON array');
    // Partial results (SLS still scanning) must not be read as "no more events": ask again.
    if ((res.headers?.['x-log-progress'] ?? 'Complete') === 'Complete') return res.body;
    if (attempt >= SLS_INCOMPLETE_RETRIES) throw slsError(opts, `stayed Incomplete after ${attempt + 1} attempts`);
  }
}

/**
 * Reads the aggregate rows newer than the index's high-water mark and takes them in. The index changes
 * only when every page was read: a failed call throws a `CloudError` naming the project and Logstore
 * and leaves the index as it was, so the next read fetches the same window again.
 */
export async function readSlsActivity(client: SlsClientLike, index: UsageIndex, opts: SlsReadOptions): Promise<SlsReadResult> {
  const window = index.nextWindow(opts.now, opts.retentionDays ?? SLS_RETENTION_DAYS);
  const pageSize = Math.max(1, Math.floor(opts.pageSize ?? SLS_PAGE_SIZE));
  const mapper = createMapper(opts.mapping);
  const delta = new UsageIndex();
  const taken = new Set<string>();
  const result: SlsReadResult = { window, pages: 0, records: 0, added: 0, duplicates: 0, skipped: { count: 0, reasons: [] } };
  for (let offset = 0; ; offset += pageSize) {
    const rows = await getPage(client, opts, window, offset, pageSize);
    result.pages++;
    for (const row of rows) {
      result.records++;
      const parsed = rowToEvent(row, mapper);
      if (!parsed.ok) {
        result.skipped.count++;
        if (result.skipped.reasons.length < 5) result.skipped.reasons.push(parsed.reason);
      } else if (index.seen(parsed.event) || taken.has(parsed.event.id)) {
        result.duplicates++;
      } else {
        taken.add(parsed.event.id);
        delta.add(parsed.event);
        result.added++;
      }
    }
    if (rows.length < pageSize) break;
  }
  index.merge(delta, window);
  return result;
}

/** Connection settings of {@link createSlsClient}. */
export interface SlsClientSettings {
  /** `cn-hangzhou.log.aliyuncs.com` (the project is prefixed to the host per request). */
  endpoint: string;
  credential: CredentialClient;
  protocol?: 'https' | 'http';
  /** Analytic queries over 90 days can take seconds; default 30000 ms. */
  readTimeoutMs?: number;
  connectTimeoutMs?: number;
}

const SlsClient = ((): new (config: InstanceType<typeof $OpenApiUtil.Config>) => SlsModule.default => {
  // CommonJS default export: a namespace under Node's ESM loader, the class under bundlers (see cloud/sdk.ts).
  let m: unknown = SlsModule;
  for (let i = 0; i < 2 && typeof m !== 'function' && m && typeof m === 'object' && 'default' in m; i++) m = (m as { default: unknown }).default;
  if (typeof m !== 'function') throw new Error('unexpected @alicloud/sls20201230 module shape: no client class found');
  return m as new (config: InstanceType<typeof $OpenApiUtil.Config>) => SlsModule.default;
})();

/** The production SLS client (`@alicloud/sls20201230`). */
export function createSlsClient(settings: SlsClientSettings): SlsClientLike {
  return new SlsClient(
    new $OpenApiUtil.Config({
      credential: settings.credential,
      endpoint: settings.endpoint,
      protocol: settings.protocol ?? 'https',
      readTimeout: settings.readTimeoutMs ?? 30_000,
      connectTimeout: settings.connectTimeoutMs ?? 5_000,
      userAgent: 'ramparts',
    }),
  );
}
