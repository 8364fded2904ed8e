import * as $Ims from '@alicloud/ims20190815';
import * as $Ram from '@alicloud/ram20150501';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadScenario, POLICY_VERSIONS_MAX, startEmulator, type Emulator, type Scenario } from '../../emulator/index.js';
import { imsClient, NOW, ramClient, rejection } from './clients.js';

const DAY_MS = 86_400_000;
const upn = (name: string) => `${name}@demo-corp.onaliyun.com`;
const doc = (action: string) => JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });

let scenario: Scenario;
let emu: Emulator;
let ram: ReturnType<typeof ramClient>;
let ims: ReturnType<typeof imsClient>;
/** The emulator clock; tests move it forward. */
let now: Date;

beforeAll(async () => {
  scenario = await loadScenario('demo');
});
// A fresh account per test: writes must not leak between tests.
beforeEach(async () => {
  now = new Date(NOW.getTime());
  emu = await startEmulator({ scenario, clock: () => new Date(now.getTime()) });
  ram = ramClient(emu.endpoint);
  ims = imsClient(emu.endpoint);
});
afterEach(() => emu.close());

async function ramKeys(userName: string): Promise<{ id?: string; status?: string }[]> {
  const r = await ram.listAccessKeys(new $Ram.ListAccessKeysRequest({ userName }));
  return (r.body?.accessKeys?.accessKey ?? []).map((k) => ({ id: k.accessKeyId, status: k.status }));
}

async function userId(name: string): Promise<string> {
  return (await ims.getUser(new $Ims.GetUserRequest({ userPrincipalName: upn(name) }))).body!.user!.userId!;
}

async function credentialReport(): Promise<Record<string, string>[]> {
  expect((await ims.generateCredentialReport()).body?.state).toBe('STARTED');
  const r = await ims.getCredentialReport(new $Ims.GetCredentialReportRequest({}));
  return parse(Buffer.from(r.body!.content!, 'base64').toString('utf8'), { columns: true }) as Record<string, string>[];
}

