/**
 * The emulator's ActionTrail trail reads (DescribeTrails, GetTrailStatus) and KMS secret reads
 * (ListSecrets, DescribeSecret), called with the real generic OpenAPI client.
 */
import { rpcParams } from '../../shared/cloud/rpc.js';
import * as $dara from '@darabonba/typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseScenario, startEmulator, type Emulator, type ScenarioInput } from '../../emulator/index.js';
import { $OpenApiUtil, OpenApi, OpenApiUtil } from '../../shared/cloud/sdk.js';
import { NOW, SCANNER_KEY, fixedClock, rejection } from './clients.js';

const MGMT = '1234567890123456';
const MEMBER = '2222222222222222';
const MEMBER_KEY = { accessKeyId: 'LTAI5tMemberAuditKey01', accessKeySecret: 'member-secret-not-real' };
const SLS_ERROR = 'write sls failed, exception: the parent of sub user must be project owner, itemscount: 1';

const bulk = Array.from({ length: 9 }, (_, i) => ({ name: `bulk-${String(i).padStart(2, '0')}`, createDate: `-${30 + i}d` }));

const input: ScenarioInput = {
  account: { id: MGMT, alias: 'audit' },
  users: [{ name: 'alice', accessKeys: [{ id: SCANNER_KEY.accessKeyId, secret: SCANNER_KEY.accessKeySecret, createDate: '-30d' }] }],
  trails: [
    { name: 'audit-all', createDate: '-400d', oss: { bucket: 'audit-logs', prefix: 'actiontrail' }, sls: { project: 'audit-sls' } },
    { name: 'stopped', status: 'Disable', eventRW: 'Write', trailRegion: 'cn-hangzhou', stopLoggingDate: '-10d', oss: { bucket: 'old-logs' } },
    { name: 'broken', sls: { project: 'broken-sls', available: false }, lastDeliveryDate: '-3d', deliveryError: SLS_ERROR },
    { name: 'fresh', status: 'Fresh' },
    { name: 'org-trail', organization: true, oss: { bucket: 'org-logs', region: 'cn-shanghai' } },
    { name: 'shanghai', homeRegion: 'cn-shanghai' },
  ],
  secrets: [
    { name: 'rds/prod', type: 'Rds', description: 'prod db', createDate: '-100d', rotation: { enabled: true, interval: '7d', lastRotationDate: '-2d' }, tags: { env: 'prod', team: 'db' } },
    { name: 'app/api-token', createDate: '-50d', tags: { env: 'dev' } },
    { name: 'old/secret', plannedDeleteDate: '+7d' },
    { name: 'gone/secret', plannedDeleteDate: '-1d' },
    ...bulk,
  ],
  members: [
    {
      account: { id: MEMBER, alias: 'member' },
      users: [{ name: 'bob', accessKeys: [{ id: MEMBER_KEY.accessKeyId, secret: MEMBER_KEY.accessKeySecret, createDate: '-5d' }] }],
      trails: [{ name: 'member-trail' }],
      secrets: [{ name: 'member/secret', type: 'RAMCredentials' }],
    },
  ],
};

let emu: Emulator;

beforeAll(async () => {
  emu = await startEmulator({ scenario: parseScenario(input), clock: fixedClock });
});
afterAll(() => emu.close());

type Body = Record<string, unknown>;
type Key = { accessKeyId: string; accessKeySecret: string };

/** An RPC call through the generic client, as shared/activity/actiontrail.ts does it (KMS: version 2016-01-20). */
async function call(version: string, action: string, query: Record<string, unknown> = {}, key: Key = SCANNER_KEY): Promise<Body> {
  const client = new OpenApi(new $OpenApiUtil.Config({ ...key, endpoint: emu.endpoint, protocol: 'http' }));
  const params = rpcParams(action, version);
  const res = await client.callApi(params, new $OpenApiUtil.OpenApiRequest({ query: OpenApiUtil.query(query) }), new $dara.RuntimeOptions({}));
  return res.body as Body;
}
const trail = (action: string, query?: Record<string, unknown>, key?: Key) => call('2020-07-06', action, query, key);
const kms = (action: string, query?: Record<string, unknown>, key?: Key) => call('2016-01-20', action, query, key);

