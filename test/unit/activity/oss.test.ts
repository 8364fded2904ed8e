import { gzipSync } from 'node:zlib';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createOssClient, dayPrefixes, fileTime, readOssActivity } from '../../../shared/activity/oss.js';
import { UsageIndex } from '../../../shared/activity/usage-index.js';
import { staticCredential } from '../../../shared/cloud/clients.js';
import { CloudError } from '../../../shared/errors.js';

const BUCKET = 'trail-bucket';
const HOST = `https://${BUCKET}.oss-cn-hangzhou.aliyuncs.com`;
const DAY27 = 'trail/AliyunLogs/Actiontrail/cn-hangzhou/2026/11/27/';
const DAY28 = 'trail/AliyunLogs/Actiontrail/cn-hangzhou/2026/11/28/';
const NOW = new Date('2026-11-28T00:30:00Z');
/** One day back: the window is 2026-11-27T00:30:00Z … NOW. */
const OPTS = { bucket: BUCKET, prefix: '/trail/', regions: ['cn-hangzhou'], now: NOW, retentionDays: 1 };

const client = () =>
  createOssClient({ region: 'cn-hangzhou', bucket: BUCKET, endpoint: 'oss-cn-hangzhou.aliyuncs.com', credential: staticCredential('LTAIfakeTestKey', 'fake-secret') });

/** An ActionTrail record (reference §4.2 shape, trimmed). */
function ev(id: string, time: string, who: Record<string, string>, serviceName: string, eventName: string, errorCode = ''): Record<string, unknown> {
  return { eventId: id, eventVersion: '1', eventType: 'ApiCall', eventTime: time, serviceName, eventName, errorCode, errorMessage: '', userIdentity: who, acsRegion: 'cn-hangzhou' };
}
const ALICE = { type: 'ram-user', accountId: '1234', principalId: '2001', userName: 'alice', accessKeyId: 'LTAIalice0001' };
const OPS = { type: 'assumed-role', accountId: '1234', principalId: '3001:s1', userName: 'ops-role:s1', accessKeyId: 'STS.token01', arn: 'acs:ram::1234:assumed-role/ops-role/s1' };
const BOB = { type: 'ram-user', accountId: '1234', principalId: '2002', userName: 'bob', accessKeyId: 'LTAIbob0001' };

const gzArray = (events: unknown[]): Buffer => gzipSync(JSON.stringify(events, null, 2));
const gzLines = (events: unknown[]): Buffer => gzipSync(events.map((e) => JSON.stringify(e)).join('\n') + '\n');
const file = (day: string, stamp: string): string => `${day}Actiontrail_cn-hangzhou_${stamp}_1002_2_512_0123456789abcdef.gz`;

