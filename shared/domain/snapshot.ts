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

export interface AccountSnapshot {
  account: { id: string; alias: string | null };
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
}

/** True when any part failed: such a scan proposes no revocation. */
export function isPartial(snapshot: Pick<AccountSnapshot, 'parts'>): boolean {
  return Object.values(snapshot.parts).some((p) => !p.complete);
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
  };
}
