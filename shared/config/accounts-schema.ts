/**
 * The `accounts` section: which accounts a scan covers. The default, `single`, scans the account the
 * credentials belong to (ramparts' original behaviour); `list` and `resource-directory` scan member
 * accounts by assuming a read-only role in each (STS AssumeRole), a few at a time.
 */
import { z } from 'zod';
import { intIn } from './fields.js';

export const ACCOUNT_MODES = ['single', 'list', 'resource-directory'] as const;
export type AccountMode = (typeof ACCOUNT_MODES)[number];

/** The role ramparts assumes in each member unless a member names its own `roleArn`. */
export const DEFAULT_MEMBER_ROLE = 'ramparts-scan';
/** The role the apply function assumes in a member to change RAM there (templates/ram-policy-apply.json). */
export const DEFAULT_MEMBER_APPLY_ROLE = 'ramparts-apply';

const ACCOUNT_ID_ERROR = 'must be a 16-digit Alibaba Cloud account id in quotes, e.g. "1234567890123456" (unquoted, YAML reads a number and loses digits)';
const accountIdSchema = z.string({ error: ACCOUNT_ID_ERROR }).regex(/^\d{16}$/, { error: ACCOUNT_ID_ERROR });

/** RAM role names: 1–64 letters, digits, `.` and `-` (RAM CreateRole). */
const roleNameSchema = z
  .string({ error: 'must be a RAM role name such as ramparts-scan' })
  .regex(/^[A-Za-z0-9.-]{1,64}$/, { error: 'must be a RAM role name (1-64 letters, digits, "." or "-") such as ramparts-scan' });

const ROLE_ARN = /^acs:ram::(\d{16}):role\/[A-Za-z0-9.-]{1,64}$/i;

const memberSchema = z
  .strictObject({
    id: accountIdSchema,
    name: z.string({ error: 'must be text: a display name for the account' }).trim().min(1, { error: 'must not be empty, or leave name out' }).optional(),
    roleArn: z
      .string({ error: 'must be a role ARN such as acs:ram::1234567890123456:role/ramparts-scan' })
      .regex(ROLE_ARN, { error: 'must be a role ARN such as acs:ram::1234567890123456:role/ramparts-scan' })
      .optional(),
  })
  .superRefine((member, ctx) => {
    const arnAccount = member.roleArn === undefined ? undefined : ROLE_ARN.exec(member.roleArn)?.[1];
    if (arnAccount !== undefined && arnAccount !== member.id) {
      ctx.addIssue({ code: 'custom', path: ['roleArn'], message: `names account ${arnAccount}, but the member is ${member.id}: use a role of the member account` });
    }
  });

export const accountsSchema = z
  .strictObject({
    mode: z.enum(ACCOUNT_MODES, { error: `must be one of ${ACCOUNT_MODES.join(', ')}` }).default('single'),
    members: z.array(memberSchema).default([]),
    roleName: roleNameSchema.default(DEFAULT_MEMBER_ROLE),
    applyRoleName: roleNameSchema.default(DEFAULT_MEMBER_APPLY_ROLE),
    concurrency: intIn(1, 32).default(4),
    include: z.array(accountIdSchema).default([]),
    exclude: z.array(accountIdSchema).default([]),
  })
  .superRefine((accounts, ctx) => {
    const issue = (path: PropertyKey[], message: string): void => ctx.addIssue({ code: 'custom', path, message });
    if (accounts.mode === 'list' && accounts.members.length === 0) {
      issue(['members'], 'list at least one member ({ id, name?, roleArn? }) when accounts.mode is list');
    }
    if (accounts.mode === 'single' && accounts.members.length > 0) {
      issue(['members'], 'is used only when accounts.mode is list or resource-directory; set accounts.mode or remove the members');
    }
    for (const key of ['include', 'exclude'] as const) {
      if (accounts.mode !== 'resource-directory' && accounts[key].length > 0) {
        issue([key], 'filters discovered accounts, so it applies only when accounts.mode is resource-directory');
      }
    }
    const seen = new Set<string>();
    accounts.members.forEach((m, i) => {
      if (seen.has(m.id)) issue(['members', i, 'id'], `lists account ${m.id} twice`);
      seen.add(m.id);
    });
    const excluded = new Set(accounts.exclude);
    accounts.include.forEach((id, i) => {
      if (excluded.has(id)) issue(['include', i], `account ${id} is both included and excluded`);
    });
  });

export type AccountsConfig = z.output<typeof accountsSchema>;
export type MemberConfig = AccountsConfig['members'][number];

/** The role the apply function assumes to change RAM in member account `accountId`. */
export function memberApplyRoleArn(accounts: Pick<AccountsConfig, 'applyRoleName'>, accountId: string): string {
  return `acs:ram::${accountId}:role/${accounts.applyRoleName}`;
}

/** The role to assume in `member`: its own `roleArn`, else `acs:ram::<id>:role/<roleName>`. */
export function memberRoleArn(accounts: Pick<AccountsConfig, 'roleName'>, member: { id: string; roleArn?: string }): string {
  return member.roleArn ?? `acs:ram::${member.id}:role/${accounts.roleName}`;
}
