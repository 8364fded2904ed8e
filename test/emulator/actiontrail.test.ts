/** The emulator's ActionTrail 2020-07-06 API, called with the real generic OpenAPI client. */
import * as $dara from '@darabonba/typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { generateScenario } from '../../emulator/generate.js';
import { ScenarioSchema } from '../../emulator/scenario.js';
import { $OpenApiUtil, OpenApi, OpenApiUtil } from '../../shared/cloud/sdk.js';
import { NOW, SCANNER_KEY, fixedClock, rejection } from './clients.js';
import { actionTrailParams } from '../../shared/activity/actiontrail.js';

let emu: Emulator;

const scenario = ScenarioSchema.parse({
  account: { id: '1234567890123456', alias: 'trail' },
  users: [{ name: 'alice', accessKeys: [{ id: SCANNER_KEY.accessKeyId, secret: SCANNER_KEY.accessKeySecret, createDate: '-30d' }] }],
  roles: [{ name: 'ops', trustPolicy: { Version: '1', Statement: [] } }],
  events: [
    { time: '-1h', identity: 'user:alice', accessKeyId: SCANNER_KEY.accessKeyId, service: 'Ecs', event: 'DescribeInstances' },
    { time: '-2h', identity: 'role:ops/deploy', service: 'Oss', event: 'PutObject', extra: { vendorField: { nested: true } } },
    { time: '-3h', identity: 'root', service: 'AasCustomer', event: 'ConsoleSignin', type: 'ConsoleSignin' },
    { time: '-2d', identity: 'user:alice', service: 'Ram', event: 'ListUsers' },
    { time: '-10d', identity: 'user:alice', service: 'Ecs', event: 'StopInstance', errorCode: 'NoPermission' },
    { time: '-100d', identity: 'user:alice', service: 'Ecs', event: 'DeleteInstance' },
    { time: '+1h', identity: 'user:alice', service: 'Ecs', event: 'FutureCall' },
  ],
});

beforeAll(async () => {
  emu = await startEmulator({ scenario, clock: fixedClock });
});
afterAll(() => emu.close());

type Body = { StartTime: string; EndTime: string; NextToken: string; Events: Record<string, unknown>[] };

async function call(action: string, query: Record<string, unknown> = {}): Promise<Body> {
  const client = new OpenApi(new $OpenApiUtil.Config({ ...SCANNER_KEY, endpoint: emu.endpoint, protocol: 'http' }));
  const params = actionTrailParams(action);
  const res = await client.callApi(params, new $OpenApiUtil.OpenApiRequest({ query: OpenApiUtil.query(query) }), new $dara.RuntimeOptions({}));
  return res.body as Body;
}

