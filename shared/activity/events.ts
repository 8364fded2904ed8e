/**
 * ActionTrail event records → the facts the usage index needs: who (identities), what (RAM action and
 * service), when, whether the call was allowed, and where it came from (address, client). Records are free-form camelCase maps (reference
 * §4.2); only the fields read here are checked and unknown fields are ignored.
 */
import { z } from 'zod';
import { createMapper, type MappingOverrides } from './mapping.js';

/** Kinds of identity the usage index tracks. */
export const IDENTITY_TYPES = ['user', 'role', 'accessKey', 'root'] as const;
export type IdentityType = (typeof IDENTITY_TYPES)[number];

/** A RAM user (by name), a RAM role (by name), an access key (by id) or the account itself (name ignored). */
export interface Identity {
  type: IdentityType;
  name: string;
}

/** One event, reduced. `action`/`service` are null for sign-ins and service events (no RAM action). */
export interface ActivityEvent {
  id: string;
  /** Epoch milliseconds of `eventTime`. */
  time: number;
  action: string | null;
  service: string | null;
  identities: Identity[];
  /** Refused by RAM (`NoPermission`, `Forbidden.RAM`…): the permission was not used, only wanted. */
  denied: boolean;
  /**
   * Where the call came from: `sourceIpAddress`, `userAgent` and `vpcId` as recorded ('' when the record
   * has none). Absent when the source gives no per-call origin (SLS aggregate rows): the index then
   * records nothing about where the identity called from.
   */
  sourceIp?: string;
  userAgent?: string;
  vpcId?: string;
}

const UserIdentity = z.looseObject({
  type: z.string().optional(),
  principalId: z.string().optional(),
  userName: z.string().optional(),
  accessKeyId: z.string().optional(),
  arn: z.string().optional(),
});

/** The fields read; everything else in the record passes untouched. */
export const EventRecord = z.looseObject({
  eventId: z.string().min(1),
  eventTime: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'eventTime is not a date'),
  eventName: z.string().default(''),
  eventType: z.string().optional(),
  serviceName: z.string().default(''),
  errorCode: z.string().nullish(),
  userIdentity: UserIdentity.optional(),
});
export type EventRecord = z.output<typeof EventRecord>;

/**
 * Error codes that mean "not allowed" (reference §4.3 names `NoPermission` and `Forbidden.RAM`; the
 * other prefixes are the usual Alibaba Cloud authentication and authorization failures, UNVERIFIED for
 * ActionTrail records). Any other error still passed authorization, so the permission was used.
 */
const DENIED = /^(NoPermission|Forbidden|AccessDenied|NotAuthorized|InvalidAccessKeyId|SignatureDoesNotMatch|InvalidSecurityToken)/i;

/** Whether `errorCode` records a call RAM refused. */
export function isDenied(errorCode: string | null | undefined): boolean {
  return !!errorCode && DENIED.test(errorCode);
}

/** Role name from an assumed-role identity: `arn` (`…:assumed-role/<role>/<session>`), else `userName` (`<role>:<session>`). */
function roleName(u: z.output<typeof UserIdentity>): string | undefined {
  const fromArn = u.arn && /:assumed-role\/([^/]+)/.exec(u.arn)?.[1];
  if (fromArn) return fromArn;
  const name = u.userName?.split(':')[0];
  return name || undefined;
}

/**
 * Identities an event is evidence of use for. A RAM user by `userName` (its `principalId` is the user
 * id, not the name, so an event without `userName` credits only its key); a role through `assumed-role`
 * sessions; the account for `root-account`; a long-term access key by `accessKeyId` (STS tokens,
 * `STS.…`, are per session and credit the role instead).
 */
