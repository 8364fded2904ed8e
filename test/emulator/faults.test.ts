import * as $Ims from '@alicloud/ims20190815';
import * as $Ram from '@alicloud/ram20150501';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadScenario, startEmulator, type Emulator, type Scenario } from '../../emulator/index.js';
import { fixedClock, imsClient, ramClient, rejection } from './clients.js';

let scenario: Scenario;
let emu: Emulator;

beforeAll(async () => {
  scenario = await loadScenario('clean');
  emu = await startEmulator({ scenario, clock: fixedClock });
});
afterAll(() => emu.close());
beforeEach(() => {
  emu.setFaults({});
  emu.resetStats();
});

describe('fault injection', () => {
  it('throttles an action above qpsPerAction with Throttling.User (a ThrottlingError in the SDK)', async () => {
    emu.setFaults({ qpsPerAction: 2 });
    const ram = ramClient(emu.endpoint);
    await ram.getAccountAlias();
    await ram.getAccountAlias();
    const e = (await rejection(ram.getAccountAlias())) as Awaited<ReturnType<typeof rejection>> & { retryAfter?: number };
    expect(e).toMatchObject({ name: 'ThrottlingError', code: 'Throttling.User', statusCode: 400 });
    expect(e.message).toContain('Request was denied due to user flow control.');
    expect(e.retryAfter).toBeGreaterThan(0);
    // The limit is per action: another action still passes in the same second.
    await ram.getPasswordPolicy();
    expect(emu.stats()).toMatchObject({ calls: { GetAccountAlias: 3 }, throttled: { GetAccountAlias: 1 } });
  });

  it('answers ServiceUnavailable at errorRate, reproducibly from the seed', async () => {
    emu.setFaults({ errorRate: 1 });
    const e = await rejection(ramClient(emu.endpoint).getAccountAlias());
    expect(e).toMatchObject({ name: 'ServerError', code: 'ServiceUnavailable', statusCode: 503 });

    const run = async (): Promise<boolean[]> => {
      emu.setFaults({ errorRate: 0.5 });
      const ram = ramClient(emu.endpoint);
      const outcomes: boolean[] = [];
      for (let i = 0; i < 12; i++) outcomes.push(await ram.getAccountAlias().then(() => true, () => false));
      return outcomes;
    };
    const first = await run();
    expect(first).toContain(true);
    expect(first).toContain(false);
    expect(await run()).toEqual(first);
  });

  it('fails one action deterministically for its first N calls', async () => {
    emu.setFaults({ failActions: { ListUsers: { code: 'InternalError', status: 500, times: 2 } } });
    const ram = ramClient(emu.endpoint);
    for (let i = 0; i < 2; i++) {
      expect(await rejection(ram.listUsers(new $Ram.ListUsersRequest({})))).toMatchObject({ code: 'InternalError', statusCode: 500 });
    }
    await expect(ram.listUsers(new $Ram.ListUsersRequest({}))).resolves.toBeDefined();
    await expect(ram.getAccountAlias()).resolves.toBeDefined();
  });

  it('can target one product’s action (ims:ListUsers) and fail it every time', async () => {
    emu.setFaults({ failActions: { 'ims:ListUsers': { code: 'NoPermission', status: 403 } } });
    await expect(ramClient(emu.endpoint).listUsers(new $Ram.ListUsersRequest({}))).resolves.toBeDefined();
    const ims = imsClient(emu.endpoint);
    for (let i = 0; i < 3; i++) expect((await rejection(ims.listUsers(new $Ims.ListUsersRequest({})))).code).toBe('NoPermission');
  });

  it('adds latency to every response', async () => {
    emu.setFaults({ latencyMs: 60 });
    const started = performance.now();
    await ramClient(emu.endpoint).getAccountAlias();
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
  });
});

describe('statistics', () => {
  it('counts calls per action, adding RAM and IMS under the bare name and keeping byProduct apart', async () => {
    await ramClient(emu.endpoint).listUsers(new $Ram.ListUsersRequest({}));
    await imsClient(emu.endpoint).listUsers(new $Ims.ListUsersRequest({}));
    await rejection(ramClient(emu.endpoint).getUser(new $Ram.GetUserRequest({ userName: 'nobody' })));
    const stats = emu.stats();
    expect(stats.calls).toEqual({ ListUsers: 2, GetUser: 1 });
    expect(stats.errors).toEqual({ GetUser: 1 });
    expect(stats.total).toBe(3);
    expect(stats.byProduct.ram.calls).toEqual({ ListUsers: 1, GetUser: 1 });
    expect(stats.byProduct.ims.calls).toEqual({ ListUsers: 1 });
    expect(stats.byProduct.sts.total).toBe(0);
    emu.resetStats();
    expect(emu.stats().total).toBe(0);
  });
});
