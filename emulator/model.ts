/**
 * Records of the emulated account's model (see `state.ts`). Dates are `Date`s resolved against the
 * emulator's clock when the scenario was loaded; documents are the JSON strings RAM returns.
 */

/** Status of an access key or a console login profile. */
export type KeyStatus = 'Active' | 'Inactive';
/** System (Alibaba-managed) or Custom (the account's own) policy. */
export type PolicyType = 'System' | 'Custom';
/** What a policy can be attached to. */
export type PrincipalType = 'user' | 'group' | 'role';

/** An access key of a RAM user or of the account (root). */
export interface KeyRecord {
  id: string;
  /** Only keys with a secret can sign requests to the emulator. */
  secret: string | undefined;
  status: KeyStatus;
  createDate: Date;
  updateDate: Date;
  lastUsedDate: Date | null;
  lastUsedService: string | null;
  /** Owning RAM user name; `null` = the Alibaba Cloud account (root). */
  owner: string | null;
}

/** A deleted access key waiting in its user's recycle bin (IMS ListAccessKeysInRecycleBin). */
export interface RecycledKeyRecord {
  key: KeyRecord;
  /** When it was deleted. */
  recycleDate: Date;
  /** When the bin purges it for good: 30 days after `recycleDate`. */
  deleteDate: Date;
}

/** A console password (login profile). */
export interface LoginProfileRecord {
  status: KeyStatus;
  mfaBindRequired: boolean;
  passwordResetRequired: boolean;
  createDate: Date;
  updateDate: Date;
  passwordLastChanged: Date;
}

/** A bound virtual MFA device. */
export interface MfaRecord {
  serialNumber: string;
  activateDate: Date;
}

/** A RAM user. */
export interface UserRecord {
  id: string;
  name: string;
  displayName: string;
  email: string;
  mobilePhone: string;
  comments: string;
  createDate: Date;
  updateDate: Date;
  lastLoginDate: Date | null;
  loginProfile: LoginProfileRecord | null;
  mfa: MfaRecord | null;
  /** Ordered by creation date (the credential report's access_key_1/2 order). */
  keys: KeyRecord[];
  /** Group name → join date. */
  groups: Map<string, Date>;
}

/** A RAM group. */
export interface GroupRecord {
  id: string;
  name: string;
  comments: string;
  createDate: Date;
  updateDate: Date;
  /** User name → join date. */
  members: Map<string, Date>;
}

/** One version of a policy. */
export interface PolicyVersionRecord {
  versionId: string;
  /** The document exactly as RAM returns it: a JSON string. */
  document: string;
  createDate: Date;
}

/** A System or Custom policy with its versions. */
export interface PolicyRecord {
  name: string;
  type: PolicyType;
  description: string;
  createDate: Date;
  updateDate: Date;
  defaultVersion: string;
  versions: PolicyVersionRecord[];
}

/** A RAM role. */
export interface RoleRecord {
  id: string;
  name: string;
  arn: string;
  description: string;
  maxSessionDuration: number;
  createDate: Date;
  updateDate: Date;
  /** AssumeRolePolicyDocument, a JSON string. */
  trustPolicy: string;
}

/** A policy attached to a user, group or role. */
export interface Attachment {
  principalType: PrincipalType;
  principalName: string;
  policyType: PolicyType;
  policyName: string;
  attachDate: Date;
}

/** The Alibaba Cloud account. */
export interface AccountRecord {
  id: string;
  alias: string | null;
  /** UPN suffix, `<alias>.onaliyun.com` unless the scenario sets one. */
  defaultDomain: string;
  createDate: Date;
}

/** Credentials and sign-in state of the account itself (root). */
export interface RootRecord {
  mfa: boolean;
  lastLoginDate: Date | null;
  keys: KeyRecord[];
}

