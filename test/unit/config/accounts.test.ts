import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../shared/errors.js';
import { DEFAULTS, memberRoleArn, parseConfig } from '../../../shared/config/index.js';
import { FAKE_RULES } from './fake-rules.js';

const PROD = '2000000000000002';
const DEV = '3000000000000003';

function issuesFor(accounts: unknown): string[] {
  try {
    parseConfig({ accounts }, { env: {}, rules: FAKE_RULES });
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const parse = (accounts: unknown) => parseConfig({ accounts }, { env: {}, rules: FAKE_RULES }).accounts;

describe('accounts section', () => {
  it('defaults to one account, the one the credentials belong to', () => {
    expect(DEFAULTS.accounts).toEqual({ mode: 'single', members: [], roleName: 'ramparts-scan', applyRoleName: 'ramparts-apply', concurrency: 4, include: [], exclude: [] });
  });

  it('accepts a member list and derives each role ARN from roleName unless the member gives one', () => {
    const accounts = parse({ mode: 'list', roleName: 'audit-read', members: [{ id: PROD, name: 'prod' }, { id: DEV, roleArn: `acs:ram::${DEV}:role/Custom.Role` }] });
    expect(accounts.members).toEqual([{ id: PROD, name: 'prod' }, { id: DEV, roleArn: `acs:ram::${DEV}:role/Custom.Role` }]);
    expect(memberRoleArn(accounts, accounts.members[0]!)).toBe(`acs:ram::${PROD}:role/audit-read`);
    expect(memberRoleArn(accounts, accounts.members[1]!)).toBe(`acs:ram::${DEV}:role/Custom.Role`);
  });

  it('accepts resource-directory mode with include / exclude filters and member overrides', () => {
    const accounts = parse({ mode: 'resource-directory', concurrency: 32, exclude: [DEV], members: [{ id: PROD, name: 'prod' }] });
    expect(accounts).toMatchObject({ mode: 'resource-directory', concurrency: 32, include: [], exclude: [DEV] });
  });

  it('requires members for list mode and names each bad field', () => {
    expect(issuesFor({ mode: 'list' })).toEqual(['accounts.members: list at least one member ({ id, name?, roleArn? }) when accounts.mode is list']);
    expect(issuesFor({ mode: 'organization', concurrency: 33, roleName: 'bad role' })).toEqual([
      'accounts.concurrency: must be a whole number from 1 to 32',
      'accounts.mode: must be one of single, list, resource-directory',
      'accounts.roleName: must be a RAM role name (1-64 letters, digits, "." or "-") such as ramparts-scan',
    ]);
  });

  it('wants 16-digit ids as text (an unquoted YAML number loses digits), and matching role ARNs', () => {
    const issues = issuesFor({
      mode: 'list',
      members: [{ id: 2000000000000002 }, { id: '123' }, { id: PROD, roleArn: `acs:ram::${DEV}:role/x` }, { id: DEV, roleArn: 'arn:aws:iam::1:role/x' }, { id: PROD }],
    });
    expect(issues).toEqual([
      expect.stringMatching(/^accounts\.members\[0\]\.id: must be a 16-digit Alibaba Cloud account id in quotes/),
      expect.stringMatching(/^accounts\.members\[1\]\.id: must be a 16-digit/),
      `accounts.members[2].roleArn: names account ${DEV}, but the member is ${PROD}: use a role of the member account`,
      'accounts.members[3].roleArn: must be a role ARN such as acs:ram::1234567890123456:role/ramparts-scan',
    ]);
  });

  it('refuses duplicates, and options that do nothing in the chosen mode', () => {
    expect(issuesFor({ mode: 'list', members: [{ id: PROD }, { id: PROD }] })).toEqual([`accounts.members[1].id: lists account ${PROD} twice`]);
    expect(issuesFor({ members: [{ id: PROD }], include: [PROD] })).toEqual([
      'accounts.include: filters discovered accounts, so it applies only when accounts.mode is resource-directory',
      'accounts.members: is used only when accounts.mode is list or resource-directory; set accounts.mode or remove the members',
    ]);
    expect(issuesFor({ mode: 'resource-directory', include: [PROD], exclude: [PROD] })).toEqual([`accounts.include[0]: account ${PROD} is both included and excluded`]);
  });

  it('rejects unknown keys with a suggestion', () => {
    expect(issuesFor({ mode: 'list', members: [{ id: PROD }], rolename: 'x' })[0]).toMatch(/^accounts\.rolename: unknown key; did you mean "roleName"\?/);
  });
});
