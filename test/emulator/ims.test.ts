import * as $Ims from '@alicloud/ims20190815';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CREDENTIAL_REPORT_HEADER, generateScenario, loadScenario, startEmulator, type Emulator } from '../../emulator/index.js';
import { fixedClock, imsClient, rejection } from './clients.js';

let emu: Emulator;
let ims: ReturnType<typeof imsClient>;
const upn = (name: string) => `${name}@demo-corp.onaliyun.com`;

beforeAll(async () => {
  emu = await startEmulator({ scenario: await loadScenario('demo'), clock: fixedClock });
  ims = imsClient(emu.endpoint);
});
afterAll(() => emu.close());

describe('IMS users and credentials', () => {
  it('pages ListUsers (UserPrincipalName, LastLoginDate, Status)', async () => {
    const first = await ims.listUsers(new $Ims.ListUsersRequest({ maxItems: 20 }));
    expect(first.body?.isTruncated).toBe(true);
    expect(first.body?.users?.user?.[1]).toMatchObject({
      userPrincipalName: upn('alice.chen'),
      lastLoginDate: '2026-05-30T12:00:00Z',
      status: 'active',
    });
    const rest = await ims.listUsers(new $Ims.ListUsersRequest({ maxItems: 20, marker: first.body?.marker }));
    expect(rest.body?.isTruncated).toBe(false);
    expect((first.body?.users?.user?.length ?? 0) + (rest.body?.users?.user?.length ?? 0)).toBe(emu.state.users.size);
    const all = await ims.listUsers(new $Ims.ListUsersRequest({}));
    expect(all.body?.users?.user).toHaveLength(emu.state.users.size);
  });

  it('finds a user by UPN, id or access key', async () => {
    const byKey = await ims.getUser(new $Ims.GetUserRequest({ userAccessKeyId: 'LTAI5tDemoBuildAgent0001' }));
    expect(byKey.body?.user?.userPrincipalName).toBe(upn('build-agent'));
    const byId = await ims.getUser(new $Ims.GetUserRequest({ userId: byKey.body?.user?.userId }));
    expect(byId.body?.user?.userName).toBe('build-agent');
    const wrongDomain = await rejection(ims.getUser(new $Ims.GetUserRequest({ userPrincipalName: 'build-agent@other.onaliyun.com' })));
    expect(wrongDomain.code).toBe('EntityNotExist.User');
  });

  it('returns keys, key last use, login profile and MFA state', async () => {
    const keys = await ims.listAccessKeys(new $Ims.ListAccessKeysRequest({ userPrincipalName: upn('key-rotator') }));
    expect(keys.body?.accessKeys?.accessKey?.map((k) => k.status)).toEqual(['Active', 'Active']);
    expect(keys.body?.accessKeys?.accessKey?.[0]?.updateDate).toBeDefined();
    const used = await ims.getAccessKeyLastUsed(
      new $Ims.GetAccessKeyLastUsedRequest({ userPrincipalName: upn('build-agent'), userAccessKeyId: 'LTAI5tDemoBuildAgent0001' }),
    );
    expect(used.body?.accessKeyLastUsed).toEqual({ lastUsedDate: '2026-05-31T12:00:00Z', serviceName: 'Ecs' });
    const lp = await ims.getLoginProfile(new $Ims.GetLoginProfileRequest({ userPrincipalName: upn('qa-tester-yang') }));
    expect(lp.body?.loginProfile).toMatchObject({ status: 'Inactive', lastLoginTime: '2025-08-05T12:00:00Z' });
    const noMfa = await ims.getUserMFAInfo(new $Ims.GetUserMFAInfoRequest({ userPrincipalName: upn('ops-wu') }));
    expect(noMfa.body?.isMFAEnable).toBe(false);
    const mfa = await ims.getUserMFAInfo(new $Ims.GetUserMFAInfoRequest({ userPrincipalName: upn('bob.li') }));
    expect(mfa.body).toMatchObject({ isMFAEnable: true, MFADevice: { serialNumber: 'acs:ram::1234567890123456:mfa/bob.li', type: 'VMFA' } });
  });

  it('pages virtual MFA devices (at most 100 per page)', async () => {
    const page = await ims.listVirtualMFADevices(new $Ims.ListVirtualMFADevicesRequest({ maxItems: 5 }));
    expect(page.body?.virtualMFADevices?.virtualMFADevice).toHaveLength(5);
    expect(page.body?.virtualMFADevices?.virtualMFADevice?.[0]?.user?.userPrincipalName).toBe(upn('alice.chen'));
    expect(page.body?.isTruncated).toBe(true);
    const tooMany = await rejection(ims.listVirtualMFADevices(new $Ims.ListVirtualMFADevicesRequest({ maxItems: 101 })));
    expect(tooMany.code).toBe('InvalidParameter.MaxItems');
  });

  it('lists groups and memberships by UPN', async () => {
    const groups = await ims.listGroups(new $Ims.ListGroupsRequest({}));
    expect(groups.body?.groups?.group?.[0]).toMatchObject({ groupName: 'developers', displayName: 'developers' });
    const members = await ims.listUsersForGroup(new $Ims.ListUsersForGroupRequest({ groupName: 'admins' }));
    expect(members.body?.users?.user?.map((u) => u.userPrincipalName)).toEqual([upn('platform-lead')]);
    const forUser = await ims.listGroupsForUser(new $Ims.ListGroupsForUserRequest({ userPrincipalName: upn('mobile-backend') }));
    expect(forUser.body?.groups?.group?.map((g) => g.groupName)).toEqual(['deployers']);
  });

  it('returns account-level settings with IMS wire names', async () => {
    const pp = await ims.getPasswordPolicy();
    expect(pp.body?.passwordPolicy).toMatchObject({ hardExpire: false, maxLoginAttemps: 0, minimumPasswordLength: 8 });
    expect((await ims.getDefaultDomain()).body?.defaultDomainName).toBe('demo-corp.onaliyun.com');
    expect((await ims.getAccountMFAInfo()).body?.isMFAEnable).toBe(false);
    const summary = await ims.getAccountSummary();
    expect(summary.body?.summaryMap).toMatchObject({ users: emu.state.users.size, MFADevicesInUse: emu.state.mfaUsers().length });
    const practice = await ims.getAccountSecurityPracticeReport();
    expect(practice.body?.accountSecurityPracticeInfo?.accountSecurityPracticeUserInfo).toMatchObject({
      rootWithAccessKey: 1,
      bindMfa: false,
      subUserPwdLevel: 'medium',
    });
    const sp = await ims.getSecurityPreference();
    expect(sp.body?.securityPreference?.maxIdleDays?.maxIdleDaysForUsers).toBe(730);
  });
});

