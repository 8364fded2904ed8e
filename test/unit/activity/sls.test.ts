import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readSlsActivity, createSlsClient, slsAggregateQuery } from '../../../shared/activity/sls.js';
import { SETTLE_MS, UsageIndex } from '../../../shared/activity/usage-index.js';
import { staticCredential } from '../../../shared/cloud/clients.js';
import { CloudError } from '../../../shared/errors.js';

const PROJECT = 'audit-proj';
const LOGSTORE = 'actiontrail_main';
const HOST = `https://${PROJECT}.cn-hangzhou.log.aliyuncs.com`;
const PATH = `/logstores/${LOGSTORE}`;

const client = () => createSlsClient({ endpoint: 'cn-hangzhou.log.aliyuncs.com', credential: staticCredential('LTAIfakeTestKey', 'fake-secret') });
const sec = (iso: string): number => Date.parse(iso) / 1000;

/** An aggregate row as SLS returns it: every value a string, NULL as "null". */
interface Row {
  type: string;
  user?: string;
  key?: string;
  arn?: string;
  service: string;
  event: string;
  error?: string;
  last: string;
}
const wire = (r: Row): Record<string, string> => ({
  identity_type: r.type,
  user_name: r.user ?? 'null',
  access_key_id: r.key ?? 'null',
  arn: r.arn ?? 'null',
  service_name: r.service,
  event_name: r.event,
  error_code: r.error ?? '',
  last_time: String(sec(r.last)),
  __source__: '',
  __time__: '0',
});

interface Seen {
  from: number;
  to: number;
  query: string;
}

/** Serves `rows` to GetLogs SQL pages, honouring `LIMIT offset, count`; records every request. */
function serve(rows: Row[], seen: Seen[] = []): Seen[] {
  nock(HOST)
    .get(PATH)
    .query(true)
    .reply(function (uri) {
      const q = new URL(uri, HOST).searchParams;
      const query = q.get('query') ?? '';
      seen.push({ from: Number(q.get('from')), to: Number(q.get('to')), query });
      const m = /LIMIT (\d+), (\d+)$/.exec(query);
      if (!m) return [400, { errorCode: 'ParameterInvalid', errorMessage: 'no limit' }];
      const [offset, count] = [Number(m[1]), Number(m[2])];
      return [200, rows.slice(offset, offset + count).map(wire), { 'x-log-progress': 'Complete', 'content-type': 'application/json' }];
    })
    .persist();
  return seen;
}

const ALICE: Row = { type: 'ram-user', user: 'alice', key: 'LTAIalice0001', service: 'Ecs', event: 'DescribeInstances', last: '2026-11-20T10:00:00Z' };
const OPS: Row = {
  type: 'assumed-role',
  user: 'ops-role:session1',
  key: 'STS.NUQNP4PiGy',
  arn: 'acs:ram::1234567890:assumed-role/ops-role/session1',
  service: 'Oss',
  event: 'GetObject',
  last: '2026-11-21T08:30:00Z',
};
const DEPLOY: Row = { type: 'assumed-role', user: 'Deployer:ci', key: 'STS.abc', service: 'Ecs', event: 'RunInstances', last: '2026-11-22T01:00:00Z' };
const BOB_DENIED: Row = { type: 'ram-user', user: 'bob', key: 'LTAIbob0001', service: 'Ram', event: 'DeleteUser', error: 'NoPermission', last: '2026-11-23T12:00:00Z' };
const ROOT: Row = { type: 'root-account', user: 'root', key: 'LTAIroot0001', service: 'Sls', event: 'GetLogs', last: '2026-11-24T00:00:00Z' };