const xml = (body: string): string => `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;

/** A fake bucket: ListObjectsV2 pages of `pageSize` keys (token = next index), GetObject by key. Records requests. */
function serve(files: Record<string, Buffer>, pageSize = 2): { lists: string[]; fetched: string[] } {
  const seen = { lists: [] as string[], fetched: [] as string[] };
  const keys = Object.keys(files).sort();
  nock(HOST)
    .persist()
    .get('/')
    .query(true)
    .reply(function (uri) {
      const q = new URL(uri, HOST).searchParams;
      const prefix = q.get('prefix') ?? '';
      const start = Number(q.get('continuation-token') ?? 0);
      seen.lists.push(`${prefix}@${start}`);
      const matching = keys.filter((k) => k.startsWith(prefix));
      const page = matching.slice(start, start + pageSize);
      const more = start + pageSize < matching.length;
      const contents = page
        .map((k) => `<Contents><Key>${k}</Key><LastModified>2026-11-28T00:00:00.000Z</LastModified><ETag>"E"</ETag><Type>Normal</Type><Size>${files[k]!.length}</Size><StorageClass>Standard</StorageClass></Contents>`)
        .join('');
      return [
        200,
        xml(`<ListBucketResult><Name>${BUCKET}</Name><Prefix>${prefix}</Prefix><MaxKeys>1000</MaxKeys><KeyCount>${page.length}</KeyCount><IsTruncated>${more}</IsTruncated>${more ? `<NextContinuationToken>${start + pageSize}</NextContinuationToken>` : ''}${contents}</ListBucketResult>`),
        { 'content-type': 'application/xml' },
      ];
    });
  nock(HOST)
    .persist()
    .get((path) => path !== '/' && !path.startsWith('/?'))
    .reply(function (uri) {
      const key = decodeURIComponent(new URL(uri, HOST).pathname.slice(1));
      seen.fetched.push(key);
      const body = files[key];
      if (!body) return [404, xml('<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><RequestId>R404</RequestId></Error>'), { 'content-type': 'application/xml' }];
      return [200, body, { 'content-type': 'application/octet-stream' }];
    });
  return seen;
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('delivery file layout', () => {
  it('lists one UTC day folder per day of the span', () => {
    expect(dayPrefixes('p/', 'cn-hangzhou', new Date('2026-11-27T23:50:00Z'), new Date('2026-11-29T00:10:00Z'))).toEqual([
      'p/AliyunLogs/Actiontrail/cn-hangzhou/2026/11/27/',
      'p/AliyunLogs/Actiontrail/cn-hangzhou/2026/11/28/',
      'p/AliyunLogs/Actiontrail/cn-hangzhou/2026/11/29/',
    ]);
  });

  it('reads the UTC stamp from a file name', () => {
    expect(fileTime(file(DAY27, '20261127235501'))).toBe(Date.parse('2026-11-27T23:55:01Z'));
    expect(fileTime(`${DAY27}README`)).toBeUndefined();
  });
});

describe('readOssActivity', () => {
  it('reads gzip array and NDJSON files of the window, paging the listing, and skips files outside it unfetched', async () => {
    const tooOld = file(DAY27, '20261127001000');
    const edge = file(DAY27, '20261127002500');
    const array = file(DAY27, '20261127120000');
    const lines = file(DAY28, '20261128001500');
    const seen = serve({
      [tooOld]: gzArray([ev('e0', '2026-11-27T00:09:00Z', ALICE, 'Ecs', 'StartInstance')]),
      // Within the 10-minute margin: fetched, but its event before the window is not taken.
      [edge]: gzLines([ev('e1', '2026-11-27T00:22:00Z', ALICE, 'Ecs', 'StopInstance'), ev('e2', '2026-11-27T00:31:00Z', ALICE, 'Ecs', 'DescribeInstances')]),
      [array]: gzArray([ev('e3', '2026-11-27T11:58:00Z', OPS, 'Oss', 'GetObject'), ev('e4', '2026-11-27T11:59:00Z', BOB, 'Ram', 'DeleteUser', 'NoPermission')]),
      [lines]: gzLines([ev('e5', '2026-11-28T00:12:00Z', BOB, 'Ram', 'ListUsers'), { eventTime: 'not-an-event' }]),
      [`${DAY28}notes.txt`]: Buffer.from('x'),
    });
    const index = new UsageIndex();
    const res = await readOssActivity(client(), index, OPTS);

    expect(seen.lists).toEqual([`${DAY27}@0`, `${DAY27}@2`, `${DAY28}@0`]);
    expect(seen.fetched.sort()).toEqual([array, edge, lines].sort());
    expect(res).toMatchObject({ pages: 3, files: { read: 3, skipped: 2 }, records: 6, added: 4, outside: 1, duplicates: 0 });
    expect(res.skipped.count).toBe(1);
    expect(res.skipped.reasons[0]).toMatch(/^trail\/.*\.gz: eventId/);

    expect(index.lastUsed('user:alice', 'ecs:DescribeInstances')).toBe('2026-11-27T00:31:00.000Z');
    expect(index.lastUsed('user:alice', 'ecs:StopInstance')).toBeUndefined();
    expect(index.lastUsed('accessKey:LTAIalice0001', 'ecs:DescribeInstances')).toBe('2026-11-27T00:31:00.000Z');
    expect(index.lastUsed('role:ops-role', 'oss:GetObject')).toBe('2026-11-27T11:58:00.000Z');
    expect(index.identities()).not.toContain('accessKey:STS.token01');
    // Denied: active, but the permission was not used.
    expect(index.lastUsed('user:bob', 'ram:DeleteUser')).toBeUndefined();
    expect(index.lastUsed('user:bob', 'ram:ListUsers')).toBe('2026-11-28T00:12:00.000Z');
    expect(index.coverage).toEqual({ from: '2026-11-27T00:30:00.000Z', to: NOW.toISOString() });
  });

  it('streams large files of either framing across gzip chunks, multi-byte text included', async () => {
    const many = (tag: string, n: number) =>
      Array.from({ length: n }, (_, i) => ({
        ...ev(`${tag}-${i}`, new Date(Date.parse('2026-11-27T06:00:00Z') + i * 1000).toISOString(), ALICE, 'Ecs', `Describe${i % 7}`),
        errorMessage: '没有权限访问该资源 — ✓'.repeat(3),
      }));
    const array = file(DAY27, '20261127080000');
    const lines = file(DAY27, '20261127090000');
    serve({ [array]: gzArray(many('a', 3000)), [lines]: gzLines(many('l', 3000)) });
    const index = new UsageIndex();
    const res = await readOssActivity(client(), index, OPTS);
    expect(res).toMatchObject({ records: 6000, added: 6000, skipped: { count: 0 } });
    expect(index.usedActions('user:alice', new Date(0))).toHaveLength(7);
  });

  it('re-reads the settling span before the last read and adds nothing twice', async () => {
    const a = file(DAY28, '20261128001500');
    serve({ [a]: gzLines([ev('e1', '2026-11-28T00:12:00Z', ALICE, 'Ecs', 'DescribeInstances'), ev('e2', '2026-11-28T00:14:00Z', ALICE, 'Ecs', 'StopInstance')]) });
    const index = new UsageIndex();
    await readOssActivity(client(), index, OPTS);
    expect(index.events).toBe(2);
    nock.cleanAll();

    const later = new Date('2026-11-28T01:00:00Z');
    const b = file(DAY28, '20261128005000');
    const seen = serve({
      [a]: gzLines([ev('e1', '2026-11-28T00:12:00Z', ALICE, 'Ecs', 'DescribeInstances'), ev('e2', '2026-11-28T00:14:00Z', ALICE, 'Ecs', 'StopInstance')]),
      [b]: gzArray([ev('e3', '2026-11-28T00:49:00Z', ALICE, 'Ecs', 'StartInstance')]),
    });
    const res = await readOssActivity(client(), index, { ...OPTS, now: later });
    // The first read covered up to 00:30: the next starts 15 minutes earlier (late deliveries land there).
    expect(res.window.from.toISOString()).toBe('2026-11-28T00:15:00.000Z');
    // File a is stamped within the margin of the window start, so it is read again; its events are older.
    expect(seen.fetched.sort()).toEqual([a, b].sort());
    expect(res).toMatchObject({ added: 1, duplicates: 0, outside: 2 });
    expect(index.events).toBe(3);
    expect(index.lastUsed('user:alice', 'ecs:StartInstance')).toBe('2026-11-28T00:49:00.000Z');
  });

  it('throws a CloudError naming the bucket and key and leaves the index unchanged when a file cannot be read', async () => {
    const good = file(DAY27, '20261127120000');
    const missing = file(DAY28, '20261128001500');
    nock(HOST)
      .get('/')
      .query((q) => q.prefix === DAY27)
      .reply(200, xml(`<ListBucketResult><Name>${BUCKET}</Name><KeyCount>1</KeyCount><IsTruncated>false</IsTruncated><Contents><Key>${good}</Key><Size>1</Size></Contents></ListBucketResult>`), { 'content-type': 'application/xml' })
      .get('/')
      .query((q) => q.prefix === DAY28)
      .reply(200, xml(`<ListBucketResult><Name>${BUCKET}</Name><KeyCount>1</KeyCount><IsTruncated>false</IsTruncated><Contents><Key>${missing}</Key><Size>1</Size></Contents></ListBucketResult>`), { 'content-type': 'application/xml' })
      .get(`/${good}`)
      .reply(200, gzArray([ev('e1', '2026-11-27T11:00:00Z', ALICE, 'Ecs', 'DescribeInstances')]))
      .get(`/${missing}`)
      .reply(403, xml('<Error><Code>AccessDenied</Code><Message>You have no right to access this object.</Message><RequestId>R1</RequestId></Error>'), { 'content-type': 'application/xml' });
    const index = new UsageIndex();
    const before = JSON.stringify(index.toJSON());
    const err = await readOssActivity(client(), index, OPTS).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CloudError);
    expect((err as CloudError).message).toContain(`bucket "${BUCKET}" key "${missing}"`);
    // A streamed GetObject error body is not parsed by ali-oss: the status is what is known.
    expect((err as CloudError).message).toContain('status: 403');
    expect((err as CloudError).code).toBe('CLOUD_NO_PERMISSION');
    expect(JSON.stringify(index.toJSON())).toBe(before);
  });

  it('throws naming the bucket and prefix when a listing fails', async () => {
    nock(HOST)
      .get('/')
      .query(true)
      .reply(403, xml('<Error><Code>AccessDenied</Code><Message>denied</Message><RequestId>R2</RequestId></Error>'), { 'content-type': 'application/xml' });
    const index = new UsageIndex();
    const err = await readOssActivity(client(), index, OPTS).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CloudError);
    expect((err as CloudError).message).toContain(`bucket "${BUCKET}" prefix "${DAY27}"`);
    expect((err as CloudError).cloudCode).toBe('AccessDenied');
    expect((err as CloudError).code).toBe('CLOUD_NO_PERMISSION');
    expect(index.coverage).toBeNull();
  });

  it('refuses an empty region list rather than cover the window with nothing', async () => {
    const index = new UsageIndex();
    await expect(readOssActivity(client(), index, { ...OPTS, regions: [] })).rejects.toThrow(/regions is empty/);
    expect(index.coverage).toBeNull();
  });

  it('throws on a corrupt gzip file rather than read it as empty', async () => {
    const bad = file(DAY27, '20261127120000');
    serve({ [bad]: Buffer.concat([gzArray([ev('e1', '2026-11-27T11:00:00Z', ALICE, 'Ecs', 'DescribeInstances')]).subarray(0, 20), Buffer.from('garbage')]) });
    const index = new UsageIndex();
    await expect(readOssActivity(client(), index, OPTS)).rejects.toThrow(`key "${bad}"`);
    expect(index.coverage).toBeNull();
  });

  it('throws on a truncated JSON array', async () => {
    const bad = file(DAY27, '20261127120000');
    serve({ [bad]: gzipSync('[{"eventId":"e1","eventTime":"2026-11-27T11:00:00Z"},{"eventId":') });
    const index = new UsageIndex();
    await expect(readOssActivity(client(), index, OPTS)).rejects.toThrow(CloudError);
    expect(index.events).toBe(0);
  });
});