export function identitiesOf(record: Pick<EventRecord, 'userIdentity'>): Identity[] {
  const u = record.userIdentity;
  if (!u) return [];
  const out: Identity[] = [];
  switch (u.type) {
    case 'ram-user':
      if (u.userName) out.push({ type: 'user', name: u.userName });
      break;
    case 'assumed-role': {
      const role = roleName(u);
      if (role) out.push({ type: 'role', name: role });
      break;
    }
    case 'root-account':
      out.push({ type: 'root', name: 'root' });
      break;
    default:
      // `system`, service-linked and unknown types are no RAM identity of the account.
      break;
  }
  if (u.accessKeyId && !u.accessKeyId.startsWith('STS.') && (u.type === 'ram-user' || u.type === 'root-account')) {
    out.push({ type: 'accessKey', name: u.accessKeyId });
  }
  return out;
}

/** Outcome of parsing one record: the event, or why it was skipped. */
export type ParseResult = { ok: true; event: ActivityEvent } | { ok: false; reason: string };

/**
 * Reads the fields an event needs with plain type checks: zod's object parsing costs more than the
 * rest of the ingestion together (bench/activity.ts), and a million-event read spends it on every
 * record. A record the fast path cannot read goes through {@link EventRecord} for the error message
 * naming the field, so both paths accept and refuse the same records.
 */
function readFast(raw: unknown): EventRecord | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Record<string, unknown>;
  const { eventId, eventTime, eventName = '', eventType, serviceName = '', errorCode, userIdentity } = r;
  if (typeof eventId !== 'string' || eventId === '' || typeof eventTime !== 'string') return null;
  if (typeof eventName !== 'string' || typeof serviceName !== 'string') return null;
  if (eventType !== undefined && typeof eventType !== 'string') return null;
  if (errorCode !== undefined && errorCode !== null && typeof errorCode !== 'string') return null;
  if (userIdentity !== undefined) {
    if (typeof userIdentity !== 'object' || userIdentity === null || Array.isArray(userIdentity)) return null;
    const u = userIdentity as Record<string, unknown>;
    for (const f of ['type', 'principalId', 'userName', 'accessKeyId', 'arn'] as const) {
      if (u[f] !== undefined && typeof u[f] !== 'string') return null;
    }
  }
  return r as EventRecord;
}

/** A parser with its mapping tables built once. */
export function createEventParser(overrides?: MappingOverrides): (raw: unknown) => ParseResult {
  const mapper = createMapper(overrides);
  return (raw) => {
    let r = readFast(raw);
    const time = r ? Date.parse(r.eventTime) : NaN;
    if (!r || Number.isNaN(time)) {
      const parsed = EventRecord.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return { ok: false, reason: `${issue?.path.join('.') || 'event'}: ${issue?.message ?? 'invalid'}` };
      }
      r = parsed.data;
    }
    const mapped = mapper.map(r.serviceName ?? '', r.eventName ?? '', r.eventType);
    // Origin fields are read, not validated: an odd value costs the origin, never the event.
    const { sourceIpAddress, userAgent, vpcId } = r as Record<string, unknown>;
    return {
      ok: true,
      event: {
        id: r.eventId,
        time: Number.isNaN(time) ? Date.parse(r.eventTime) : time,
        action: mapped?.action ?? null,
        service: mapped?.service ?? null,
        identities: identitiesOf(r),
        denied: isDenied(r.errorCode),
        sourceIp: typeof sourceIpAddress === 'string' ? sourceIpAddress : '',
        userAgent: typeof userAgent === 'string' ? userAgent : '',
        vpcId: typeof vpcId === 'string' ? vpcId : '',
      },
    };
  };
}

/** Parses one record (builds the mapping each call; use {@link createEventParser} in loops). */
export function parseEvent(raw: unknown, overrides?: MappingOverrides): ParseResult {
  return createEventParser(overrides)(raw);
}

/** The index key of an identity: `user:<name>`, `role:<name>` (lower-cased, as RAM role ARNs are), `accessKey:<id>`, `root`. */
export function identityKey(identity: Identity): string {
  switch (identity.type) {
    case 'root':
      return 'root';
    case 'role':
      return `role:${identity.name.toLowerCase()}`;
    default:
      return `${identity.type}:${identity.name}`;
  }
}