describe('access keys', () => {
  it('RAM UpdateAccessKey disables and re-enables a key; the credential report follows', async () => {
    const key = { userName: 'build-agent', userAccessKeyId: 'LTAI5tDemoBuildAgent0001' };
    await ram.updateAccessKey(new $Ram.UpdateAccessKeyRequest({ ...key, status: 'Inactive' }));
    expect(await ramKeys('build-agent')).toEqual([{ id: key.userAccessKeyId, status: 'Inactive' }]);
    const row = (await credentialReport()).find((r) => r.user === upn('build-agent'));
    expect(row).toMatchObject({ access_key_1_exist: 'TRUE', access_key_1_active: 'FALSE' });

    await ram.updateAccessKey(new $Ram.UpdateAccessKeyRequest({ ...key, status: 'Active' }));
    expect(await ramKeys('build-agent')).toEqual([{ id: key.userAccessKeyId, status: 'Active' }]);
  });

  it('IMS UpdateAccessKey works by UserPrincipalName and sets UpdateDate', async () => {
    now = new Date(NOW.getTime() + DAY_MS);
    await ims.updateAccessKey(
      new $Ims.UpdateAccessKeyRequest({ userPrincipalName: upn('report-bot'), userAccessKeyId: 'LTAI5tDemoReportBot00001', status: 'Inactive' }),
    );
    const r = await ims.listAccessKeys(new $Ims.ListAccessKeysRequest({ userPrincipalName: upn('report-bot') }));
    expect(r.body?.accessKeys?.accessKey?.[0]).toMatchObject({ status: 'Inactive', updateDate: '2026-06-02T12:00:00Z' });
  });

  it('answers UpdateAccessKey errors with RAM codes', async () => {
    const unknown = await rejection(
      ram.updateAccessKey(new $Ram.UpdateAccessKeyRequest({ userName: 'build-agent', userAccessKeyId: 'LTAI5tNope', status: 'Inactive' })),
    );
    expect(unknown).toMatchObject({ code: 'EntityNotExist.User.AccessKey', statusCode: 404, name: 'ClientError' });
    // Another user's key is unknown to this user.
    const other = await rejection(
      ram.updateAccessKey(new $Ram.UpdateAccessKeyRequest({ userName: 'report-bot', userAccessKeyId: 'LTAI5tDemoBuildAgent0001', status: 'Inactive' })),
    );
    expect(other.code).toBe('EntityNotExist.User.AccessKey');
    const bad = await rejection(
      ram.updateAccessKey(new $Ram.UpdateAccessKeyRequest({ userName: 'build-agent', userAccessKeyId: 'LTAI5tDemoBuildAgent0001', status: 'Off' })),
    );
    expect(bad).toMatchObject({ code: 'InvalidParameter.Status', statusCode: 400 });
    const ims404 = await rejection(
      ims.updateAccessKey(new $Ims.UpdateAccessKeyRequest({ userPrincipalName: upn('nobody'), userAccessKeyId: 'x', status: 'Inactive' })),
    );
    expect(ims404.code).toBe('EntityNotExist.User');
  });

  it('a disabled key can no longer sign', async () => {
    await ram.updateAccessKey(
      new $Ram.UpdateAccessKeyRequest({ userName: 'ramparts-scanner', userAccessKeyId: 'LTAI5tDemoScannerKey0001', status: 'Inactive' }),
    );
    expect(await rejection(ram.getAccountAlias())).toMatchObject({ code: 'InvalidAccessKeyId.Inactive', statusCode: 400 });
  });

  it('refuses to delete an Active key (DeleteConflict.AccessKey.Active)', async () => {
    const e = await rejection(ram.deleteAccessKey(new $Ram.DeleteAccessKeyRequest({ userName: 'build-agent', userAccessKeyId: 'LTAI5tDemoBuildAgent0001' })));
    expect(e).toMatchObject({ code: 'DeleteConflict.AccessKey.Active', statusCode: 400 });
    expect(e.message).toContain('disable it');
    expect(await ramKeys('build-agent')).toHaveLength(1);
    const missing = await rejection(ram.deleteAccessKey(new $Ram.DeleteAccessKeyRequest({ userName: 'build-agent', userAccessKeyId: 'LTAI5tNope' })));
    expect(missing).toMatchObject({ code: 'EntityNotExist.User.AccessKey', statusCode: 404 });
  });

  it('deletes a disabled key into the recycle bin and restores it Inactive', async () => {
    const keyId = 'LTAI5tDemoBuildAgent0001';
    await ram.updateAccessKey(new $Ram.UpdateAccessKeyRequest({ userName: 'build-agent', userAccessKeyId: keyId, status: 'Inactive' }));
    await ram.deleteAccessKey(new $Ram.DeleteAccessKeyRequest({ userName: 'build-agent', userAccessKeyId: keyId }));
    expect(await ramKeys('build-agent')).toEqual([]);
    expect(emu.state.keys.has(keyId)).toBe(false);
    expect((await credentialReport()).find((r) => r.user === upn('build-agent'))).toMatchObject({ access_key_1_exist: 'FALSE' });

    const id = await userId('build-agent');
    const bin = await ims.listAccessKeysInRecycleBin(new $Ims.ListAccessKeysInRecycleBinRequest({ userId: id }));
    expect(bin.body?.accessKeys?.accessKey).toEqual([
      { accessKeyId: keyId, createDate: '2025-04-15T12:00:00Z', recycleDate: '2026-06-01T12:00:00Z', deleteDate: '2026-07-01T12:00:00Z' },
    ]);
    const info = await ims.getAccessKeyInfoInRecycleBin(new $Ims.GetAccessKeyInfoInRecycleBinRequest({ userAccessKeyId: keyId }));
    expect(info.body?.accessKey).toMatchObject({ accessKeyId: keyId, userId: id, userPrincipalName: upn('build-agent'), userRecycled: false });

    await ims.restoreAccessKeyFromRecycleBin(new $Ims.RestoreAccessKeyFromRecycleBinRequest({ userId: id, userAccessKeyId: keyId }));
    expect(await ramKeys('build-agent')).toEqual([{ id: keyId, status: 'Inactive' }]);
    expect(emu.state.keys.get(keyId)?.status).toBe('Inactive');
    const empty = await ims.listAccessKeysInRecycleBin(new $Ims.ListAccessKeysInRecycleBinRequest({ userId: id }));
    expect(empty.body?.accessKeys?.accessKey).toEqual([]);
    const again = await rejection(ims.restoreAccessKeyFromRecycleBin(new $Ims.RestoreAccessKeyFromRecycleBinRequest({ userId: id, userAccessKeyId: keyId })));
    expect(again).toMatchObject({ code: 'EntityNotExist.AccessKey.RecycleBin', statusCode: 404 });
    const gone = await rejection(ims.getAccessKeyInfoInRecycleBin(new $Ims.GetAccessKeyInfoInRecycleBinRequest({ userAccessKeyId: keyId })));
    expect(gone.code).toBe('EntityNotExist.AccessKey.RecycleBin');
  });

  it('IMS DeleteAccessKey recycles too; the bin is purged after 30 days of emulator time', async () => {
    const keyId = 'LTAI5tDemoMobileOld00001'; // already Inactive
    await ims.deleteAccessKey(new $Ims.DeleteAccessKeyRequest({ userPrincipalName: upn('mobile-backend'), userAccessKeyId: keyId }));
    const id = await userId('mobile-backend');
    const list = async () => (await ims.listAccessKeysInRecycleBin(new $Ims.ListAccessKeysInRecycleBinRequest({ userId: id }))).body?.accessKeys?.accessKey;
    now = new Date(NOW.getTime() + 29 * DAY_MS);
    expect(await list()).toHaveLength(1);
    now = new Date(NOW.getTime() + 30 * DAY_MS);
    expect(await list()).toEqual([]);
    const e = await rejection(ims.restoreAccessKeyFromRecycleBin(new $Ims.RestoreAccessKeyFromRecycleBinRequest({ userId: id, userAccessKeyId: keyId })));
    expect(e.code).toBe('EntityNotExist.AccessKey.RecycleBin');
  });

  it('keeps at most 3 keys per user in the bin, dropping the oldest deletion', async () => {
    const user = emu.state.users.get('mobile-backend')!;
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      now = new Date(NOW.getTime() + i * 60_000);
      // Four deletable keys: give the user extra Inactive ones, one at a time.
      const key = { ...user.keys[0]!, id: `LTAI5tBinKey${i}`, status: 'Inactive' as const };
      user.keys.push(key);
      emu.state.keys.set(key.id, key);
      await ram.deleteAccessKey(new $Ram.DeleteAccessKeyRequest({ userName: 'mobile-backend', userAccessKeyId: key.id }));
      ids.push(key.id);
    }
    const bin = await ims.listAccessKeysInRecycleBin(new $Ims.ListAccessKeysInRecycleBinRequest({ userId: user.id }));
    expect(bin.body?.accessKeys?.accessKey?.map((k) => k.accessKeyId)).toEqual(ids.slice(1));
    // The user still holds the scenario's 2 keys, the maximum: a restore would exceed it.
    const full = await rejection(
      ims.restoreAccessKeyFromRecycleBin(new $Ims.RestoreAccessKeyFromRecycleBinRequest({ userId: user.id, userAccessKeyId: ids[3] })),
    );
    expect(full).toMatchObject({ code: 'LimitExceeded.User.AccessKey', statusCode: 409 });
  });
});

