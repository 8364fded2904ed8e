import { rpcParams } from '../../shared/cloud/rpc.js';
import * as $dara from '@darabonba/typescript';
import { $OpenApiUtil, OpenApiUtil } from '@alicloud/openapi-core';
import * as $Ram from '@alicloud/ram20150501';
import * as $Sts from '@alicloud/sts20150401';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenario, parseScenario, startEmulator, type Emulator } from '../../emulator/index.js';
import { OpenApi, Ram, Sts } from '../../shared/cloud/sdk.js';
import { fixedClock, NOW, ramClient, rejection, SCANNER_KEY, stsClient } from './clients.js';

const MGMT = '1000000000000001';
const PROD = '2000000000000002';
const DEV = '3000000000000003';
const LEGACY = '4000000000000004';
const roleArn = (account: string, name = 'ramparts-scan') => `acs:ram::${account}:role/${name}`;

let emu: Emulator;

beforeAll(async () => {
  emu = await startEmulator({ scenario: await loadScenario('multi-account'), clock: fixedClock });
});
afterAll(async () => emu.close());

async function assume(arn: string, o: { sessionName?: string; durationSeconds?: number; accessKeyId?: string; accessKeySecret?: string } = {}) {
  const sts = stsClient(emu.endpoint, o);
  const res = await sts.assumeRole(new $Sts.AssumeRoleRequest({ roleArn: arn, roleSessionName: o.sessionName ?? 'ramparts-scan-1', durationSeconds: o.durationSeconds }));
  return res.body!;
}

/** Clients signing with STS credentials (V3 sends x-acs-security-token; V1 the SecurityToken parameter). */
function stsConfig(c: { accessKeyId?: string; accessKeySecret?: string; securityToken?: string }, signatureAlgorithm?: string): $OpenApiUtil.Config {
  return new $OpenApiUtil.Config({ ...c, endpoint: emu.endpoint, protocol: 'http', ...(signatureAlgorithm ? { signatureAlgorithm } : {}) });
}

function listAccounts(query: Record<string, string>, key = SCANNER_KEY) {
  const client = new OpenApi(new $OpenApiUtil.Config({ ...key, endpoint: emu.endpoint, protocol: 'http' }));
  const params = rpcParams('ListAccounts', '2020-03-31');
  return client.callApi(params, new $OpenApiUtil.OpenApiRequest({ query: OpenApiUtil.query(query) }), new $dara.RuntimeOptions({}));
}

describe('scenario members', () => {
  it('keeps one state per account; the management account stays emulator.state', () => {
    expect(emu.state.account.id).toBe(MGMT);
    expect([...emu.accounts.byId.keys()]).toEqual([MGMT, PROD, DEV, LEGACY, '5000000000000005']);
    expect([...emu.account(PROD).users.keys()]).toEqual(['deploy-bot']);
    expect(emu.account(DEV).users.has('deploy-bot')).toBe(false);
  });

  it('rejects a member that repeats the management account id or another account’s key', () => {
    const base = { account: { id: MGMT }, users: [{ name: 'u', accessKeys: [{ id: 'K1', createDate: '-1d' }] }] };
    expect(() => parseScenario({ ...base, members: [{ account: { id: MGMT } }] })).toThrow(/members: duplicate account id/);
    expect(() =>
      parseScenario({ ...base, members: [{ account: { id: PROD }, users: [{ name: 'v', accessKeys: [{ id: 'K1', createDate: '-1d' }] }] }] }),
    ).toThrow(/access key id across accounts "K1"/);
    expect(() => parseScenario({ ...base, members: [{ account: { id: PROD }, users: [{ name: 'v', groups: ['nope'] }] }] })).toThrow(
      /members\[0\]\.users\[0\]\.groups\[0\]: no group named "nope"/,
    );
  });
});

describe('STS AssumeRole', () => {
  it('issues credentials when the trust policy names the caller’s account root', async () => {
    const body = await assume(roleArn(PROD), { durationSeconds: 900 });
    expect(body.credentials?.accessKeyId).toMatch(/^STS\./);
    expect(body.credentials?.accessKeySecret).toBeTruthy();
    expect(body.credentials?.securityToken).toBeTruthy();
    expect(body.credentials?.expiration).toBe(new Date(NOW.getTime() + 900_000).toISOString().replace('.000Z', 'Z'));
    expect(body.assumedRoleUser?.arn).toBe(`${roleArn(PROD)}/ramparts-scan-1`);
    expect(body.assumedRoleUser?.assumedRoleId).toBe(`${emu.account(PROD).roles.get('ramparts-scan')!.id}:ramparts-scan-1`);
  });

  it('issues credentials when the trust policy names the calling RAM user', async () => {
    const body = await assume(roleArn(DEV));
    expect(body.credentials?.accessKeyId).toMatch(/^STS\./);
  });

  it('refuses a role whose trust policy does not name the caller (NoPermission, 403)', async () => {
    const e = await rejection(assume(roleArn(LEGACY)));
    expect(e.code).toBe('NoPermission');
    expect(e.statusCode).toBe(403);
    expect(e.message).toContain('No permission perform sts:AssumeRole on this Role');
  });

  it('answers EntityNotExist.Role for a missing role or account', async () => {
    expect((await rejection(assume(roleArn(PROD, 'nope')))).code).toBe('EntityNotExist.Role');
    expect((await rejection(assume(roleArn('9000000000000009')))).code).toBe('EntityNotExist.Role');
  });

  it('refuses root keys, bad session names and durations beyond the role’s maximum', async () => {
    const root = { accessKeyId: 'LTAI5tMgmtRootKey000001', accessKeySecret: 'mgmt-root-secret-not-real' };
    const e = await rejection(assume(roleArn(PROD), root));
    expect([e.code, e.message]).toEqual(['NoPermission', expect.stringContaining('Roles may not be assumed by root accounts')]);
    expect((await rejection(assume(roleArn(PROD), { sessionName: 'a b' }))).code).toBe('InvalidParameter.RoleSessionName');
    expect((await rejection(assume(roleArn(PROD), { durationSeconds: 7200 }))).code).toBe('InvalidParameter.DurationSeconds');
  });
});

