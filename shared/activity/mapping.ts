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

/** Builds the mapping once per read, so per-event work is two lookups. */
export function createMapper(overrides: MappingOverrides = {}): {
  service(serviceName: string): string;
  action(event: { serviceName: string; eventName: string; eventType?: string | undefined }): string | null;
} {
  const services = new Map(Object.entries({ ...SERVICE_OVERRIDES, ...lowerKeys(overrides.services ?? {}) }));
  const actions = new Map(Object.entries({ ...ACTION_OVERRIDES, ...overrides.actions }));
  const service = (serviceName: string): string => {
    const lower = serviceName.trim().toLowerCase();
    return services.get(lower) ?? lower;
  };
  return {
    service,
    action({ serviceName, eventName, eventType }) {
      if (!serviceName || !eventName) return null;
      if (eventType !== undefined && !(AUTHORIZED_EVENT_TYPES as readonly string[]).includes(eventType)) return null;
      if (SIGN_IN_EVENTS.has(eventName) || SIGN_IN_SERVICES.has(serviceName.toLowerCase())) return null;
      const key = `${service(serviceName)}:${eventName}`;
      return actions.get(key) ?? key;
    },
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