const NOW = new Date('2026-11-28T00:00:00Z');

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('readSlsActivity', () => {
  it('pages the SQL aggregate with LIMIT offset, count until a short page', async () => {
    const seen = serve([ALICE, OPS, DEPLOY, BOB_DENIED, ROOT]);
    const index = new UsageIndex();
    const res = await readSlsActivity(client(), index, { project: PROJECT, logstore: LOGSTORE, now: NOW, pageSize: 2 });
    expect(res).toMatchObject({ pages: 3, records: 5, added: 5, duplicates: 0, skipped: { count: 0 } });
    expect(seen.map((s) => /LIMIT (\d+, \d+)$/.exec(s.query)?.[1])).toEqual(['0, 2', '2, 2', '4, 2']);
    expect(seen[0]!.query).toContain('__topic__: actiontrail_audit_event |');
    expect(seen[0]!.query).toMatch(/max\(__time__\).*GROUP BY identity_type, user_name, access_key_id, arn, service_name, event_name, error_code/);
    // 90 days back by default; `to` is exclusive, so one second past now.
    expect(seen[0]!.from).toBe(NOW.getTime() / 1000 - 90 * 86_400);
    expect(seen[0]!.to).toBe(NOW.getTime() / 1000 + 1);
    expect(index.coverage).toEqual({ from: new Date(seen[0]!.from * 1000).toISOString(), to: NOW.toISOString() });
  });

  it('asks once more when a full page ends exactly at the last row', async () => {
    const seen = serve([ALICE, OPS]);
    const res = await readSlsActivity(client(), new UsageIndex(), { project: PROJECT, logstore: LOGSTORE, now: NOW, pageSize: 2, retentionDays: 30 });
    expect(res.pages).toBe(2);
    expect(res.added).toBe(2);
    expect(seen[0]!.from).toBe(NOW.getTime() / 1000 - 30 * 86_400);
  });

  it('credits users and their keys, roles through assumed-role (arn or userName), root, never STS tokens', async () => {
    serve([ALICE, OPS, DEPLOY, ROOT]);
    const index = new UsageIndex();
    await readSlsActivity(client(), index, { project: PROJECT, logstore: LOGSTORE, now: NOW });
    expect(index.identities()).toEqual(['accessKey:LTAIalice0001', 'accessKey:LTAIroot0001', 'role:deployer', 'role:ops-role', 'root', 'user:alice']);
    expect(index.lastUsed('user:alice', 'ecs:DescribeInstances')).toBe('2026-11-20T10:00:00.000Z');
    expect(index.lastUsed('accessKey:LTAIalice0001', 'ecs:DescribeInstances')).toBe('2026-11-20T10:00:00.000Z');
    expect(index.lastUsed('role:ops-role', 'oss:GetObject')).toBe('2026-11-21T08:30:00.000Z');
    expect(index.lastUsed('role:deployer', 'ecs:RunInstances')).toBe('2026-11-22T01:00:00.000Z');
    // Service names go through the mapping (SLS authorizes as `log`).
    expect(index.lastUsed('root', 'log:GetLogs')).toBe('2026-11-24T00:00:00.000Z');
  });

  it('does not count denied calls as use, only as activity', async () => {
    const allowed: Row = { ...BOB_DENIED, event: 'ListUsers', error: 'null', last: '2026-11-22T12:00:00Z' };
    serve([BOB_DENIED, allowed]);
    const index = new UsageIndex();
    await readSlsActivity(client(), index, { project: PROJECT, logstore: LOGSTORE, now: NOW });
    expect(index.lastUsed('user:bob', 'ram:DeleteUser')).toBeUndefined();
    expect(index.lastUsed('user:bob', 'ram:ListUsers')).toBe('2026-11-22T12:00:00.000Z');
    expect(index.lastUsed('user:bob')).toBe('2026-11-23T12:00:00.000Z');
  });

  it('re-reads the settling span before the last read and adds nothing twice', async () => {
    serve([ALICE, ROOT]);
    const index = new UsageIndex();
    await readSlsActivity(client(), index, { project: PROJECT, logstore: LOGSTORE, now: NOW });
    expect(index.events).toBe(2);
    nock.cleanAll();

    const later = new Date('2026-11-29T00:00:00Z');
    const newer: Row = { ...ALICE, event: 'StopInstance', last: '2026-11-28T06:00:00Z' };
    // SLS returns the high-water row again (same group, same latest second) plus the newer one.
    const seen = serve([ROOT, newer]);
    const res = await readSlsActivity(client(), index, { project: PROJECT, logstore: LOGSTORE, now: later });
    expect(seen[0]!.from).toBe(sec(new Date(NOW.getTime() - SETTLE_MS).toISOString()));
    expect(res).toMatchObject({ records: 2, added: 1, duplicates: 1 });
    expect(index.events).toBe(3);
    expect(index.lastUsed('user:alice', 'ecs:StopInstance')).toBe('2026-11-28T06:00:00.000Z');
    expect(index.coverage?.to).toBe(later.toISOString());

    nock.cleanAll();
    const seenAgain = serve([ROOT, newer]);
    const again = await readSlsActivity(client(), index, { project: PROJECT, logstore: LOGSTORE, now: later });
    expect(seenAgain[0]!.from).toBe(sec(new Date(later.getTime() - SETTLE_MS).toISOString()));
    // Both rows are at or below the high-water mark now.
    expect(again).toMatchObject({ added: 0, duplicates: 2 });
    expect(index.events).toBe(3);
  });

  it('throws a CloudError naming project and Logstore and leaves the index unchanged when a page fails', async () => {
    const index = new UsageIndex();
    const before = JSON.stringify(index.toJSON());
    nock(HOST)
      .get(PATH)
      .query(true)
      .reply(200, [wire(ALICE), wire(OPS)], { 'x-log-progress': 'Complete', 'content-type': 'application/json' })
      .get(PATH)
      .query(true)
      .reply(500, { errorCode: 'InternalServerError', errorMessage: 'internal error' }, { 'content-type': 'application/json' });
    const err = await readSlsActivity(client(), index, { project: PROJECT, logstore: LOGSTORE, now: NOW, pageSize: 2 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CloudError);
    expect((err as CloudError).message).toContain(`project "${PROJECT}" logstore "${LOGSTORE}"`);
    expect((err as CloudError).cloudCode).toBe('InternalServerError');
    expect(JSON.stringify(index.toJSON())).toBe(before);
    expect(index.coverage).toBeNull();
  });

  it('reports a denied query as a permission problem', async () => {
    nock(HOST)
      .get(PATH)
      .query(true)
      .reply(403, { errorCode: 'Unauthorized', errorMessage: 'denied by sts or ram' }, { 'content-type': 'application/json' });
    const err = await readSlsActivity(client(), new UsageIndex(), { project: PROJECT, logstore: LOGSTORE, now: NOW }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CLOUD_NO_PERMISSION', cloudCode: 'Unauthorized', action: 'GetLogs' });
  });

  it('asks again while the result is Incomplete and goes through the call wrapper', async () => {
    nock(HOST)
      .get(PATH)
      .query(true)
      .reply(200, [wire(ALICE)], { 'x-log-progress': 'Incomplete', 'content-type': 'application/json' })
      .get(PATH)
      .query(true)
      .reply(200, [wire(ALICE), wire(OPS)], { 'x-log-progress': 'Complete', 'content-type': 'application/json' });
    const calls: string[] = [];
    const index = new UsageIndex();
    const res = await readSlsActivity(client(), index, {
      project: PROJECT,
      logstore: LOGSTORE,
      now: NOW,
      call: (action, fn) => {
        calls.push(action);
        return fn();
      },
    });
    expect(calls).toEqual(['GetLogs', 'GetLogs']);
    expect(res).toMatchObject({ pages: 1, records: 2, added: 2 });
  });

  it('fails rather than read a result that stays Incomplete as "no events"', async () => {
    nock(HOST).get(PATH).query(true).times(4).reply(200, [], { 'x-log-progress': 'Incomplete', 'content-type': 'application/json' });
    const index = new UsageIndex();
    await expect(readSlsActivity(client(), index, { project: PROJECT, logstore: LOGSTORE, now: NOW })).rejects.toThrow(/stayed Incomplete/);
    expect(index.coverage).toBeNull();
  });

  it('skips rows without a usable time', async () => {
    nock(HOST)
      .get(PATH)
      .query(true)
      .reply(200, [{ ...wire(ALICE), last_time: 'null' }], { 'x-log-progress': 'Complete', 'content-type': 'application/json' });
    const res = await readSlsActivity(client(), new UsageIndex(), { project: PROJECT, logstore: LOGSTORE, now: NOW });
    expect(res.skipped).toEqual({ count: 1, reasons: ['last_time: not a UNIX time (null)'] });
  });

  it('builds a query whose LIMIT is the page', () => {
    expect(slsAggregateQuery(2000, 1000)).toMatch(/ORDER BY .* LIMIT 2000, 1000$/);
  });
});