const iso = (offsetMs: number) => new Date(NOW.getTime() + offsetMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
const DAY = 86_400_000;
const names = (b: Body) => b.Events.map((e) => e.eventName);

describe('emulator ActionTrail LookupEvents', () => {
  it('defaults to the last 7 days, newest first, nothing after now', async () => {
    const body = await call('LookupEvents');
    expect(names(body)).toEqual(['DescribeInstances', 'PutObject', 'ConsoleSignin', 'ListUsers']);
    expect(body).toMatchObject({ StartTime: iso(-7 * DAY), EndTime: iso(0), NextToken: '' });
  });

  it('keeps 90 days and honours FORWARD', async () => {
    const body = await call('LookupEvents', { StartTime: iso(-200 * DAY), EndTime: iso(0), Direction: 'FORWARD', MaxResults: '50' });
    expect(names(body)).toEqual(['StopInstance', 'ListUsers', 'ConsoleSignin', 'PutObject', 'DescribeInstances']);
  });

  it('returns realistic records per identity type', async () => {
    const body = await call('LookupEvents', { StartTime: iso(-DAY), EndTime: iso(0) });
    const [user, role, root] = body.Events as Record<string, Record<string, unknown>>[];
    expect(user).toMatchObject({
      eventType: 'ApiCall',
      serviceName: 'Ecs',
      eventRW: 'Read',
      eventSource: 'ecs.cn-hangzhou.aliyuncs.com',
      errorCode: '',
      userIdentity: { type: 'ram-user', userName: 'alice', accessKeyId: SCANNER_KEY.accessKeyId, principalId: emu.state.users.get('alice')!.id },
    });
    expect(user!.eventId).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
    expect(role!.userIdentity).toMatchObject({ type: 'assumed-role', userName: 'ops:deploy', principalId: `${emu.state.roles.get('ops')!.id}:deploy` });
    expect(String(role!.userIdentity!.accessKeyId)).toMatch(/^STS\./);
    expect(role!.vendorField).toEqual({ nested: true });
    expect(root!.userIdentity).toMatchObject({ type: 'root-account', userName: 'root' });
  });

  it('pages with MaxResults and NextToken, and a page stays put when newer events arrive', async () => {
    const q = { StartTime: iso(-30 * DAY), EndTime: iso(0), MaxResults: '2' };
    const first = await call('LookupEvents', q);
    expect(names(first)).toEqual(['DescribeInstances', 'PutObject']);
    emu.state.trail.add([{ id: 'NEW-1', time: NOW.getTime() - 60_000, record: { eventId: 'NEW-1', eventName: 'Newer' } }]);
    const second = await call('LookupEvents', { ...q, NextToken: first.NextToken });
    expect(names(second)).toEqual(['ConsoleSignin', 'ListUsers']);
    const third = await call('LookupEvents', { ...q, NextToken: second.NextToken });
    expect(names(third)).toEqual(['StopInstance']);
    expect(third.NextToken).toBe('');
  });

  it('filters on up to two LookupAttributes, exact match', async () => {
    const q = { StartTime: iso(-30 * DAY), EndTime: iso(0) };
    const byUser = await call('LookupEvents', { ...q, LookupAttribute: [{ Key: 'User', Value: 'alice' }, { Key: 'ServiceName', Value: 'Ecs' }] });
    expect(names(byUser)).toEqual(['DescribeInstances', 'StopInstance']);
    const byRole = await call('LookupEvents', { ...q, LookupAttribute: [{ Key: 'RoleName', Value: 'ops' }] });
    expect(names(byRole)).toEqual(['PutObject']);
  });

  it('rejects bad parameters with the RPC error shape', async () => {
    await expect(rejection(call('LookupEvents', { MaxResults: '51' }))).resolves.toMatchObject({ code: 'InvalidParameter.MaxResults' });
    await expect(rejection(call('LookupEvents', { StartTime: iso(-DAY) }))).resolves.toMatchObject({ code: 'MissingEndTime' });
    await expect(rejection(call('LookupEvents', { StartTime: '2026-01-01', EndTime: iso(0) }))).resolves.toMatchObject({ code: 'InvalidParameter.StartTime' });
    await expect(rejection(call('LookupEvents', { NextToken: 'garbage' }))).resolves.toMatchObject({ code: 'InvalidParameter.NextToken' });
  });

  it('names the global events storage region', async () => {
    await expect(call('GetGlobalEventsStorageRegion')).resolves.toMatchObject({ StorageRegion: 'cn-hangzhou' });
  });
});

describe('scenario generator events', () => {
  it('makes N events over many identities, deterministically, leaving the rest of the account unchanged', () => {
    const plain = generateScenario({ users: 100, seed: 3 });
    const withEvents = generateScenario({ users: 100, seed: 3, events: 2000 });
    expect(withEvents.events).toHaveLength(2000);
    expect({ ...withEvents, events: [] }).toEqual(plain);
    expect(generateScenario({ users: 100, seed: 3, events: 2000 }).events).toEqual(withEvents.events);
    const identities = new Set(withEvents.events.map((e) => e.identity.split('/')[0] ?? e.identity));
    expect(identities.size).toBeGreaterThan(60);
    expect([...identities].some((i) => i.startsWith('role:'))).toBe(true);
    expect(identities.has('root')).toBe(true);
    expect(withEvents.events.some((e) => e.accessKeyId)).toBe(true);
    expect(withEvents.events.some((e) => e.errorCode === 'NoPermission')).toBe(true);
  });
});