describe('IMS credential report', () => {
  it('generates, then serves the report in pages, each with the header line', async () => {
    const missing = await rejection(ims.getCredentialReport(new $Ims.GetCredentialReportRequest({})));
    expect(missing).toMatchObject({ code: 'EntityNotExist.CredentialReport', statusCode: 404 });

    expect((await ims.generateCredentialReport()).body?.state).toBe('STARTED');
    expect((await ims.generateCredentialReport()).body?.state).toBe('COMPLETED');

    const rows: Record<string, string>[] = [];
    let nextToken: string | undefined;
    do {
      const r = await ims.getCredentialReport(new $Ims.GetCredentialReportRequest({ maxItems: '10', nextToken }));
      expect(r.body?.generatedTime).toBe('2026-06-01T12:00:00Z');
      const csv = Buffer.from(r.body!.content!, 'base64').toString('utf8');
      expect(csv.split('\n')[0]).toBe(CREDENTIAL_REPORT_HEADER);
      rows.push(...(parse(csv, { columns: true }) as Record<string, string>[]));
      // IsTruncated is typed string in the SDK: the wire boolean arrives as "true"/"false".
      nextToken = String(r.body?.isTruncated) === 'true' ? r.body?.nextToken : undefined;
    } while (nextToken);

    expect(rows).toHaveLength(emu.state.users.size + 1);
    expect(rows[0]).toMatchObject({
      user: '<root>',
      user_last_logon: '2026-05-27T12:00:00Z',
      mfa_active: 'FALSE',
      access_key_1_exist: 'TRUE',
      access_key_1_active: 'TRUE',
      access_key_1_last_used: '2026-05-29T12:00:00Z',
    });
    const byUser = new Map(rows.map((r) => [r.user, r]));
    expect(byUser.get(upn('intern-zhao'))).toMatchObject({ password_exist: 'TRUE', password_active: 'TRUE', mfa_active: 'FALSE', user_last_logon: '-' });
    expect(byUser.get(upn('report-bot'))).toMatchObject({ password_exist: 'FALSE', password_active: 'N/A', access_key_1_last_used: '-' });
    expect(byUser.get(upn('mobile-backend'))).toMatchObject({
      access_key_1_active: 'FALSE',
      access_key_1_last_rotated: '2024-07-01T12:00:00Z',
      access_key_2_active: 'TRUE',
      additional_access_key_1_exist: 'FALSE',
    });
  });

  it('reports INPROGRESS until the configured delay passed', async () => {
    const slow = await startEmulator({ scenario: await loadScenario('clean'), clock: fixedClock, reportDelayMs: 60_000 });
    try {
      const client = imsClient(slow.endpoint);
      expect((await client.generateCredentialReport()).body?.state).toBe('STARTED');
      expect((await client.generateCredentialReport()).body?.state).toBe('INPROGRESS');
      const e = await rejection(client.getCredentialReport(new $Ims.GetCredentialReportRequest({})));
      expect(e.code).toBe('EntityNotExist.CredentialReport');
    } finally {
      await slow.close();
    }
  });

  it('refuses to generate a report for more than 3,500 users', async () => {
    const big = await startEmulator({ scenario: generateScenario({ users: 3500, seed: 7 }), clock: fixedClock });
    try {
      const e = await rejection(imsClient(big.endpoint).generateCredentialReport());
      expect(e).toMatchObject({ code: 'LimitExceeded.CredentialReport', statusCode: 400, name: 'ClientError' });
    } finally {
      await big.close();
    }
  });
});