const iso = (offsetMs: number) => new Date(NOW.getTime() + offsetMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
const DAY = 86_400_000;
const trailNames = (b: Body) => (b.TrailList as Body[]).map((t) => t.Name);
const secretList = (b: Body) => (b.SecretList as { Secret: Body[] }).Secret;

describe('emulator ActionTrail DescribeTrails', () => {
  it('lists the account trails of this region, without organization or shadow trails by default', async () => {
    const body = await trail('DescribeTrails');
    expect(trailNames(body)).toEqual(['audit-all', 'stopped', 'broken', 'fresh']);
    const [all, stopped] = body.TrailList as Body[];
    expect(all).toEqual({
      Name: 'audit-all',
      HomeRegion: 'cn-hangzhou',
      TrailRegion: 'All',
      EventRW: 'All',
      IsOrganizationTrail: false,
      Status: 'Enable',
      OssBucketName: 'audit-logs',
      OssBucketLocation: 'oss-cn-hangzhou',
      OssKeyPrefix: 'actiontrail',
      OssWriteRoleArn: `acs:ram::${MGMT}:role/aliyunserviceroleforactiontrail`,
      SlsProjectArn: `acs:log:cn-hangzhou:${MGMT}:project/audit-sls`,
      SlsWriteRoleArn: `acs:ram::${MGMT}:role/aliyunserviceroleforactiontrail`,
      MaxComputeProjectArn: '',
      MaxComputeWriteRoleArn: '',
      CreateTime: iso(-400 * DAY),
      UpdateTime: iso(-400 * DAY),
      StartLoggingTime: iso(-400 * DAY),
      TrailArn: `acs:actiontrail:cn-hangzhou:${MGMT}:trail/audit-all`,
      Region: 'cn-hangzhou',
    });
    expect(stopped).toMatchObject({ Status: 'Disable', EventRW: 'Write', TrailRegion: 'cn-hangzhou', StopLoggingTime: iso(-10 * DAY), SlsProjectArn: '' });
  });

  it('adds organization trails with IncludeOrganizationTrail and shadow trails with IncludeShadowTrails', async () => {
    const org = await trail('DescribeTrails', { IncludeOrganizationTrail: true });
    expect(trailNames(org)).toEqual(['audit-all', 'stopped', 'broken', 'fresh', 'org-trail']);
    expect((org.TrailList as Body[])[4]).toMatchObject({ IsOrganizationTrail: true, OrganizationId: emu.accounts.directoryId, OssBucketLocation: 'oss-cn-shanghai' });
    expect((org.TrailList as Body[])[0]).not.toHaveProperty('OrganizationId');
    expect(trailNames(await trail('DescribeTrails', { IncludeShadowTrails: true }))).toContain('shanghai');
    expect(trailNames(await trail('DescribeTrails', { RegionId: 'cn-shanghai' }))).toEqual(['shanghai']);
  });

  it('narrows to NameList, ignoring unknown names and still hiding organization trails without the flag', async () => {
    expect(trailNames(await trail('DescribeTrails', { NameList: 'stopped, fresh,nope' }))).toEqual(['stopped', 'fresh']);
    expect(trailNames(await trail('DescribeTrails', { NameList: 'org-trail' }))).toEqual([]);
    expect(trailNames(await trail('DescribeTrails', { NameList: 'org-trail', IncludeOrganizationTrail: true }))).toEqual(['org-trail']);
  });
});

describe('emulator ActionTrail GetTrailStatus', () => {
  it('reports a logging trail delivering to OSS and SLS', async () => {
    const body = await trail('GetTrailStatus', { Name: 'audit-all' });
    expect(body).toMatchObject({
      IsLogging: true,
      LatestDeliveryError: '',
      LatestDeliveryLogServiceError: '',
      LatestDeliveryTime: iso(-5 * 60_000),
      LatestDeliveryLogServiceTime: iso(-5 * 60_000),
      OssBucketStatus: true,
      SlsLogStoreStatus: true,
      StartLoggingTime: iso(-400 * DAY),
    });
    expect(body).not.toHaveProperty('StopLoggingTime');
  });

  it('reports stopped and never-started trails as not logging', async () => {
    await expect(trail('GetTrailStatus', { Name: 'stopped' })).resolves.toMatchObject({
      IsLogging: false,
      StopLoggingTime: iso(-10 * DAY),
      LatestDeliveryTime: iso(-10 * DAY),
      OssBucketStatus: true,
      SlsLogStoreStatus: false,
    });
    const fresh = await trail('GetTrailStatus', { Name: 'fresh' });
    expect(fresh).toMatchObject({ IsLogging: false, OssBucketStatus: false, SlsLogStoreStatus: false });
    expect(fresh).not.toHaveProperty('StartLoggingTime');
    expect(fresh).not.toHaveProperty('LatestDeliveryTime');
  });

  it('reports a failing delivery', async () => {
    await expect(trail('GetTrailStatus', { Name: 'broken' })).resolves.toMatchObject({
      IsLogging: true,
      LatestDeliveryError: SLS_ERROR,
      LatestDeliveryLogServiceError: SLS_ERROR,
      LatestDeliveryTime: iso(-3 * DAY),
      SlsLogStoreStatus: false,
    });
  });

  it('finds an organization trail only with IsOrganizationTrail, and answers 404 for unknown trails', async () => {
    await expect(trail('GetTrailStatus', { Name: 'org-trail', IsOrganizationTrail: true })).resolves.toMatchObject({ IsLogging: true });
    const notFound = { statusCode: 404, code: 'TrailNotFoundException' };
    await expect(rejection(trail('GetTrailStatus', { Name: 'org-trail' }))).resolves.toMatchObject(notFound);
    const unknown = await rejection(trail('GetTrailStatus', { Name: 'nope' }));
    expect(unknown).toMatchObject(notFound);
    expect(unknown.message).toContain('The trail does not exist.');
    await expect(rejection(trail('GetTrailStatus'))).resolves.toMatchObject({ statusCode: 400, code: 'MissingName' });
  });
});

describe('emulator KMS ListSecrets', () => {
  it('pages with PageNumber/PageSize (default 10), counting live secrets only', async () => {
    const first = await kms('ListSecrets');
    expect(first).toMatchObject({ PageNumber: 1, PageSize: 10, TotalCount: 12 });
    expect(secretList(first).map((s) => s.SecretName)).toEqual(['rds/prod', 'app/api-token', 'old/secret', ...bulk.slice(0, 7).map((b) => b.name)]);
    expect(secretList(first)[0]).toEqual({ SecretName: 'rds/prod', SecretType: 'Rds', CreateTime: iso(-100 * DAY), UpdateTime: iso(-2 * DAY) });
    expect(secretList(first)[2]).toMatchObject({ SecretName: 'old/secret', PlannedDeleteTime: iso(7 * DAY) });
    const last = await kms('ListSecrets', { PageNumber: 3, PageSize: 5 });
    expect(last).toMatchObject({ PageNumber: 3, PageSize: 5, TotalCount: 12 });
    expect(secretList(last).map((s) => s.SecretName)).toEqual(['bulk-07', 'bulk-08']);
    expect(secretList(await kms('ListSecrets', { PageNumber: 4, PageSize: 5 }))).toEqual([]);
  });

  it('returns tags only with FetchTags=true, and filters by SecretName', async () => {
    const body = await kms('ListSecrets', { FetchTags: 'true', PageSize: 2 });
    expect(secretList(body)[0]!.Tags).toEqual({ Tag: [{ TagKey: 'env', TagValue: 'prod' }, { TagKey: 'team', TagValue: 'db' }] });
    expect(secretList(await kms('ListSecrets', { FetchTags: 'false' }))[0]).not.toHaveProperty('Tags');
    const filtered = await kms('ListSecrets', { Filters: JSON.stringify([{ Key: 'SecretName', Values: ['app/api-token', 'old/secret'] }]) });
    expect(filtered).toMatchObject({ TotalCount: 2 });
    expect(secretList(filtered).map((s) => s.SecretName)).toEqual(['app/api-token', 'old/secret']);
  });

  it('rejects a PageSize out of 1–100 and malformed Filters', async () => {
    for (const PageSize of [0, 101]) {
      const e = await rejection(kms('ListSecrets', { PageSize }));
      expect(e).toMatchObject({ statusCode: 400, code: 'InvalidParameter.PageSize' });
      expect(e.message).toContain('PageSize');
    }
    await expect(rejection(kms('ListSecrets', { Filters: '[{"Key":"Color"}]' }))).resolves.toMatchObject({ code: 'InvalidParameter.Filters' });
  });
});

describe('emulator KMS DescribeSecret', () => {
  it('describes a managed secret with automatic rotation', async () => {
    const body = await kms('DescribeSecret', { SecretName: 'rds/prod', FetchTags: 'true' });
    expect(body).toMatchObject({
      Arn: `acs:kms:cn-hangzhou:${MGMT}:secret/rds/prod`,
      SecretName: 'rds/prod',
      SecretType: 'Rds',
      Description: 'prod db',
      CreateTime: iso(-100 * DAY),
      UpdateTime: iso(-2 * DAY),
      AutomaticRotation: 'Enabled',
      RotationInterval: '604800s',
      LastRotationDate: iso(-2 * DAY),
      NextRotationDate: iso(5 * DAY),
      Tags: { Tag: [{ TagKey: 'env', TagValue: 'prod' }, { TagKey: 'team', TagValue: 'db' }] },
    });
    expect(body.EncryptionKeyId).toMatch(/^key-[a-z0-9]{21}$/);
    expect(body).not.toHaveProperty('PlannedDeleteTime');
    expect(await kms('DescribeSecret', { SecretName: 'rds/prod' })).not.toHaveProperty('Tags');
    // The docs accept the secret's ARN as its name.
    await expect(kms('DescribeSecret', { SecretName: `acs:kms:cn-hangzhou:${MGMT}:secret/rds/prod` })).resolves.toMatchObject({ SecretName: 'rds/prod' });
  });

  it('describes a Generic secret as not rotatable, and a secret scheduled for deletion', async () => {
    const generic = await kms('DescribeSecret', { SecretName: 'app/api-token' });
    expect(generic).toMatchObject({ SecretType: 'Generic', AutomaticRotation: 'Invalid' });
    for (const field of ['RotationInterval', 'NextRotationDate', 'LastRotationDate', 'PlannedDeleteTime']) expect(generic).not.toHaveProperty(field);
    await expect(kms('DescribeSecret', { SecretName: 'old/secret' })).resolves.toMatchObject({ PlannedDeleteTime: iso(7 * DAY) });
  });

  it('answers 404 Forbidden.ResourceNotFound for unknown and already deleted secrets', async () => {
    for (const SecretName of ['nope', 'gone/secret', `acs:kms:cn-hangzhou:${MEMBER}:secret/member/secret`]) {
      await expect(rejection(kms('DescribeSecret', { SecretName }))).resolves.toMatchObject({ statusCode: 404, code: 'Forbidden.ResourceNotFound' });
    }
    await expect(rejection(kms('DescribeSecret'))).resolves.toMatchObject({ statusCode: 400, code: 'MissingSecretName' });
  });
});

describe('per-account trails and secrets, and statistics', () => {
  it('serves each account its own trails and secrets', async () => {
    expect(trailNames(await trail('DescribeTrails', {}, MEMBER_KEY))).toEqual(['member-trail']);
    // A member sees the management account's multi-account trails, which stay the management account's.
    const withOrg = await trail('DescribeTrails', { IncludeOrganizationTrail: true }, MEMBER_KEY);
    expect(trailNames(withOrg)).toEqual(['member-trail', 'org-trail']);
    expect((withOrg.TrailList as Body[])[1]).toMatchObject({ TrailArn: `acs:actiontrail:cn-hangzhou:${MGMT}:trail/org-trail`, OrganizationId: emu.accounts.directoryId });
    await expect(trail('GetTrailStatus', { Name: 'org-trail', IsOrganizationTrail: true }, MEMBER_KEY)).resolves.toMatchObject({ IsLogging: true });
    await expect(rejection(trail('GetTrailStatus', { Name: 'audit-all' }, MEMBER_KEY))).resolves.toMatchObject({ code: 'TrailNotFoundException' });
    const secrets = await kms('ListSecrets', {}, MEMBER_KEY);
    expect(secrets).toMatchObject({ TotalCount: 1 });
    expect(secretList(secrets)[0]).toMatchObject({ SecretName: 'member/secret', SecretType: 'RAMCredentials' });
    await expect(kms('DescribeSecret', { SecretName: 'member/secret' }, MEMBER_KEY)).resolves.toMatchObject({
      Arn: `acs:kms:cn-hangzhou:${MEMBER}:secret/member/secret`,
      AutomaticRotation: 'Disabled',
    });
  });

  it('counts KMS calls under byProduct.kms', async () => {
    emu.resetStats();
    await kms('ListSecrets');
    await kms('ListSecrets', { PageNumber: 2 });
    await rejection(kms('DescribeSecret', { SecretName: 'nope' }));
    await trail('DescribeTrails');
    const stats = emu.stats();
    expect(stats.byProduct.kms).toMatchObject({ calls: { ListSecrets: 2, DescribeSecret: 1 }, errors: { DescribeSecret: 1 }, total: 3 });
    expect(stats.byProduct.actiontrail.calls).toEqual({ DescribeTrails: 1 });
    expect(emu.state.keys.get(SCANNER_KEY.accessKeyId)!.lastUsedService).toBe('Actiontrail');
  });
});

describe('scenario validation of trails and secrets', () => {
  const base = { account: { id: MGMT } };
  it('rejects rotation on Generic secrets, rotation without an interval, and duplicate names', () => {
    expect(() => parseScenario({ ...base, secrets: [{ name: 's', rotation: { enabled: true, interval: '7d' } }] })).toThrow(
      /secrets\[0\]\.rotation\.enabled: a Generic secret cannot rotate automatically/,
    );
    expect(() => parseScenario({ ...base, secrets: [{ name: 's', type: 'Rds', rotation: { enabled: true } }] })).toThrow(/secrets\[0\]\.rotation\.interval/);
    expect(() => parseScenario({ ...base, trails: [{ name: 't' }, { name: 't' }] })).toThrow(/trails: duplicate trail name "t"/);
    expect(() => parseScenario({ ...base, trails: [{ name: 't', homeRegion: 'Hangzhou' }] })).toThrow(/trails\[0\]\.homeRegion/);
  });
});
