/**
 * Documented defaults. `OPTION_DOCS` describes every option; a test checks it covers every leaf of
 * `DEFAULTS`, so the README table rendered from it cannot drift from the schema.
 */
import { ENV_VARS } from './env.js';
import { buildConfigSchema, type Config, type Service } from './schema.js';

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** The configuration used when no file or environment says otherwise (frozen: copy before changing). */
export const DEFAULTS: Config = deepFreeze(buildConfigSchema([]).parse({}));

export interface OptionDoc {
  /** Dotted path, e.g. `cloud.regionId`. */
  path: string;
  description: string;
  /** Environment variable that overrides it. */
  env?: keyof typeof ENV_VARS;
}

const SERVICE_NAMES: Record<Service, string> = {
  ram: 'RAM',
  ims: 'IMS',
  sts: 'STS',
  actiontrail: 'ActionTrail',
  resourcemanager: 'ResourceManager (Resource Directory member listing)',
  kms: 'KMS (Secrets Manager secret metadata; regional, `kms.<regionId>.aliyuncs.com`)',
};

/** One entry per option, in the order the example config presents them. */
export const OPTION_DOCS: readonly OptionDoc[] = [
  { path: 'account.name', description: 'Display name of the account in reports; the account alias is used when null.' },
  {
    path: 'accounts.mode',
    description:
      '`single` scans the account the credentials belong to; `list` scans `accounts.members`; `resource-directory` scans the members ResourceManager ListAccounts returns (call it with the management account). Members are scanned by assuming a read-only role in each (STS AssumeRole).',
  },
  { path: 'accounts.members', description: 'Member accounts: `id` (16 digits, quoted), optional `name`, optional `roleArn` (default from `accounts.roleName`). Required for `list`; in `resource-directory` mode they name or override discovered accounts.' },
  { path: 'accounts.roleName', description: 'Role assumed in each member: `acs:ram::<member id>:role/<roleName>`; it must trust the scanning account (or identity) and grant read-only RAM/IMS/ActionTrail/KMS-metadata access (templates/ram-policy-scan.json).' },
  { path: 'accounts.applyRoleName', description: 'Role the apply function assumes in a member to carry out an approved revocation there: `acs:ram::<member id>:role/<applyRoleName>`, with the policy templates/ram-policy-apply.json, trusting the account ramparts runs in.' },
  { path: 'accounts.concurrency', description: 'Member accounts scanned at once (1–32); each scan keeps its own `cloud.concurrency` limit.' },
  { path: 'accounts.include', description: '`resource-directory` only: scan just these account ids (empty = every active member).' },
  { path: 'accounts.exclude', description: '`resource-directory` only: never scan these account ids.' },
  { path: 'cloud.regionId', description: 'Region used for API calls and for ActionTrail.', env: 'RAMPARTS_REGION' },
  { path: 'cloud.protocol', description: '`https` or `http` (http only for a local emulator).', env: 'RAMPARTS_CLOUD_ENDPOINT' },
  ...Object.entries(SERVICE_NAMES).map(
    ([service, name]): OptionDoc => ({
      path: `cloud.endpoints.${service}`,
      description: `Endpoint override for ${name}, \`host\` or \`host:port\` without scheme; null uses the public endpoint.`,
      env: 'RAMPARTS_CLOUD_ENDPOINT',
    }),
  ),
  { path: 'cloud.concurrency', description: 'Most API calls in flight at once (1–64).' },
  { path: 'cloud.maxAttempts', description: 'Attempts per API call including the first (1–20).' },
  { path: 'cloud.retryBaseDelayMs', description: 'Delay before the first retry, in ms; later retries wait longer, up to `cloud.retryMaxDelayMs`.' },
  { path: 'cloud.retryMaxDelayMs', description: 'Longest delay between retries, in ms.' },
  { path: 'cloud.connectTimeoutMs', description: 'TCP connect timeout per call, in ms.' },
  { path: 'cloud.readTimeoutMs', description: 'Response timeout per call, in ms (credential reports can be slow).' },
  { path: 'scan.credentialReport.enabled', description: 'Collect user credentials from one IMS credential report instead of per-user calls.' },
  { path: 'scan.credentialReport.maxUsers', description: 'Above this many users the scan falls back to per-user calls (IMS report limit).' },
  { path: 'scan.credentialReport.pollIntervalMs', description: 'How often to poll while the report is being generated, in ms.' },
  { path: 'scan.credentialReport.timeoutMs', description: 'Stop waiting for the report to be generated after this long, in ms.' },
  { path: 'activity.source', description: 'Where identity activity comes from: `actiontrail` (LookupEvents, 90 days), `sls` or `oss` (a trail’s delivery), or `none` (usage-based rules report unknown).' },
  { path: 'activity.lookbackDays', description: 'How far back the usage index reaches, in days (1–365); each rule’s own lookback is its param.' },
  { path: 'activity.retentionDays', description: 'Days of history the source keeps (ActionTrail: 90); a first or late read starts no further back.' },
  { path: 'activity.globalEvents', description: 'Also read global-service events (RAM, STS, sign-in) from the region GetGlobalEventsStorageRegion names, when it is not `cloud.regionId`.' },
  { path: 'activity.sls', description: 'Required when `activity.source` is `sls`: `project`, `logstore` (the trail’s, e.g. `actiontrail_<trail>`), optional `endpoint` (`host`).' },
  { path: 'activity.oss', description: 'Required when `activity.source` is `oss`: `bucket`, `region` (the bucket’s), optional `prefix` (the trail’s OssKeyPrefix), `regions` (whose logs to read; empty = `cloud.regionId`).' },
  { path: 'rules', description: 'Per rule id: `enabled`, `severity` override and `params` (checked against the rule).' },
  {
    path: 'exclusions',
    description:
      'Accepted findings: `pattern` (glob on the subject name), optional `types` and `rules` (ids or globs), required `reason`, optional `expires` (YYYY-MM-DD, last day it applies).',
  },
  { path: 'people', description: 'People who own identities or approve: `id`, `name`, `email`, `slack` (member id), `dingtalk` (userId), `manager` (person id), `groups`.' },
  { path: 'owners', description: 'Ownership rules, first match wins: `pattern` (glob on the identity name; an access key also matches its user), optional `types`, `owner` (person id or `group:<name>`).' },
  { path: 'review.securityGroup', description: 'Group that gets orphaned identities, "not mine" answers and deadline escalations.' },
  { path: 'review.dueDays', description: 'Days an owner has to answer a prompt.' },
  { path: 'review.reminderOffsetsDays', description: 'Reminder days relative to the due date (negative = before); daily after it.' },
  { path: 'review.graceDays', description: 'Days after the due date (the manager decides) before the deadline action.' },
  { path: 'review.attestSeverities', description: 'A keep on findings of these severities needs the manager’s attestation.' },
  { path: 'review.maxSnoozeDays', description: 'Longest "I’ll fix it by" an owner may choose.' },
  { path: 'review.deadlineActions', description: 'Per rule id: `request-revocation`, `escalate-to-security` or `none` at the deadline (never applies a change).' },
  { path: 'review.defaultDeadlineAction', description: 'Deadline action for rules not listed in `review.deadlineActions`.' },
  { path: 'chat.kind', description: '`console`, `slack` or `dingtalk`; secrets come from the environment (see "Chat setup").' },
  { path: 'chat.slack.securityChannel', description: 'Slack channel id (C…) for security notices.' },
  { path: 'chat.dingtalk.robotCode', description: 'DingTalk robot code that delivers cards to 1:1 chats.' },
  { path: 'chat.dingtalk.cardTemplateId', description: 'DingTalk interactive card template id (see templates/chat/dingtalk-card-template.md).' },
  { path: 'chat.buttonTtlDays', description: 'Days a prompt’s buttons stay valid.' },
  { path: 'remediation.mode', description: '`observe` (default) records what it would do and never calls a RAM write API; `enforce` applies approved plans.' },
  { path: 'remediation.approversGroup', description: 'Group whose members may approve revocations besides the owner’s manager.' },
  { path: 'remediation.maxRevocationsPerRun', description: 'Blast radius: most plans applied in one run.' },
  { path: 'remediation.deleteKeyAfterInactiveDays', description: 'delete-access-key only after the key has been Inactive this long, unused since.' },
  { path: 'remediation.rollbackWindowDays', description: 'How long the rollback button on an applied card stays valid.' },
  { path: 'remediation.protectedPrincipals.breakGlassUsers', description: 'RAM users never revoked, whoever approves (the root account always is).' },
  { path: 'remediation.protectedPrincipals.roleArns', description: 'Roles never revoked, by ARN (ramparts’ own roles).' },
  { path: 'alerts.rateLimitPerHour', description: 'Alerts of one type about one identity posted per hour; the rest are recorded in the ledger, not posted.' },
  { path: 'alerts.newLocationDays', description: 'A console logon from a network (IPv4 /24, IPv6 /48) not seen for that identity in this many days alerts.' },
  { path: 'alerts.trustedKeyCreators', description: 'RAM user or role names whose access-key creation is expected (a provisioning pipeline): recorded, not alerted on or deactivated.' },
  { path: 'alerts.responses.access-key-created', description: '`none` or `deactivate-access-key`: deactivate a key created by anyone outside `trustedKeyCreators`.' },
  { path: 'alerts.responses.console-logon-new-location', description: '`none` or `disable-console-login`: disable the user’s console logon after a logon from a new network.' },
  { path: 'alerts.responses.mfa-removed', description: '`none` or `disable-console-login`: disable the console logon of a user whose MFA device was removed.' },
  { path: 'alerts.responses.permission-expanded', description: '`none` or `detach-policy`: detach a full-admin or privilege-management policy just attached.' },
  { path: 'store.dataDir', description: 'Embedded PostgreSQL (PGlite) folder, used when `DATABASE_URL` is not set.' },
  { path: 'logLevel', description: 'fatal, error, warn, info, debug, trace or silent.', env: 'RAMPARTS_LOG_LEVEL' },
];

/** The value at a dotted path of DEFAULTS. */
export function defaultAt(path: string): unknown {
  let value: unknown = DEFAULTS;
  for (const key of path.split('.')) {
    value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  }
  return value;
}

const cell = (text: string): string => text.replace(/\|/g, '\\|');

/** The defaults as a Markdown table (option, default, environment variable, meaning) for the README. */
export function renderDefaultsDoc(): string {
  const rows = OPTION_DOCS.map(
    (doc) => `| \`${doc.path}\` | \`${cell(JSON.stringify(defaultAt(doc.path)))}\` | ${doc.env ? `\`${doc.env}\`` : ''} | ${cell(doc.description)} |`,
  );
  const env = Object.entries(ENV_VARS).map(([name, sets]) => `- \`${name}\`: ${sets}`);
  return [
    '| Option | Default | Environment | Meaning |',
    '|---|---|---|---|',
    ...rows,
    '',
    'Precedence: defaults < config file < environment. Environment variables:',
    '',
    ...env,
    '',
  ].join('\n');
}
