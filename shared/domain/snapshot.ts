/**
 * The account snapshot: everything a scan collected about one RAM account, as plain JSON-safe data.
 *
 * Fail-closed convention: `null` in a field such as `lastLoginDate` means "known to be absent" (never
 * logged on). Whether a value could be collected at all is carried separately — by the part status in
 * `parts` and, per entity, by `*Known` flags or a `null` list — so a rule can tell "none" from
 * "unknown" and return `unknown` instead of passing.
 */

/** Parts of a snapshot, each collected (or not) as a whole. */
export const SNAPSHOT_PARTS = [
  'account',
  'users',
  'credentialReport',
  'loginProfiles',
  'mfa',
  'accessKeys',
  'accessKeyUsage',
  'groups',
  'policies',
  'roles',
  'passwordPolicy',
  'securityPreference',
  'root',
  'trails',
  'secrets',
] as const;
export type SnapshotPart = (typeof SNAPSHOT_PARTS)[number];

/** Whether a part was collected completely; `error` says why not (no secrets). */
export interface PartStatus {
  complete: boolean;
  error?: string;
}

/** How user credentials were collected: one IMS credential report, or per-user calls above the report's limit. */
export const COLLECTION_MODES = ['credential-report', 'per-user'] as const;
export type CollectionMode = (typeof COLLECTION_MODES)[number];

export interface AccessKey {
  id: string;
  status: 'Active' | 'Inactive';
  createDate: string;
  /** Last use as reported by RAM/IMS; null = never used. */
  lastUsedDate: string | null;
  /** False when the last-used date could not be collected for this key (rules must return unknown). */
  lastUsedKnown: boolean;
}

export interface ConsoleLogin {
  /** Login profile status (IMS); a login profile may exist but be Inactive. */
  active: boolean;
  mfaBindRequired: boolean | null;
  passwordLastChanged: string | null;
}

export interface RamUser {
  id: string;
  /** RAM UserName (the part of the UPN before `@`). */
  name: string;
  /** IMS UserPrincipalName, `name@alias.onaliyun.com`. */
  principalName: string;
  displayName: string;
  email: string | null;
  createDate: string;
  /** Last console logon; null = never. */
  lastLoginDate: string | null;
  /** Console password; null = the user has no console access. `undefined` never appears. */
  console: ConsoleLogin | null;
  /** False when console/login data could not be collected for this user. */
  consoleKnown: boolean;
  mfa: { active: boolean; serialNumber: string | null };
  mfaKnown: boolean;
  /** Null when this user's keys could not be listed. */
  accessKeys: AccessKey[] | null;
  /** Names of the groups this user belongs to; null when group membership is unknown. */
  groups: string[] | null;
}

export interface RamGroup {
  id: string;
  name: string;
  comments: string;
  /** Null when the member listing failed. */
  members: string[] | null;
}

export const POLICY_TYPES = ['System', 'Custom'] as const;
export type PolicyType = (typeof POLICY_TYPES)[number];

export const PRINCIPAL_TYPES = ['user', 'group', 'role'] as const;
export type PrincipalType = (typeof PRINCIPAL_TYPES)[number];

export interface PolicyAttachment {
  principalType: PrincipalType;
  principalName: string;
  attachDate: string | null;
}

export interface RamPolicy {
  name: string;
  type: PolicyType;
  defaultVersion: string;
  attachmentCount: number;
  description: string;
  /** Raw JSON document of the default version (as RAM returns it: a string); null if not fetched. */
  document: string | null;
  /** Null when the attachment listing failed for this policy. */
  attachments: PolicyAttachment[] | null;
}

export interface RamRole {
  id: string;
  name: string;
  arn: string;
  description: string;
  maxSessionDuration: number;
  createDate: string;
  /** Raw AssumeRolePolicyDocument JSON string; null if it could not be read. */
  trustPolicy: string | null;
}

export interface RootCredential {
  /** Report slot ("access_key_1") or "key-N" when only a count is known. */
  slot: string;
  /** Null when only the number of root keys is known (per-user mode). */
  active: boolean | null;
  lastRotated: string | null;
  /** Last use; null = never (only when `lastUsedKnown`). */
  lastUsed: string | null;
  lastUsedKnown: boolean;
}

export interface RootAccount {
  /** Last console logon of the Alibaba Cloud account (root); null = never (only when `lastLoginKnown`). */
  lastLoginDate: string | null;
  /** False when the logon time could not be collected (it is only in the credential report). */
  lastLoginKnown: boolean;
  mfaActive: boolean | null;
  /** Access keys of the root account from the credential report. Null when unknown. */
  accessKeys: RootCredential[] | null;
}

export interface PasswordPolicy {
  minimumPasswordLength: number;
  requireLowercaseCharacters: boolean;
  requireUppercaseCharacters: boolean;
  requireNumbers: boolean;
  requireSymbols: boolean;
  hardExpiry: boolean;
  maxPasswordAge: number;
  passwordReusePrevention: number;
  maxLoginAttempts: number;
}

export interface SecurityPreference {
  allowUserToManageAccessKeys: boolean | null;
  allowUserToManageMFADevices: boolean | null;
  enableSaveMFATicket: boolean | null;
  loginNetworkMasks: string | null;
  loginSessionDuration: number | null;
}