describe('requests signed with STS credentials', () => {
  it('act in the member account, as the assumed role (V3 and V1 signatures)', async () => {
    const c = (await assume(roleArn(PROD), { sessionName: 'scan-42' })).credentials!;
    for (const algorithm of [undefined, 'v2']) {
      const sts = new Sts(stsConfig(c, algorithm));
      const who = (await sts.getCallerIdentity()).body!;
      expect(who.accountId).toBe(PROD);
      expect(who.arn).toBe(`acs:ram::${PROD}:assumed-role/ramparts-scan/scan-42`);
      expect(who.identityType).toBe('AssumedRoleUser');
    }
    const ram = ramClient(emu.endpoint, { accessKeyId: c.accessKeyId, accessKeySecret: c.accessKeySecret });
    // Without the token the key is not enough.
    expect((await rejection(ram.listUsers(new $Ram.ListUsersRequest({})))).code).toBe('MissingSecurityToken');
  });

  it('list the member’s users, not the management account’s', async () => {
    const c = (await assume(roleArn(PROD))).credentials!;
    const users = (await new Ram(stsConfig(c)).listUsers(new $Ram.ListUsersRequest({}))).body!.users!.user!.map((u) => u.userName);
    expect(users).toEqual(['deploy-bot']);
  });

  it('are refused with a wrong token, and once expired', async () => {
    const c = (await assume(roleArn(PROD), { durationSeconds: 900 })).credentials!;
    const wrong = new Sts(stsConfig({ ...c, securityToken: 'CAISnot-the-token' }));
    expect((await rejection(wrong.getCallerIdentity())).code).toBe('InvalidSecurityToken.MismatchWithAccessKey');
    let now = NOW.getTime();
    const later = await startEmulator({ scenario: await loadScenario('multi-account'), clock: () => new Date(now) });
    try {
      const sts = stsClient(later.endpoint);
      const creds = (await sts.assumeRole(new $Sts.AssumeRoleRequest({ roleArn: roleArn(PROD), roleSessionName: 's1', durationSeconds: 900 }))).body!.credentials!;
      const member = new Sts(new $OpenApiUtil.Config({ ...creds, endpoint: later.endpoint, protocol: 'http' }));
      expect((await member.getCallerIdentity()).body!.accountId).toBe(PROD);
      now += 900_000;
      expect((await rejection(member.getCallerIdentity())).code).toBe('InvalidSecurityToken.Expired');
    } finally {
      await later.close();
    }
  });
});

describe('ResourceManager ListAccounts', () => {
  it('lists the members page by page with TotalCount', async () => {
    const first = (await listAccounts({ PageNumber: '1', PageSize: '3' })).body as Record<string, unknown>;
    expect(first).toMatchObject({ TotalCount: 4, PageNumber: 1, PageSize: 3 });
    const accounts = (first.Accounts as { Account: Array<Record<string, string>> }).Account;
    expect(accounts.map((a) => a.AccountId)).toEqual([PROD, DEV, LEGACY]);
    expect(accounts[0]).toMatchObject({ DisplayName: 'prod', Type: 'CloudAccount', Status: 'InviteSuccess', JoinMethod: 'invited' });
    expect(accounts[0]!.FolderId).toMatch(/^r-/);
    expect(accounts[0]!.ResourceDirectoryId).toMatch(/^rd-/);
    const second = (await listAccounts({ PageNumber: '2', PageSize: '3' })).body as { Accounts: { Account: Array<Record<string, string>> } };
    expect(second.Accounts.Account.map((a) => [a.AccountId, a.Status])).toEqual([['5000000000000005', 'CreateVerifying']]);
    const beyond = (await listAccounts({ PageNumber: '3', PageSize: '3' })).body as { Accounts: { Account: unknown[] } };
    expect(beyond.Accounts.Account).toEqual([]);
  });

  it('is refused to a member account and to a scenario without members', async () => {
    const c = (await assume(roleArn(PROD))).credentials!;
    const asMember = await rejection(listAccounts({}, { accessKeyId: c.accessKeyId!, accessKeySecret: c.accessKeySecret!, securityToken: c.securityToken! } as typeof SCANNER_KEY));
    expect(asMember.code).toBe('EntityNotExists.ResourceDirectory');
    expect(emu.stats().byProduct.resourcemanager.calls.ListAccounts).toBeGreaterThan(0);
  });

  it('leaves single-account scenarios as they were', async () => {
    const single = await startEmulator({ scenario: await loadScenario('clean'), clock: fixedClock });
    try {
      expect([...single.accounts.byId.keys()]).toEqual([single.state.account.id]);
      expect(single.accounts.directory).toEqual([]);
    } finally {
      await single.close();
    }
  });
});
