import { z } from 'zod';
import { RelativeDate } from './scenario-common.js';
import { Secret, Trail } from './scenario-services.js';

/**
 * Scenario files describe one emulated RAM account. Dates are ISO-8601 timestamps or offsets relative
 * to the emulator's clock ("-400d", "-2h", "now"), so a scenario stays meaningful whatever day it runs.
 */
export { RelativeDate };

const PolicyRef = z.object({ name: z.string(), type: z.enum(['System', 'Custom']).default('Custom') }).strict();

const AccessKey = z
  .object({
    id: z.string(),
    /** Secret for keys that may sign requests to the emulator. Fake values only. */
    secret: z.string().optional(),
    status: z.enum(['Active', 'Inactive']).default('Active'),
    createDate: RelativeDate,
    /** Absent or null = never used. */
    lastUsedDate: RelativeDate.nullable().optional(),
    lastUsedService: z.string().optional(),
  })
  .strict();

const User = z
  .object({
    name: z.string(),
    id: z.string().optional(),
    displayName: z.string().optional(),
    email: z.string().optional(),
    comments: z.string().optional(),
    createDate: RelativeDate.default('-365d'),
    /** Last console logon; absent = never. */
    lastLoginDate: RelativeDate.nullable().optional(),
    /** Console password. Absent = no console access. */
    loginProfile: z
      .object({
        status: z.enum(['Active', 'Inactive']).default('Active'),
        mfaBindRequired: z.boolean().default(false),
        passwordResetRequired: z.boolean().default(false),
        passwordLastChanged: RelativeDate.optional(),
      })
      .strict()
      .optional(),
    /** A bound virtual MFA device. */
    mfa: z.object({ serialName: z.string().optional(), activateDate: RelativeDate.default('-300d') }).strict().optional(),
    accessKeys: z.array(AccessKey).default([]),
    groups: z.array(z.string()).default([]),
    policies: z.array(PolicyRef).default([]),
  })
  .strict();

const Group = z
  .object({
    name: z.string(),
    id: z.string().optional(),
    comments: z.string().default(''),
    policies: z.array(PolicyRef).default([]),
  })
  .strict();

/** A policy document, as an object (serialised by the emulator) or the exact JSON string RAM stores. */
const PolicyDocument = z.union([z.string(), z.record(z.string(), z.unknown())]);

const Policy = z
  .object({
    name: z.string(),
    type: z.enum(['System', 'Custom']).default('Custom'),
    description: z.string().default(''),
    document: PolicyDocument,
    createDate: RelativeDate.default('-500d'),
  })
  .strict();

const Role = z
  .object({
    name: z.string(),
    id: z.string().optional(),
    description: z.string().default(''),
    maxSessionDuration: z.number().int().min(900).max(43200).default(3600),
    createDate: RelativeDate.default('-400d'),
    trustPolicy: PolicyDocument,
    policies: z.array(PolicyRef).default([]),
  })
  .strict();

const PasswordPolicy = z
  .object({
    minimumPasswordLength: z.number().int().default(8),
    requireLowercaseCharacters: z.boolean().default(true),
    requireUppercaseCharacters: z.boolean().default(true),
    requireNumbers: z.boolean().default(true),
    requireSymbols: z.boolean().default(true),
    hardExpiry: z.boolean().default(false),
    maxPasswordAge: z.number().int().default(0),
    passwordReusePrevention: z.number().int().default(0),
    maxLoginAttempts: z.number().int().default(0),
    minimumPasswordDifferentCharacter: z.number().int().default(0),
    passwordNotContainUserName: z.boolean().default(false),
  })
  .strict();

const SecurityPreference = z
  .object({
    allowUserToManageAccessKeys: z.boolean().default(false),
    allowUserToManageMFADevices: z.boolean().default(true),
    allowUserToChangePassword: z.boolean().default(true),
    enableSaveMFATicket: z.boolean().default(false),
    loginNetworkMasks: z.string().default(''),
    loginSessionDuration: z.number().int().default(6),
  })
  .strict();

/**
 * An ActionTrail event, described by who did what when; the emulator fills in the rest of the record
 * the way LookupEvents returns it (reference §4.2). `identity`: `user:<name>`, `role:<name>` or
 * `role:<name>/<session>` (an assumed-role session), `root`.
 */
