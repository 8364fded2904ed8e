/**
 * ActionTrail trail inventory with the real generic OpenAPI client against nock: DescribeTrails then
 * GetTrailStatus per trail (wire shapes from reference Appendix C and the GetTrailStatus API page),
 * refusals naming the permission, per-trail failures as unknown, retries, malformed bodies.
 */
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { CloudError } from '../../../shared/errors.js';
import { nockContext, serveRpc } from './nock-context.js';
import { collectTrails, deliveryTime, eventRW } from '../../../shared/inventory/trails.js';

const HOST = 'https://actiontrail.cn-hangzhou.aliyuncs.com';
const MGMT = '1234567890123456';

const context = () => nockContext(4);

/** Answers every ActionTrail call with `handler(action, query)`. */
const serve = (handler: Parameters<typeof serveRpc>[1]) => serveRpc(HOST, handler);

const AUDIT = {
  Name: 'audit-all',
  HomeRegion: 'cn-hangzhou',
  TrailRegion: 'All',
  EventRW: 'All',
  IsOrganizationTrail: false,
  Status: 'Enable',
  OssBucketName: 'audit-logs',
  OssKeyPrefix: 'actiontrail',
  SlsProjectArn: `acs:log:cn-hangzhou:${MGMT}:project/audit-sls`,
  MaxComputeProjectArn: '',
  TrailArn: `acs:actiontrail:cn-hangzhou:${MGMT}:trail/audit-all`,
};
const ORG = { ...AUDIT, Name: 'org-trail', EventRW: 'Write', IsOrganizationTrail: true, SlsProjectArn: '', OssKeyPrefix: '' };

const STATUS: Record<string, Record<string, unknown>> = {
  'audit-all': {
    IsLogging: true,
    LatestDeliveryError: '',
    LatestDeliveryLogServiceError: '',
    LatestDeliveryTime: '2026-06-01T10:00:00Z',
    LatestDeliveryLogServiceTime: '2026-06-01T11:55:00Z',
    OssBucketStatus: true,
    SlsLogStoreStatus: true,
  },
  'org-trail': {
    IsLogging: false,
    LatestDeliveryError: 'write oss failed: bucket not found',
    LatestDeliveryLogServiceError: '',
    // Epoch milliseconds, as an older API page shows it.
    LatestDeliveryTime: '1780300800000',
    LatestDeliveryLogServiceTime: '',
  },
};

