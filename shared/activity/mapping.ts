/**
 * ActionTrail event → RAM action (`ecs:DescribeInstances`). The RAM service code is the lower-cased
 * `serviceName` of the event except where an override says otherwise; a few APIs are authorized under
 * an action name other than the API's own, which the action table maps (reference §4.3).
 */

/** Event types that are calls authorized by RAM (reference §4.3); sign-ins and service events are not. */
export const AUTHORIZED_EVENT_TYPES = ['ApiCall', 'ConsoleOperation'] as const;

/** Sign-in services: their events prove an identity was active but map to no RAM action. */
const SIGN_IN_SERVICES = new Set(['aassub', 'aascustomer']);
const SIGN_IN_EVENTS = new Set(['ConsoleSignin', 'ConsoleSignout']);

/**
 * `serviceName` (lower-cased) → RAM service code, where the two differ. UNVERIFIED spellings: the
 * reference names these codes (SLS authorizes as `log`, IMS as `ram`) but not the exact `serviceName`
 * ActionTrail writes for them; extend through {@link MappingOverrides.services}.
 */
export const SERVICE_OVERRIDES: Readonly<Record<string, string>> = {
  sls: 'log',
  log: 'log',
  ims: 'ram',
  containerservice: 'cs',
  ack: 'cs',
};

/**
 * `<service>:<EventName>` (service already mapped) → RAM action, for APIs whose RAM action differs
 * from the API name. Empty by default: the reference lists no verified exception.
 */
export const ACTION_OVERRIDES: Readonly<Record<string, string>> = {};

/** Caller-supplied additions to the tables above; they win over the defaults. */
export interface MappingOverrides {
  services?: Record<string, string>;
  actions?: Record<string, string>;
}

/** An event's RAM action and its service code (`ecs:DescribeInstances`, `ecs`). */
export interface MappedAction {
  action: string;
  service: string;
}

/** Builds the mapping once per read, so per-event work is a cached lookup. */
export function createMapper(overrides: MappingOverrides = {}): {
  service(serviceName: string): string;
  action(event: { serviceName: string; eventName: string; eventType?: string | undefined }): string | null;
  /** {@link action} with the service code too; results are cached per service and event name. */
  map(serviceName: string, eventName: string, eventType?: string): MappedAction | null;
} {
  const services = new Map(Object.entries({ ...SERVICE_OVERRIDES, ...lowerKeys(overrides.services ?? {}) }));
  const actions = new Map(Object.entries({ ...ACTION_OVERRIDES, ...overrides.actions }));
  const service = (serviceName: string): string => {
    const lower = serviceName.trim().toLowerCase();
    return services.get(lower) ?? lower;
  };
  // serviceName → eventName → mapping: an account uses a few hundred distinct APIs, so after the
  // first events every lookup is two map hits and no string is built.
  const cache = new Map<string, Map<string, MappedAction | null>>();
  const compute = (serviceName: string, eventName: string): MappedAction | null => {
    if (!serviceName || !eventName) return null;
    if (SIGN_IN_EVENTS.has(eventName) || SIGN_IN_SERVICES.has(serviceName.toLowerCase())) return null;
    const code = service(serviceName);
    const key = `${code}:${eventName}`;
    const action = actions.get(key) ?? key;
    return { action, service: action.slice(0, action.indexOf(':')) };
  };
  const map = (serviceName: string, eventName: string, eventType?: string): MappedAction | null => {
    if (eventType !== undefined && !(AUTHORIZED_EVENT_TYPES as readonly string[]).includes(eventType)) return null;
    let byEvent = cache.get(serviceName);
    if (!byEvent) cache.set(serviceName, (byEvent = new Map()));
    let mapped = byEvent.get(eventName);
    if (mapped === undefined) byEvent.set(eventName, (mapped = compute(serviceName, eventName)));
    return mapped;
  };
  return {
    service,
    action: ({ serviceName, eventName, eventType }) => map(serviceName, eventName, eventType)?.action ?? null,
    map,
  };
}

/** The RAM action an event exercised, or null when it is no authorized call (sign-in, service event). */
export function eventAction(
  event: { serviceName: string; eventName: string; eventType?: string | undefined },
  overrides?: MappingOverrides,
): string | null {
  return createMapper(overrides).action(event);
}

function lowerKeys(table: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(table).map(([k, v]) => [k.toLowerCase(), v]));
}
