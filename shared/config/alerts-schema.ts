/**
 * The `alerts` section: real-time alerts on high-risk identity events (shared/alerts) and the
 * automated responses a deployment allows. A response is one of a few emergency actions, each only for
 * the alert types it can answer; everything else is an alert for people to act on.
 */
import { z } from 'zod';

/** Alert types (shared/alerts/classify.ts). */
export const ALERT_TYPES = ['root-console-logon', 'root-access-key', 'mfa-removed', 'permission-expanded', 'access-key-created', 'console-logon-new-location'] as const;
export type AlertType = (typeof ALERT_TYPES)[number];

/**
 * The emergency actions each alert type may take on its own, all reversible through the rollback flow.
 * Root alerts have none: RAM cannot change the root account.
 */
export const ALERT_RESPONSES = {
  'access-key-created': ['none', 'deactivate-access-key'],
  'console-logon-new-location': ['none', 'disable-console-login'],
  'mfa-removed': ['none', 'disable-console-login'],
  'permission-expanded': ['none', 'detach-policy'],
} as const satisfies Partial<Record<AlertType, readonly string[]>>;
export type RespondingAlert = keyof typeof ALERT_RESPONSES;
export type AlertResponse = (typeof ALERT_RESPONSES)[RespondingAlert][number];

const intIn = (min: number, max: number) =>
  z.number({ error: `must be a whole number from ${min} to ${max}` }).int({ error: `must be a whole number from ${min} to ${max}` }).min(min, { error: `must be at least ${min}` }).max(max, { error: `must be at most ${max}` });

const response = <K extends RespondingAlert>(type: K) =>
  z.enum(ALERT_RESPONSES[type], { error: `must be one of ${ALERT_RESPONSES[type].join(', ')} (the emergency actions allowed for ${type} alerts)` }).default('none');

export const alertsSchema = z.strictObject({
  /** Alerts of one type about one identity posted per hour; the rest are recorded, not posted. */
  rateLimitPerHour: intIn(1, 100).default(5),
  /** A console logon from a network (/24, /48 for IPv6) not seen for that identity in this many days alerts. */
  newLocationDays: intIn(1, 365).default(90),
  /**
   * Principals whose access-key creation is expected (a provisioning pipeline): RAM user names or role
   * names, compared case-insensitively. Their keys are recorded, not alerted on or deactivated.
   */
  trustedKeyCreators: z.array(z.string().trim().min(1, { error: 'must be a RAM user or role name' })).default([]),
  /** Automated response per alert type (default none): the plan is applied by the apply function. */
  responses: z
    .strictObject({
      'access-key-created': response('access-key-created'),
      'console-logon-new-location': response('console-logon-new-location'),
      'mfa-removed': response('mfa-removed'),
      'permission-expanded': response('permission-expanded'),
    })
    .prefault({}),
});
export type AlertsConfig = z.output<typeof alertsSchema>;