describe('login profiles', () => {
  it('RAM UpdateLoginProfile forces MFA and a password reset; GetLoginProfile reads it back', async () => {
    await ram.updateLoginProfile(new $Ram.UpdateLoginProfileRequest({ userName: 'ops-wu', MFABindRequired: true, passwordResetRequired: true }));
    const lp = await ram.getLoginProfile(new $Ram.GetLoginProfileRequest({ userName: 'ops-wu' }));
    expect(lp.body?.loginProfile).toMatchObject({ MFABindRequired: true, passwordResetRequired: true });
    // Only the fields sent change.
    await ram.updateLoginProfile(new $Ram.UpdateLoginProfileRequest({ userName: 'ops-wu', passwordResetRequired: false }));
    const after = await ram.getLoginProfile(new $Ram.GetLoginProfileRequest({ userName: 'ops-wu' }));
    expect(after.body?.loginProfile).toMatchObject({ MFABindRequired: true, passwordResetRequired: false });
    const none = await rejection(ram.updateLoginProfile(new $Ram.UpdateLoginProfileRequest({ userName: 'build-agent', MFABindRequired: true })));
    expect(none).toMatchObject({ code: 'EntityNotExist.User.LoginProfile', statusCode: 404 });
  });

  it('IMS UpdateLoginProfile toggles Status reversibly and answers the profile', async () => {
    const r = await ims.updateLoginProfile(new $Ims.UpdateLoginProfileRequest({ userPrincipalName: upn('jenkins-legacy'), status: 'Inactive' }));
    expect(r.body?.loginProfile).toMatchObject({ userPrincipalName: upn('jenkins-legacy'), status: 'Inactive' });
    const lp = await ims.getLoginProfile(new $Ims.GetLoginProfileRequest({ userPrincipalName: upn('jenkins-legacy') }));
    expect(lp.body?.loginProfile?.status).toBe('Inactive');
    expect((await credentialReport()).find((row) => row.user === upn('jenkins-legacy'))).toMatchObject({
      password_exist: 'TRUE',
      password_active: 'FALSE',
    });
    await ims.updateLoginProfile(new $Ims.UpdateLoginProfileRequest({ userPrincipalName: upn('jenkins-legacy'), status: 'Active', MFABindRequired: true }));
    const back = await ims.getLoginProfile(new $Ims.GetLoginProfileRequest({ userPrincipalName: upn('jenkins-legacy') }));
    expect(back.body?.loginProfile).toMatchObject({ status: 'Active', MFABindRequired: true });
    const none = await rejection(ims.updateLoginProfile(new $Ims.UpdateLoginProfileRequest({ userPrincipalName: upn('build-agent'), status: 'Inactive' })));
    expect(none).toMatchObject({ code: 'EntityNotExist.User.LoginProfile', statusCode: 404 });
  });
});