beforeAll(() => nock.disableNetConnect());
afterEach(() => void nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('collectTrails', () => {
  it('maps DescribeTrails and GetTrailStatus, asking for organization trails and no shadow trails', async () => {
    const seen = serve((action, q) => (action === 'DescribeTrails' ? [200, { RequestId: 'R1', TrailList: [AUDIT, ORG] }] : [200, { RequestId: 'R2', ...STATUS[q.get('Name') ?? ''] }]));
    const ctx = context();
    const trails = await collectTrails(ctx);

    const describe = seen.find((s) => s.action === 'DescribeTrails');
    expect(describe?.query.get('IncludeOrganizationTrail')).toBe('true');
    expect(describe?.query.get('IncludeShadowTrails')).toBe('true');
    const status = seen.filter((s) => s.action === 'GetTrailStatus').map((s) => [s.query.get('Name'), s.query.get('IsOrganizationTrail')]);
    expect(status.sort()).toEqual([
      ['audit-all', 'false'],
      ['org-trail', 'true'],
    ]);

    expect(trails).toEqual([
      {
        name: 'audit-all',
        homeRegion: 'cn-hangzhou',
        trailRegion: 'All',
        eventRW: 'All',
        isOrganizationTrail: false,
        status: 'Enable',
        ossBucketName: 'audit-logs',
        ossKeyPrefix: 'actiontrail',
        slsProjectArn: `acs:log:cn-hangzhou:${MGMT}:project/audit-sls`,
        maxComputeProjectArn: null,
        isLogging: true,
        latestDeliveryError: null,
        // The later of the OSS and SLS deliveries.
        latestDeliveryTime: '2026-06-01T11:55:00Z',
      },
      expect.objectContaining({
        name: 'org-trail',
        eventRW: 'Write',
        isOrganizationTrail: true,
        slsProjectArn: null,
        ossKeyPrefix: null,
        isLogging: false,
        latestDeliveryError: 'write oss failed: bucket not found',
        latestDeliveryTime: '2026-06-01T08:00:00Z',
      }),
    ]);
    expect(ctx.tracker.status().trails).toEqual({ complete: true });
    expect(ctx.clients.caller.stats.byProduct.actiontrail).toEqual({ DescribeTrails: 1, GetTrailStatus: 2 });
  });

  it('marks the part failed, naming the permission to grant, when DescribeTrails is denied — and does not retry', async () => {
    const seen = serve(() => [403, { RequestId: 'R3', Code: 'NoPermission', Message: 'You are not authorized to do this action.' }]);
    const ctx = context();
    expect(await collectTrails(ctx)).toEqual([]);
    const part = ctx.tracker.status().trails;
    expect(part.complete).toBe(false);
    expect(part.error).toContain('DescribeTrails: denied (NoPermission)');
    expect(part.error).toContain('grant actiontrail:DescribeTrails');
    expect(seen).toHaveLength(1);
  });

  it('leaves one trail unknown (isLogging null) when its GetTrailStatus fails, without failing the part', async () => {
    serve((action, q) => {
      if (action === 'DescribeTrails') return [200, { TrailList: [AUDIT, ORG] }];
      if (q.get('Name') === 'org-trail') return [500, { RequestId: 'R4', Code: 'InternalError', Message: 'try later' }];
      return [200, STATUS['audit-all']!];
    });
    const ctx = context();
    const trails = await collectTrails(ctx);
    expect(trails.map((t) => [t.name, t.isLogging, t.latestDeliveryTime])).toEqual([
      ['audit-all', true, '2026-06-01T11:55:00Z'],
      ['org-trail', null, null],
    ]);
    expect(ctx.tracker.status().trails).toEqual({ complete: true });
    // Retried up to maxAttempts before giving up on that trail.
    expect(ctx.clients.caller.stats.calls.GetTrailStatus).toBe(1 + ctx.clients.caller.maxAttempts);
  });

  it('records a GetTrailStatus refusal on the part with the permission, the trails staying unknown', async () => {
    serve((action) => (action === 'DescribeTrails' ? [200, { TrailList: [AUDIT] }] : [403, { Code: 'NoPermission', Message: 'denied' }]));
    const ctx = context();
    const [trail] = await collectTrails(ctx);
    expect(trail?.isLogging).toBeNull();
    expect(ctx.tracker.status().trails.error).toContain('grant actiontrail:GetTrailStatus');
  });

  it('retries a throttled DescribeTrails', async () => {
    let n = 0;
    serve((action) => {
      if (action === 'GetTrailStatus') return [200, STATUS['audit-all']!];
      n++;
      return n === 1 ? [400, { RequestId: 'R5', Code: 'Throttling.User', Message: 'Request was denied due to user flow control.' }] : [200, { TrailList: [AUDIT] }];
    });
    const ctx = context();
    expect((await collectTrails(ctx)).map((t) => t.name)).toEqual(['audit-all']);
    expect(ctx.clients.caller.stats.calls.DescribeTrails).toBe(2);
    expect(ctx.clients.caller.stats.throttled.DescribeTrails).toBe(1);
    expect(ctx.tracker.status().trails).toEqual({ complete: true });
  });

  it.each([
    [{ RequestId: 'R6' }, 'returned no TrailList'],
    [{ TrailList: { Trail: [AUDIT] } }, 'returned TrailList that is not an array'],
    [{ TrailList: [{ HomeRegion: 'cn-hangzhou' }] }, 'returned a trail without Name'],
  ])('fails the part with a CloudError naming the action for a malformed body %j', async (body, what) => {
    serve(() => [200, body]);
    const ctx = context();
    const fail = vi.spyOn(ctx.tracker, 'fail');
    expect(await collectTrails(ctx)).toEqual([]);
    const err = fail.mock.calls[0]?.[1];
    expect(err).toBeInstanceOf(CloudError);
    expect((err as CloudError).code).toBe('CLOUD_BAD_RESPONSE');
    expect((err as CloudError).message).toContain(`ActionTrail DescribeTrails ${what}`);
    expect((err as CloudError).message).toContain('cloud.endpoints.actiontrail');
    expect(ctx.tracker.status().trails.complete).toBe(false);
  });
});

describe('trail field parsing', () => {
  it('never reads an unknown EventRW as All', () => {
    expect(['All', 'all', 'Read', 'Write'].map(eventRW)).toEqual(['All', 'All', 'Read', 'Write']);
    expect([undefined, '', 'ReadWrite', 'Both', 7].map(eventRW)).toEqual(['Write', 'Write', 'Write', 'Write', 'Write']);
  });

  it('normalises delivery times to ISO seconds and reads empty or unreadable ones as null', () => {
    expect(deliveryTime('2021-02-26T09:19:44Z')).toBe('2021-02-26T09:19:44Z');
    expect(deliveryTime('2021-02-26T17:19:44+08:00')).toBe('2021-02-26T09:19:44Z');
    expect(deliveryTime('1547792223000')).toBe('2019-01-18T06:17:03Z');
    expect(deliveryTime(1547792223)).toBe('2019-01-18T06:17:03Z');
    expect([undefined, '', '0', 'Wed Dec 02 15:41:06 CST 2015', 'soon'].map(deliveryTime)).toEqual([null, null, null, null, null]);
  });
});
