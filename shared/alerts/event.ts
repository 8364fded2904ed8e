/**
 * ActionTrail event records as the alert function receives them (reference alibaba-cloud-api.md §4.2):
 * an EventBridge CloudEvent (`source` `acs.actiontrail`, `type` `actiontrail:ActionTrail:ApiCall` …, the
 * record in `data`), a batch of those (an array, when the trigger batches), a bare record, or a
 * LookupEvents page (`{ Events: [...] }`, the timer's pull of sign-in events, which EventBridge does not
 * carry). Fields the alerts read are checked; everything else is kept as it came.
 */
import { z } from 'zod';
import { RampartsError } from '../errors.js';

/** The parts of an ActionTrail record the alerts read. */
export interface TrailRecord {
  eventId: string;
  eventName: string;
  /** `ApiCall`, `ConsoleOperation`, `ConsoleSignin`, `AliyunServiceEvent`, … */
  eventType: string;
  eventTime: string;
  serviceName: string;
  acsRegion: string | null;
  sourceIpAddress: string | null;
  userAgent: string | null;
  /** Empty on success. */
  errorCode: string;
  /** The account the event happened in. */
  accountId: string | null;
  userIdentity: {
    /** `root-account`, `ram-user`, `assumed-role`, `system`, … */
    type: string;
    accountId: string | null;
    principalId: string | null;
    /** ram-user: its name; assumed-role: `<role>:<session>`; root: `root`. */
    userName: string | null;
    accessKeyId: string | null;
  };
  requestParameters: Record<string, unknown>;
  responseElements: Record<string, unknown>;
  additionalEventData: Record<string, unknown>;
}

const text = z.string().trim().min(1);
const loose = z.union([z.record(z.string(), z.unknown()), z.string(), z.null()]).optional();

const recordSchema = z.looseObject({
  eventId: text,
  eventName: text,
  eventType: z.string().optional(),
  eventTime: text.refine((t) => !Number.isNaN(Date.parse(t)), { error: 'must be an ISO-8601 time' }),
  serviceName: z.string().optional(),
  acsRegion: z.string().nullish(),
  sourceIpAddress: z.string().nullish(),
  userAgent: z.string().nullish(),
  errorCode: z.string().nullish(),
  recipientAccountId: z.string().nullish(),
  userIdentity: z.looseObject({
    type: text,
    accountId: z.union([z.string(), z.number()]).nullish(),
    principalId: z.union([z.string(), z.number()]).nullish(),
    userName: z.string().nullish(),
    accessKeyId: z.string().nullish(),
  }),
  requestParameters: loose,
  responseElements: loose,
  additionalEventData: loose,
});

/** `requestParameters` and friends arrive as objects (EventBridge) or JSON strings (LookupEvents, SLS). */
function objectOf(v: unknown): Record<string, unknown> {
  if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  if (typeof v === 'string' && v.trim().startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(v);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
    } catch {
      // Not JSON after all: nothing to read from it.
    }
  }
  return {};
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null);

/** One record, checked; the error names the field and the record. */
export function parseTrailRecord(raw: unknown, where = 'event'): TrailRecord {
  const parsed = recordSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.length > 0 ? `${where}.${issue.path.join('.')}` : where;
    throw new RampartsError('BAD_EVENT', `${field} ${issue.code === 'invalid_type' || issue.code === 'too_small' ? 'is missing or malformed' : issue.message}: the alert function takes ActionTrail records (EventBridge events from acs.actiontrail, or a LookupEvents page)`);
  }
  const r = parsed.data;
  const u = r.userIdentity;
  return {
    eventId: r.eventId,
    eventName: r.eventName,
    eventType: r.eventType ?? 'ApiCall',
    eventTime: new Date(r.eventTime).toISOString(),
    serviceName: r.serviceName ?? '',
    acsRegion: str(r.acsRegion),
    sourceIpAddress: str(r.sourceIpAddress),
    userAgent: str(r.userAgent),
    errorCode: r.errorCode ?? '',
    accountId: str(r.recipientAccountId) ?? str(u.accountId),
    userIdentity: { type: u.type, accountId: str(u.accountId), principalId: str(u.principalId), userName: str(u.userName), accessKeyId: str(u.accessKeyId) },
    requestParameters: objectOf(r.requestParameters),
    responseElements: objectOf(r.responseElements),
    additionalEventData: objectOf(r.additionalEventData),
  };
}

/** What arrived: records, plus CloudEvents that were not ActionTrail's (named, then left alone). */
export interface ParsedAlertInput {
  records: TrailRecord[];
  ignored: string[];
}

function isCloudEvent(v: Record<string, unknown>): boolean {
  return 'specversion' in v && 'data' in v;
}

/** Every record in an alert function's event (see the module comment for the shapes). */
export function parseAlertInput(input: unknown): ParsedAlertInput {
  const out: ParsedAlertInput = { records: [], ignored: [] };
  const visit = (v: unknown, where: string): void => {
    if (Array.isArray(v)) {
      v.forEach((item, i) => visit(item, `${where}[${i}]`));
      return;
    }
    if (!v || typeof v !== 'object') throw new RampartsError('BAD_EVENT', `${where} is not an object: the alert function takes ActionTrail records`);
    const o = v as Record<string, unknown>;
    if (isCloudEvent(o)) {
      const type = typeof o.type === 'string' ? o.type : '';
      if (!type.startsWith('actiontrail:')) {
        out.ignored.push(`${where}: ${type || 'an event without a type'} from ${String(o.source ?? 'an unknown source')} is not an ActionTrail event`);
        return;
      }
      out.records.push(parseTrailRecord(typeof o.data === 'string' ? objectOf(o.data) : o.data, `${where}.data`));
      return;
    }
    if (Array.isArray(o.Events)) {
      o.Events.forEach((e, i) => out.records.push(parseTrailRecord(typeof e === 'string' ? objectOf(e) : e, `${where}.Events[${i}]`)));
      return;
    }
    out.records.push(parseTrailRecord(o, where));
  };
  visit(input, 'event');
  return out;
}