describe('policy attachments and group membership', () => {
  const count = async (policyName: string, policyType: string) =>
    (await ram.getPolicy(new $Ram.GetPolicyRequest({ policyName, policyType }))).body?.policy?.attachmentCount;

  it('detaches and re-attaches a policy on a user, group and role; counts and listings follow', async () => {
    const admin = { policyName: 'AdministratorAccess', policyType: 'System' };
    expect(await count('AdministratorAccess', 'System')).toBe(3);
    await ram.detachPolicyFromUser(new $Ram.DetachPolicyFromUserRequest({ ...admin, userName: 'sre-admin' }));
    await ram.detachPolicyFromGroup(new $Ram.DetachPolicyFromGroupRequest({ ...admin, groupName: 'admins' }));
    await ram.detachPolicyFromRole(new $Ram.DetachPolicyFromRoleRequest({ ...admin, roleName: 'break-glass-admin' }));
    expect(await count('AdministratorAccess', 'System')).toBe(0);
    const entities = await ram.listEntitiesForPolicy(new $Ram.ListEntitiesForPolicyRequest(admin));
    expect(entities.body).toMatchObject({ users: { user: [] }, groups: { group: [] }, roles: { role: [] } });
    const forUser = await ram.listPoliciesForUser(new $Ram.ListPoliciesForUserRequest({ userName: 'sre-admin' }));
    expect(forUser.body?.policies?.policy?.map((p) => p.policyName)).not.toContain('AdministratorAccess');

    now = new Date(NOW.getTime() + DAY_MS);
    await ram.attachPolicyToUser(new $Ram.AttachPolicyToUserRequest({ ...admin, userName: 'sre-admin' }));
    await ram.attachPolicyToGroup(new $Ram.AttachPolicyToGroupRequest({ ...admin, groupName: 'admins' }));
    await ram.attachPolicyToRole(new $Ram.AttachPolicyToRoleRequest({ ...admin, roleName: 'break-glass-admin' }));
    const listed = await ram.listPolicies(new $Ram.ListPoliciesRequest({ policyType: 'System', maxItems: 1000 }));
    expect(listed.body?.policies?.policy?.find((p) => p.policyName === 'AdministratorAccess')?.attachmentCount).toBe(3);
    const back = await ram.listEntitiesForPolicy(new $Ram.ListEntitiesForPolicyRequest(admin));
    expect(back.body?.users?.user).toEqual([expect.objectContaining({ userName: 'sre-admin', attachDate: '2026-06-02T12:00:00Z' })]);
    const forRole = await ram.listPoliciesForRole(new $Ram.ListPoliciesForRoleRequest({ roleName: 'break-glass-admin' }));
    expect(forRole.body?.policies?.policy?.map((p) => p.policyName)).toContain('AdministratorAccess');
    const forGroup = await ram.listPoliciesForGroup(new $Ram.ListPoliciesForGroupRequest({ groupName: 'admins' }));
    expect(forGroup.body?.policies?.policy?.map((p) => p.policyName)).toEqual(['AdministratorAccess']);
  });

  it('answers attach/detach conflicts and unknown entities with RAM codes', async () => {
    const admin = { policyName: 'AdministratorAccess', policyType: 'System' };
    const kms = { policyName: 'AliyunKMSFullAccess', policyType: 'System' };
    const cases: [Promise<unknown>, string, number][] = [
      [ram.attachPolicyToUser(new $Ram.AttachPolicyToUserRequest({ ...admin, userName: 'sre-admin' })), 'EntityAlreadyExists.User.Policy', 409],
      [ram.attachPolicyToGroup(new $Ram.AttachPolicyToGroupRequest({ ...admin, groupName: 'admins' })), 'EntityAlreadyExists.Group.Policy', 409],
      [ram.attachPolicyToRole(new $Ram.AttachPolicyToRoleRequest({ ...admin, roleName: 'break-glass-admin' })), 'EntityAlreadyExists.Role.Policy', 409],
      [ram.detachPolicyFromUser(new $Ram.DetachPolicyFromUserRequest({ ...kms, userName: 'sre-admin' })), 'EntityNotExist.User.Policy', 404],
      [ram.detachPolicyFromGroup(new $Ram.DetachPolicyFromGroupRequest({ ...kms, groupName: 'admins' })), 'EntityNotExist.Group.Policy', 404],
      [ram.detachPolicyFromRole(new $Ram.DetachPolicyFromRoleRequest({ ...kms, roleName: 'break-glass-admin' })), 'EntityNotExist.Role.Policy', 404],
      [
        ram.attachPolicyToUser(new $Ram.AttachPolicyToUserRequest({ policyName: 'Nope', policyType: 'Custom', userName: 'sre-admin' })),
        'EntityNotExist.Policy',
        404,
      ],
      [ram.attachPolicyToUser(new $Ram.AttachPolicyToUserRequest({ ...kms, userName: 'nobody' })), 'EntityNotExist.User', 404],
      [ram.attachPolicyToRole(new $Ram.AttachPolicyToRoleRequest({ ...kms, roleName: 'nobody' })), 'EntityNotExist.Role', 404],
      [ram.attachPolicyToGroup(new $Ram.AttachPolicyToGroupRequest({ ...kms, groupName: 'nobody' })), 'EntityNotExist.Group', 404],
    ];
    for (const [call, code, statusCode] of cases) expect(await rejection(call)).toMatchObject({ code, statusCode, name: 'ClientError' });
    expect(await count('AdministratorAccess', 'System')).toBe(3);
    expect(await count('AliyunKMSFullAccess', 'System')).toBe(0);
  });

  it('removes a user from a group and adds them back', async () => {
    const members = async () =>
      (await ram.listUsersForGroup(new $Ram.ListUsersForGroupRequest({ groupName: 'deployers' }))).body?.users?.user?.map((u) => u.userName);
    await ram.removeUserFromGroup(new $Ram.RemoveUserFromGroupRequest({ groupName: 'deployers', userName: 'build-agent' }));
    expect(await members()).toEqual(['ci-deployer', 'mobile-backend', 'key-rotator']);
    const groups = await ram.listGroupsForUser(new $Ram.ListGroupsForUserRequest({ userName: 'build-agent' }));
    expect(groups.body?.groups?.group).toEqual([]);
    const notMember = await rejection(ram.removeUserFromGroup(new $Ram.RemoveUserFromGroupRequest({ groupName: 'deployers', userName: 'build-agent' })));
    expect(notMember).toMatchObject({ code: 'EntityNotExist.User.Group', statusCode: 404 });

    await ram.addUserToGroup(new $Ram.AddUserToGroupRequest({ groupName: 'deployers', userName: 'build-agent' }));
    expect(await members()).toEqual(['ci-deployer', 'mobile-backend', 'key-rotator', 'build-agent']);
    const already = await rejection(ram.addUserToGroup(new $Ram.AddUserToGroupRequest({ groupName: 'deployers', userName: 'build-agent' })));
    expect(already).toMatchObject({ code: 'EntityAlreadyExists.User.Group', statusCode: 409 });
    const ims = imsClient(emu.endpoint);
    const viaIms = await ims.listGroupsForUser(new $Ims.ListGroupsForUserRequest({ userPrincipalName: upn('build-agent') }));
    expect(viaIms.body?.groups?.group?.map((g) => g.groupName)).toEqual(['deployers']);
  });
});