/** ActionTrail event kinds a trail records (DescribeTrails `EventRW`). */
export const TRAIL_EVENT_RW = ['Read', 'Write', 'All'] as const;
export type TrailEventRW = (typeof TRAIL_EVENT_RW)[number];

/**
 * An ActionTrail trail (DescribeTrails 2020-07-06, plus GetTrailStatus). Destinations are null when the
 * trail does not deliver there.
 */
export interface Trail {
  name: string;
  homeRegion: string;
  /** Regions the trail records: `All`, or one region id. */
  trailRegion: string;
  eventRW: TrailEventRW;
  /** A Resource Directory (multi-account) trail, created in the management account. */
  isOrganizationTrail: boolean;
  /** DescribeTrails `Status` (`Enable`, `Disable`, `Fresh` for never started). */
  status: string;
  ossBucketName: string | null;
  ossKeyPrefix: string | null;
  /** `acs:log:<region>:<account>:project/<name>`. */
  slsProjectArn: string | null;
  maxComputeProjectArn: string | null;
  /** GetTrailStatus `IsLogging`; null when the status could not be read (rules say unknown). */
  isLogging: boolean | null;
  /** GetTrailStatus `LatestDeliveryError` / `LatestDeliveryLogServiceError`, empty when none. */
  latestDeliveryError: string | null;
  /** Last successful delivery to OSS or SLS, whichever is later (ISO); null = never or unknown. */
  latestDeliveryTime: string | null;
}

/** KMS Secrets Manager automatic rotation setting (DescribeSecret `AutomaticRotation`). */
export const SECRET_ROTATION = ['Enabled', 'Disabled', 'Invalid'] as const;
export type SecretRotation = (typeof SECRET_ROTATION)[number];

/** A KMS Secrets Manager secret's metadata (ListSecrets + DescribeSecret, KMS 2016-01-20). Never its value. */
export interface Secret {
  name: string;
  arn: string;
  /** `Generic`, `Rds`, `RAMCredentials`, `ECS`, `Redis`, `PolarDB`. */
  type: string;
  createTime: string;
  /** `Invalid` for a type that cannot rotate automatically (Generic). Null when DescribeSecret failed. */
  automaticRotation: SecretRotation | null;
  /** Automatic rotation interval in days; null when not set or unknown. */
  rotationIntervalDays: number | null;
  lastRotationDate: string | null;
  nextRotationDate: string | null;
  /** Scheduled deletion time; null when the secret is not scheduled for deletion. */
  plannedDeleteTime: string | null;
  /** Tags (`TagKey` → `TagValue`); the owner may be one (rule param `ownerTag`). */
  tags: Record<string, string>;
  /** False when DescribeSecret failed for this secret (its rotation data is unknown). */
  detailKnown: boolean;
}

/** How the scanned account sits in a Resource Directory (multi-account scans in resource-directory mode). */
export interface OrganizationInfo {
  /** The Resource Directory's management account. */
  managementAccountId: string;
}

export interface AccountSnapshot {
  account: { id: string; alias: string | null };
  /** Set when the scan ran over a Resource Directory; trails then must include a multi-account trail. */
  organization?: OrganizationInfo;
  collectedAt: string;
  mode: CollectionMode;
  parts: Record<SnapshotPart, PartStatus>;
  root: RootAccount;
  users: RamUser[];
  groups: RamGroup[];
  policies: RamPolicy[];
  roles: RamRole[];
  passwordPolicy: PasswordPolicy | null;
  securityPreference: SecurityPreference | null;
  /** ActionTrail trails visible to the account (its own and Resource Directory trails). */
  trails: Trail[];
  /** KMS Secrets Manager secrets in the scanned region. */
  secrets: Secret[];
}

/**
 * Parts about the account's surroundings rather than its identities (ActionTrail trails, KMS secrets).
 * Their absence makes their own rules unknown (rule `requires`) but does not make the identity data
 * partial: an account that does not grant ramparts `kms:ListSecrets` still gets its identity reviews.
 */
export const CONTEXT_PARTS: readonly SnapshotPart[] = ['trails', 'secrets'];

/** True when an identity part failed: such a scan proposes no revocation and closes no task. */
export function isPartial(snapshot: Pick<AccountSnapshot, 'parts'>): boolean {
  return Object.entries(snapshot.parts).some(([part, p]) => !p.complete && !CONTEXT_PARTS.includes(part as SnapshotPart));
}

/** A snapshot with every part marked complete and nothing in it; tests and builders start from here. */
export function emptySnapshot(at: string, account = { id: '0', alias: null as string | null }): AccountSnapshot {
  const parts = Object.fromEntries(SNAPSHOT_PARTS.map((p) => [p, { complete: true }])) as Record<
    SnapshotPart,
    PartStatus
  >;
  return {
    account,
    collectedAt: at,
    mode: 'credential-report',
    parts,
    root: { lastLoginDate: null, lastLoginKnown: true, mfaActive: true, accessKeys: [] },
    users: [],
    groups: [],
    policies: [],
    roles: [],
    passwordPolicy: null,
    securityPreference: null,
    trails: [],
    secrets: [],
  };
}
