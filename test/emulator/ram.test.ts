import * as $Ram from '@alicloud/ram20150501';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenario, startEmulator, SYSTEM_POLICIES, type Emulator } from '../../emulator/index.js';
import { fixedClock, ramClient, rejection } from './clients.js';

let emu: Emulator;
let ram: ReturnType<typeof ramClient>;

beforeAll(async () => {
  emu = await startEmulator({ scenario: await loadScenario('demo'), clock: fixedClock });
  ram = ramClient(emu.endpoint);
});
afterAll(() => emu.close());

describe('RAM users and credentials', () => {
  it('pages ListUsers with an opaque Marker until IsTruncated is false', async () => {
    const names: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const r = await ram.listUsers(new $Ram.ListUsersRequest({ maxItems: 7, marker }));
      names.push(...(r.body?.users?.user ?? []).map((u) => u.userName!));
      marker = r.body?.isTruncated ? r.body.marker : undefined;
      pages++;
    } while (marker);
    expect(names).toEqual([...emu.state.users.keys()]);
    expect(pages).toBe(Math.ceil(names.length / 7));
  });

  it('rejects MaxItems outside 1..1000', async () => {
    const e = await rejection(ram.listUsers(new $Ram.ListUsersRequest({ maxItems: 1001 })));
    expect(e).toMatchObject({ code: 'InvalidParameter.MaxItems', statusCode: 400 });
    const groups = await rejection(ram.listGroups(new $Ram.ListGroupsRequest({ maxItems: 101 })));
    expect(groups.code).toBe('InvalidParameter.MaxItems');
  });

  it('keeps one-element lists as arrays the SDK accepts', async () => {
    const keys = await ram.listAccessKeys(new $Ram.ListAccessKeysRequest({ userName: 'build-agent' }));
    expect(keys.body?.accessKeys?.accessKey).toEqual([
      { accessKeyId: 'LTAI5tDemoBuildAgent0001', status: 'Active', createDate: '2025-04-15T12:00:00Z' },
    ]);
    const groups = await ram.listGroupsForUser(new $Ram.ListGroupsForUserRequest({ userName: 'alice.chen' }));
    expect(groups.body?.groups?.group?.map((g) => g.groupName)).toEqual(['developers']);
  });

  it('lists the caller’s own keys when UserName is omitted', async () => {
    const r = await ram.listAccessKeys(new $Ram.ListAccessKeysRequest({}));
    expect(r.body?.accessKeys?.accessKey?.map((k) => k.accessKeyId)).toEqual(['LTAI5tDemoScannerKey0001']);
  });

  it('answers entity errors with the documented codes', async () => {
    const cases: [Promise<unknown>, string][] = [
      [ram.getUser(new $Ram.GetUserRequest({ userName: 'nobody' })), 'EntityNotExist.User'],
      [ram.getLoginProfile(new $Ram.GetLoginProfileRequest({ userName: 'build-agent' })), 'EntityNotExist.User.LoginProfile'],
      [ram.getUserMFAInfo(new $Ram.GetUserMFAInfoRequest({ userName: 'ops-wu' })), 'EntityNotExist.User.MFADevice'],
      [ram.getGroup(new $Ram.GetGroupRequest({ groupName: 'nobody' })), 'EntityNotExist.Group'],
      [ram.getRole(new $Ram.GetRoleRequest({ roleName: 'nobody' })), 'EntityNotExist.Role'],
      [ram.getPolicy(new $Ram.GetPolicyRequest({ policyName: 'nobody', policyType: 'Custom' })), 'EntityNotExist.Policy'],
    ];
    for (const [call, code] of cases) expect(await rejection(call)).toMatchObject({ code, statusCode: 404, name: 'ClientError' });
  });

  it('returns login profile, MFA and last use of a key', async () => {
    const lp = await ram.getLoginProfile(new $Ram.GetLoginProfileRequest({ userName: 'intern-zhao' }));
    expect(lp.body?.loginProfile).toMatchObject({ userName: 'intern-zhao', MFABindRequired: false, passwordResetRequired: true });
    const mfa = await ram.getUserMFAInfo(new $Ram.GetUserMFAInfoRequest({ userName: 'alice.chen' }));
    expect(mfa.body?.MFADevice).toEqual({ serialNumber: 'acs:ram::1234567890123456:mfa/alice.chen', type: 'VMFA' });
    const used = await ram.getAccessKeyLastUsed(
      new $Ram.GetAccessKeyLastUsedRequest({ userName: 'legacy-backup', userAccessKeyId: 'LTAI5tDemoLegacyBkp00001' }),
    );
    expect(used.body?.accessKeyLastUsed?.lastUsedDate).toBe('2025-11-13T12:00:00Z');
    const never = await ram.getAccessKeyLastUsed(
      new $Ram.GetAccessKeyLastUsedRequest({ userName: 'report-bot', userAccessKeyId: 'LTAI5tDemoReportBot00001' }),
    );
    expect(never.body?.accessKeyLastUsed?.lastUsedDate).toBeUndefined();
    const devices = await ram.listVirtualMFADevices();
    const bound = devices.body?.virtualMFADevices?.virtualMFADevice ?? [];
    expect(bound.length).toBe(emu.state.mfaUsers().length);
    expect(bound[0]?.user?.userName).toBe('alice.chen');
  });

  it('lists group members with join dates', async () => {
    const r = await ram.listUsersForGroup(new $Ram.ListUsersForGroupRequest({ groupName: 'deployers' }));
    expect(r.body?.users?.user?.map((u) => u.userName)).toEqual(['ci-deployer', 'mobile-backend', 'build-agent', 'key-rotator']);
    expect(r.body?.isTruncated).toBe(false);
  });
});