describe('policy versions', () => {
  const versions = async (policyName: string) =>
    (await ram.listPolicyVersions(new $Ram.ListPolicyVersionsRequest({ policyName, policyType: 'Custom' }))).body?.policyVersions?.policyVersion ?? [];

  it('creates versions, sets the default, and GetPolicy follows', async () => {
    const created = await ram.createPolicyVersion(new $Ram.CreatePolicyVersionRequest({ policyName: 'EcsOperator', policyDocument: doc('ecs:Describe*') }));
    expect(created.body?.policyVersion).toMatchObject({ versionId: 'v2', isDefaultVersion: false, policyDocument: doc('ecs:Describe*') });
    let policy = await ram.getPolicy(new $Ram.GetPolicyRequest({ policyName: 'EcsOperator', policyType: 'Custom' }));
    expect(policy.body?.policy?.defaultVersion).toBe('v1');

    const v3 = await ram.createPolicyVersion(
      new $Ram.CreatePolicyVersionRequest({ policyName: 'EcsOperator', policyDocument: doc('ecs:List*'), setAsDefault: true }),
    );
    expect(v3.body?.policyVersion).toMatchObject({ versionId: 'v3', isDefaultVersion: true });
    policy = await ram.getPolicy(new $Ram.GetPolicyRequest({ policyName: 'EcsOperator', policyType: 'Custom' }));
    expect(policy.body?.policy).toMatchObject({ defaultVersion: 'v3', policyDocument: doc('ecs:List*') });

    // Roll back to the scenario's document.
    await ram.setDefaultPolicyVersion(new $Ram.SetDefaultPolicyVersionRequest({ policyName: 'EcsOperator', versionId: 'v1' }));
    const v1 = await ram.getPolicyVersion(new $Ram.GetPolicyVersionRequest({ policyName: 'EcsOperator', policyType: 'Custom', versionId: 'v1' }));
    expect(v1.body?.policyVersion?.isDefaultVersion).toBe(true);
    expect((await versions('EcsOperator')).map((v) => [v.versionId, v.isDefaultVersion])).toEqual([
      ['v1', true],
      ['v2', false],
      ['v3', false],
    ]);
    const unknown = await rejection(ram.setDefaultPolicyVersion(new $Ram.SetDefaultPolicyVersionRequest({ policyName: 'EcsOperator', versionId: 'v9' })));
    expect(unknown).toMatchObject({ code: 'EntityNotExist.Policy.Version', statusCode: 404 });
  });

  it(`refuses a ${POLICY_VERSIONS_MAX + 1}th version unless asked to rotate the oldest non-default one`, async () => {
    for (let i = 2; i <= POLICY_VERSIONS_MAX; i++) {
      await ram.createPolicyVersion(new $Ram.CreatePolicyVersionRequest({ policyName: 'EcsOperator', policyDocument: doc(`ecs:Op${i}`) }));
    }
    // v1 stays default; make v2 default so the rotation must skip it.
    await ram.setDefaultPolicyVersion(new $Ram.SetDefaultPolicyVersionRequest({ policyName: 'EcsOperator', versionId: 'v2' }));
    const full = await rejection(ram.createPolicyVersion(new $Ram.CreatePolicyVersionRequest({ policyName: 'EcsOperator', policyDocument: doc('ecs:X') })));
    expect(full).toMatchObject({ code: 'LimitExceeded.Policy.Version', statusCode: 409 });
    expect(await versions('EcsOperator')).toHaveLength(POLICY_VERSIONS_MAX);

    const rotated = await ram.createPolicyVersion(
      new $Ram.CreatePolicyVersionRequest({
        policyName: 'EcsOperator',
        policyDocument: doc('ecs:X'),
        rotateStrategy: 'DeleteOldestNonDefaultVersionWhenLimitExceeded',
      }),
    );
    expect(rotated.body?.policyVersion?.versionId).toBe('v6');
    expect((await versions('EcsOperator')).map((v) => v.versionId)).toEqual(['v2', 'v3', 'v4', 'v5', 'v6']);
    await ram.createPolicyVersion(
      new $Ram.CreatePolicyVersionRequest({ policyName: 'EcsOperator', policyDocument: doc('ecs:Y'), rotateStrategy: 'DeleteOldestNonDefaultVersionWhenLimitExceeded' }),
    );
    expect((await versions('EcsOperator')).map((v) => v.versionId)).toEqual(['v2', 'v4', 'v5', 'v6', 'v7']);
  });

  it('validates the document and accepts Custom policies only', async () => {
    for (const bad of ['{not json', '[]', JSON.stringify({ Version: '1', Statement: [] }), JSON.stringify({ Statement: [{ Effect: 'Allow', Action: '*' }] })]) {
      const e = await rejection(ram.createPolicyVersion(new $Ram.CreatePolicyVersionRequest({ policyName: 'EcsOperator', policyDocument: bad })));
      expect(e).toMatchObject({ code: 'MalformedPolicyDocument', statusCode: 400 });
    }
    const system = await rejection(
      ram.createPolicyVersion(new $Ram.CreatePolicyVersionRequest({ policyName: 'AdministratorAccess', policyDocument: doc('*') })),
    );
    expect(system).toMatchObject({ code: 'EntityNotExist.Policy', statusCode: 404 });
    expect(await versions('EcsOperator')).toHaveLength(1);
  });
});