const TrailEvent = z
  .object({
    time: RelativeDate,
    identity: z.string().regex(/^(root|user:[^/]+|role:[^/:]+(\/[^/]+)?)$/, {
      message: 'use "root", "user:<name>", "role:<name>" or "role:<name>/<session>"',
    }),
    /** Signing access key of a user or root; absent = a console operation. Role sessions get an `STS.` key. */
    accessKeyId: z.string().optional(),
    /** `serviceName`, capitalised as ActionTrail writes it (`Ecs`, `Ram`, `Oss`). */
    service: z.string(),
    /** `eventName`: the API called. */
    event: z.string(),
    type: z.enum(['ApiCall', 'ConsoleOperation', 'ConsoleSignin', 'AliyunServiceEvent']).optional(),
    region: z.string().default('cn-hangzhou'),
    /** Non-empty for a failed call (`NoPermission`, `Forbidden.RAM`, `EntityNotExist.User`). */
    errorCode: z.string().default(''),
    /** Stable event id; derived from the event's position and content when absent. */
    id: z.string().optional(),
    /** Extra fields merged into the record as is (to exercise parsers with unusual records). */
    extra: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

/** One account's content: the management account's top level, or one entry of `members`. */
export const AccountScenarioSchema = z
  .object({
    account: z
      .object({
        id: z.string().regex(/^\d{16}$/, 'an Alibaba Cloud account id has 16 digits'),
        alias: z.string().nullable().default(null),
        /** Default domain for UPNs; defaults to `<alias>.onaliyun.com`. */
        defaultDomain: z.string().optional(),
      })
      .strict(),
    /**
     * Access keys of the Alibaba Cloud account itself (root). Keys with a `secret` may sign requests as
     * the account; ramparts' scanner normally signs with a RAM user's key listed under `users`.
     */
    root: z
      .object({
        mfa: z.boolean().default(true),
        lastLoginDate: RelativeDate.nullable().optional(),
        accessKeys: z.array(AccessKey).default([]),
      })
      .strict()
      .default({ mfa: true, accessKeys: [] }),
    users: z.array(User).default([]),
    groups: z.array(Group).default([]),
    policies: z.array(Policy).default([]),
    roles: z.array(Role).default([]),
    passwordPolicy: PasswordPolicy.optional(),
    securityPreference: SecurityPreference.optional(),
    events: z.array(TrailEvent).default([]),
    /** ActionTrail trails (DescribeTrails, GetTrailStatus). */
    trails: z.array(Trail).default([]),
    /** KMS secrets (ListSecrets, DescribeSecret); metadata only, the emulator holds no secret values. */
    secrets: z.array(Secret).default([]),
  })
  .strict();

/**
 * How a member appears in the Resource Directory (ResourceManager 2020-03-31 ListAccounts). Status values
 * follow the API docs' list; only the `*Success` and `Promote*` ones are joined members.
 */
const DirectoryEntry = z
  .object({
    displayName: z.string().optional(),
    status: z
      .enum(['CreateSuccess', 'InviteSuccess', 'PromoteSuccess', 'PromoteVerifying', 'PromoteFailed', 'PromoteExpired', 'PromoteCancelled', 'CreateVerifying', 'CreateFailed', 'CreateExpired', 'CreateCancelled'])
      .default('CreateSuccess'),
    type: z.enum(['ResourceAccount', 'CloudAccount']).default('ResourceAccount'),
    joinMethod: z.enum(['created', 'invited']).default('created'),
    folderId: z.string().optional(),
    joinDate: RelativeDate.default('-300d'),
  })
  .strict();

/** A member account of the management account's Resource Directory: a full account plus its directory entry. */
const Member = AccountScenarioSchema.extend({ directory: DirectoryEntry.prefault({}) }).strict();

/**
 * A scenario: the (management) account's own content, plus optional `members`, each a full account with
 * its own state. A request acts in the account whose access key (or STS session) signed it.
 */
export const ScenarioSchema = AccountScenarioSchema.extend({ members: z.array(Member).default([]) }).strict();

/** One account's content (the top level of a scenario, or a member). */
export type AccountScenario = z.output<typeof AccountScenarioSchema>;
export type MemberScenario = z.output<typeof Member>;
export type Scenario = z.output<typeof ScenarioSchema>;
export type ScenarioInput = z.input<typeof ScenarioSchema>;