describe('RAM policies and roles', () => {
  it('lists every System policy of the catalog, with correct attachment counts', async () => {
    const r = await ram.listPolicies(new $Ram.ListPoliciesRequest({ policyType: 'System', maxItems: 1000 }));
    const policies = r.body?.policies?.policy ?? [];
    expect(policies.map((p) => p.policyName)).toEqual(SYSTEM_POLICIES.map((p) => p.name));
    const admin = policies.find((p) => p.policyName === 'AdministratorAccess');
    // sre-admin (user), admins (group), break-glass-admin (role)
    expect(admin?.attachmentCount).toBe(3);
    expect(policies.find((p) => p.policyName === 'AliyunKMSFullAccess')?.attachmentCount).toBe(0);
    const custom = await ram.listPolicies(new $Ram.ListPoliciesRequest({ policyType: 'Custom' }));
    expect(custom.body?.policies?.policy?.every((p) => p.policyType === 'Custom')).toBe(true);
    expect(await rejection(ram.listPolicies(new $Ram.ListPoliciesRequest({ policyType: 'Other' })))).toMatchObject({
      code: 'InvalidParameter.PolicyType',
    });
  });

  it('returns policy documents as JSON strings', async () => {
    const r = await ram.getPolicy(new $Ram.GetPolicyRequest({ policyName: 'LegacyEverything', policyType: 'Custom' }));
    expect(r.body?.defaultPolicyVersion).toMatchObject({ versionId: 'v1', isDefaultVersion: true });
    expect(JSON.parse(r.body!.defaultPolicyVersion!.policyDocument!)).toEqual({
      Version: '1',
      Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
    });
    expect(r.body?.policy?.attachmentCount).toBe(1);
    const v = await ram.getPolicyVersion(new $Ram.GetPolicyVersionRequest({ policyName: 'AdministratorAccess', policyType: 'System', versionId: 'v1' }));
    expect(JSON.parse(v.body!.policyVersion!.policyDocument!).Statement[0]).toMatchObject({ Action: '*', Resource: '*' });
    const versions = await ram.listPolicyVersions(new $Ram.ListPolicyVersionsRequest({ policyName: 'EcsOperator', policyType: 'Custom' }));
    expect(versions.body?.policyVersions?.policyVersion).toHaveLength(1);
  });

  it('lists the entities a policy is attached to, and a principal’s policies', async () => {
    const r = await ram.listEntitiesForPolicy(new $Ram.ListEntitiesForPolicyRequest({ policyName: 'AdministratorAccess', policyType: 'System' }));
    expect(r.body?.users?.user?.map((u) => u.userName)).toEqual(['sre-admin']);
    expect(r.body?.groups?.group?.map((g) => g.groupName)).toEqual(['admins']);
    expect(r.body?.roles?.role?.map((x) => x.arn)).toEqual(['acs:ram::1234567890123456:role/break-glass-admin']);
    const forUser = await ram.listPoliciesForUser(new $Ram.ListPoliciesForUserRequest({ userName: 'analyst-xu' }));
    expect(forUser.body?.policies?.policy).toEqual([expect.objectContaining({ policyName: 'AliyunOSSReadOnlyAccess', policyType: 'System' })]);
    const forGroup = await ram.listPoliciesForGroup(new $Ram.ListPoliciesForGroupRequest({ groupName: 'developers' }));
    expect(forGroup.body?.policies?.policy?.[0]?.policyName).toBe('DevEcsReadOnly');
    const forRole = await ram.listPoliciesForRole(new $Ram.ListPoliciesForRoleRequest({ roleName: 'ecs-app-role' }));
    expect(forRole.body?.policies?.policy?.[0]?.policyName).toBe('AppOssReadOnly');
  });

  it('lists roles without trust policies, and GetRole returns it as a string', async () => {
    const list = await ram.listRoles(new $Ram.ListRolesRequest({}));
    const role = list.body?.roles?.role?.find((r) => r.roleName === 'vendor-audit-role');
    expect(role).toMatchObject({ arn: 'acs:ram::1234567890123456:role/vendor-audit-role', maxSessionDuration: 3600 });
    expect(role).not.toHaveProperty('assumeRolePolicyDocument');
    const r = await ram.getRole(new $Ram.GetRoleRequest({ roleName: 'vendor-audit-role' }));
    expect(typeof r.body?.role?.assumeRolePolicyDocument).toBe('string');
    expect(JSON.parse(r.body!.role!.assumeRolePolicyDocument!).Statement[0].Principal).toEqual({
      RAM: ['acs:ram::9876543210987654:root'],
    });
  });

  it('returns account settings with RAM’s wire names', async () => {
    const pp = await ram.getPasswordPolicy();
    expect(pp.body?.passwordPolicy).toMatchObject({ minimumPasswordLength: 8, requireSymbols: false, hardExpiry: false, maxLoginAttemps: 0 });
    const sp = await ram.getSecurityPreference();
    expect(sp.body?.securityPreference?.accessKeyPreference?.allowUserToManageAccessKeys).toBe(false);
    expect(sp.body?.securityPreference?.loginProfilePreference?.loginSessionDuration).toBe(6);
    expect((await ram.getAccountAlias()).body?.accountAlias).toBe('demo-corp');
  });
});