describe('failAfterApply and write statistics', () => {
  it('applies the action, then answers 503 ServiceUnavailable, for the first N calls', async () => {
    emu.setFaults({ failAfterApply: { DetachPolicyFromUser: { times: 1 } } });
    const req = { policyName: 'AdministratorAccess', policyType: 'System', userName: 'sre-admin' };
    const e = await rejection(ram.detachPolicyFromUser(new $Ram.DetachPolicyFromUserRequest(req)));
    expect(e).toMatchObject({ name: 'ServerError', code: 'ServiceUnavailable', statusCode: 503 });
    expect(emu.state.isAttached('user', 'sre-admin', 'System', 'AdministratorAccess')).toBe(false);
    // A retry sees the change already made.
    const retry = await rejection(ram.detachPolicyFromUser(new $Ram.DetachPolicyFromUserRequest(req)));
    expect(retry.code).toBe('EntityNotExist.User.Policy');
    await ram.attachPolicyToUser(new $Ram.AttachPolicyToUserRequest(req));
    expect(emu.stats().writes).toEqual({ DetachPolicyFromUser: 2, AttachPolicyToUser: 1 });
  });

  it('targets one product’s action (ims:UpdateLoginProfile) and spares the others', async () => {
    emu.setFaults({ failAfterApply: { 'ims:UpdateLoginProfile': {} } });
    await ram.updateLoginProfile(new $Ram.UpdateLoginProfileRequest({ userName: 'ops-wu', MFABindRequired: true }));
    const e = await rejection(ims.updateLoginProfile(new $Ims.UpdateLoginProfileRequest({ userPrincipalName: upn('ops-wu'), status: 'Inactive' })));
    expect(e).toMatchObject({ code: 'ServiceUnavailable', statusCode: 503 });
    expect(emu.state.users.get('ops-wu')?.loginProfile).toMatchObject({ status: 'Inactive', mfaBindRequired: true });
  });

  it('counts writes apart from reads, per product and over HTTP', async () => {
    await ram.listUsers(new $Ram.ListUsersRequest({}));
    await ims.listAccessKeysInRecycleBin(new $Ims.ListAccessKeysInRecycleBinRequest({ userId: await userId('build-agent') }));
    expect(emu.stats().writes).toEqual({});
    await ram.updateAccessKey(new $Ram.UpdateAccessKeyRequest({ userName: 'build-agent', userAccessKeyId: 'LTAI5tDemoBuildAgent0001', status: 'Inactive' }));
    await ims.updateAccessKey(
      new $Ims.UpdateAccessKeyRequest({ userPrincipalName: upn('build-agent'), userAccessKeyId: 'LTAI5tDemoBuildAgent0001', status: 'Active' }),
    );
    await rejection(ram.addUserToGroup(new $Ram.AddUserToGroupRequest({ groupName: 'deployers', userName: 'build-agent' })));
    const stats = emu.stats();
    expect(stats.writes).toEqual({ UpdateAccessKey: 2, AddUserToGroup: 1 });
    expect(stats.calls).toMatchObject({ UpdateAccessKey: 2, AddUserToGroup: 1, ListUsers: 1 });
    expect(stats.errors).toEqual({ AddUserToGroup: 1 });
    expect(stats.byProduct.ram.writes).toEqual({ UpdateAccessKey: 1, AddUserToGroup: 1 });
    expect(stats.byProduct.ims.writes).toEqual({ UpdateAccessKey: 1 });
    const wire = (await (await fetch(`${emu.url}/__emulator/stats`)).json()) as { writes: Record<string, number> };
    expect(wire.writes).toEqual({ UpdateAccessKey: 2, AddUserToGroup: 1 });
    emu.resetStats();
    expect(emu.stats().writes).toEqual({});
  });
});