/** The account's password policy for RAM users. */
export interface PasswordPolicyRecord {
  minimumPasswordLength: number;
  requireLowercaseCharacters: boolean;
  requireUppercaseCharacters: boolean;
  requireNumbers: boolean;
  requireSymbols: boolean;
  hardExpiry: boolean;
  maxPasswordAge: number;
  passwordReusePrevention: number;
  maxLoginAttempts: number;
  minimumPasswordDifferentCharacter: number;
  passwordNotContainUserName: boolean;
}

/** The account's security preferences for RAM users. */
export interface SecurityPreferenceRecord {
  allowUserToManageAccessKeys: boolean;
  allowUserToManageMFADevices: boolean;
  allowUserToChangePassword: boolean;
  enableSaveMFATicket: boolean;
  loginNetworkMasks: string;
  loginSessionDuration: number;
}

/** An ActionTrail event record as LookupEvents returns it, with its sort keys. */
export interface TrailEventRecord {
  id: string;
  /** `eventTime` in epoch milliseconds (whole seconds, as the wire carries it). */
  time: number;
  /** The camelCase record (reference §4.2). */
  record: Record<string, unknown>;
}

/** ActionTrail trail status: `Fresh` = created, never started logging (DescribeTrails `Status`). */
export const TRAIL_STATUSES = ['Enable', 'Disable', 'Fresh'] as const;
export type TrailStatus = (typeof TRAIL_STATUSES)[number];
/** Which events a trail delivers (DescribeTrails `EventRW`). */
export const EVENT_RW = ['Read', 'Write', 'All'] as const;
export type EventRW = (typeof EVENT_RW)[number];

/** Where a trail delivers: an OSS bucket, a Log Service project or a MaxCompute project. */
export interface TrailDestination {
  /** Bucket name (OSS) or project ARN (SLS, MaxCompute). */
  target: string;
  /** OSS only: the bucket's region as `oss-<region>`; the key prefix. */
  location: string;
  prefix: string;
  /** The role ActionTrail assumes to write there. */
  writeRoleArn: string;
  /** GetTrailStatus `OssBucketStatus` / `SlsLogStoreStatus`: the destination accepts deliveries. */
  available: boolean;
}

/** An ActionTrail trail of the account (DescribeTrails, GetTrailStatus). */
export interface TrailRecord {
  name: string;
  homeRegion: string;
  /** `All` or one region id. */
  trailRegion: string;
  eventRW: EventRW;
  /** A multi-account trail of the Resource Directory (`IsOrganizationTrail`). */
  organization: boolean;
  status: TrailStatus;
  oss: TrailDestination | null;
  sls: TrailDestination | null;
  maxCompute: TrailDestination | null;
  createDate: Date;
  updateDate: Date;
  startLoggingDate: Date | null;
  stopLoggingDate: Date | null;
  /** Last successful delivery; null = never delivered. */
  lastDeliveryDate: Date | null;
  /** Last delivery failure's log line; empty when deliveries succeed. */
  deliveryError: string;
}

/**
 * KMS secret types (DescribeSecret `SecretType`): the SDK model lists Generic, Rds, RAMCredentials and ECS;
 * the CreateSecret docs add Redis. UNVERIFIED: PolarDB.
 */
export const SECRET_TYPES = ['Generic', 'Rds', 'RAMCredentials', 'ECS', 'Redis', 'PolarDB'] as const;
export type SecretType = (typeof SECRET_TYPES)[number];

/** A KMS secret's metadata; the emulator holds no secret values. */
export interface SecretRecord {
  name: string;
  type: SecretType;
  description: string;
  encryptionKeyId: string;
  createDate: Date;
  updateDate: Date;
  /** Scheduled deletion; the secret disappears once it has passed. Null = not scheduled. */
  plannedDeleteDate: Date | null;
  rotationEnabled: boolean;
  /** Seconds between automatic rotations; null when rotation is off. */
  rotationIntervalSeconds: number | null;
  lastRotationDate: Date | null;
  nextRotationDate: Date | null;
  /** Tag key → value, in scenario order. */
  tags: ReadonlyMap<string, string>;
}
