import * as $Ram from '@alicloud/ram20150501';
import { OpenApiUtil } from '@alicloud/openapi-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenario, startEmulator, type Emulator } from '../../emulator/index.js';
import { fixedClock, NOW, ramClient, rejection, SCANNER_KEY, stsClient } from './clients.js';

let emu: Emulator;

beforeAll(async () => {
  emu = await startEmulator({ scenario: await loadScenario('demo'), clock: fixedClock });
});
afterAll(() => emu.close());

async function post(query: Record<string, string>, init: RequestInit = {}): Promise<{ status: number; body: Record<string, string> }> {
  const res = await fetch(`${emu.url}/?${new URLSearchParams(query)}`, { method: 'POST', ...init });
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

describe('signed calls from the real SDK', () => {
  it('accepts the default V3 signature (ACS3-HMAC-SHA256)', async () => {
    const r = await ramClient(emu.endpoint).getUser(new $Ram.GetUserRequest({ userName: 'alice.chen' }));
    expect(r.statusCode).toBe(200);
    expect(r.body?.requestId).toMatch(/^[0-9A-F-]{36}$/);
    expect(r.body?.user).toMatchObject({ userName: 'alice.chen', displayName: 'Alice Chen', lastLoginDate: '2026-05-30T12:00:00Z' });
  });

  it('accepts the legacy V1 signature (signatureAlgorithm v2, HMAC-SHA1)', async () => {
    const ram = ramClient(emu.endpoint, { signatureAlgorithm: 'v2' });
    const r = await ram.listUsers(new $Ram.ListUsersRequest({ maxItems: 2 }));
    expect(r.body?.users?.user?.map((u) => u.userName)).toEqual(['ramparts-scanner', 'alice.chen']);
  });

  it('canonicalises parameter values with reserved and non-ASCII characters like the SDK', async () => {
    const odd = "a b+c*d~e!f'g(h)i/j?k=l&m%n 张三";
    for (const signatureAlgorithm of [undefined, 'v2']) {
      const ram = ramClient(emu.endpoint, { signatureAlgorithm });
      // A verified signature gets as far as the lookup: EntityNotExist, not SignatureDoesNotMatch.
      const e = await rejection(ram.getUser(new $Ram.GetUserRequest({ userName: odd })));
      expect(e.code).toBe('EntityNotExist.User');
      expect(e.message).toContain(odd);
    }
  });

  it('rejects a wrong secret with SignatureDoesNotMatch, as a ClientError', async () => {
    for (const signatureAlgorithm of [undefined, 'v2']) {
      const ram = ramClient(emu.endpoint, { accessKeySecret: 'not-the-secret', signatureAlgorithm });
      const e = await rejection(ram.getAccountAlias());
      expect(e).toMatchObject({ name: 'ClientError', code: 'SignatureDoesNotMatch', statusCode: 400 });
      expect(e.message).toContain('Specified signature is not matched with our calculation.');
    }
  });

  it('rejects an unknown key (404) and a key without a secret in the scenario', async () => {
    for (const accessKeyId of ['LTAI5tNoSuchKey000000000', 'LTAI5tDemoCiDeployer0001']) {
      const e = await rejection(ramClient(emu.endpoint, { accessKeyId }).getAccountAlias());
      expect(e).toMatchObject({ name: 'ClientError', code: 'InvalidAccessKeyId.NotFound', statusCode: 404 });
      expect(e.message).toContain('Specified access key is not found.');
    }
  });

  it('rejects an Inactive key', async () => {
    const key = emu.state.keys.get(SCANNER_KEY.accessKeyId)!;
    key.status = 'Inactive';
    try {
      const e = await rejection(ramClient(emu.endpoint).getAccountAlias());
      expect(e).toMatchObject({ code: 'InvalidAccessKeyId.Inactive', statusCode: 400 });
    } finally {
      key.status = 'Active';
    }
  });

  it('records the signing key as used now, like the cloud', async () => {
    const key = emu.state.keys.get(SCANNER_KEY.accessKeyId)!;
    key.lastUsedDate = null;
    await ramClient(emu.endpoint).getAccountAlias();
    expect(key.lastUsedDate).toEqual(NOW);
    expect(key.lastUsedService).toBe('Ram');
  });

  it('answers GetCallerIdentity for the signing RAM user', async () => {
    const r = await stsClient(emu.endpoint).getCallerIdentity();
    const scanner = emu.state.users.get('ramparts-scanner')!;
    expect(r.body).toMatchObject({
      accountId: '1234567890123456',
      arn: 'acs:ram::1234567890123456:user/ramparts-scanner',
      identityType: 'RAMUser',
      principalId: scanner.id,
      userId: scanner.id,
    });
  });
});

describe('raw protocol', () => {
  it('requires credentials', async () => {
    const r = await post({ Action: 'GetAccountAlias', Version: '2015-05-01' });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ Code: 'MissingAccessKeyId', HostId: 'ram.aliyuncs.com' });
    expect(Object.keys(r.body).sort()).toEqual(['Code', 'HostId', 'Message', 'Recommend', 'RequestId']);
  });

  it('answers an unknown action with 404 InvalidAction.NotFound and an unknown version with InvalidVersion', async () => {
    const unknown = await post({ Action: 'ListUnicorns', Version: '2015-05-01' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.Code).toBe('InvalidAction.NotFound');
    const version = await post({ Action: 'ListUsers', Version: '2099-01-01' });
    expect(version).toMatchObject({ status: 400, body: { Code: 'InvalidVersion' } });
  });

  it('accepts V1 parameters in a form body, signed over query and body together', async () => {
    const params: Record<string, string> = {
      Action: 'GetUser',
      Version: '2015-05-01',
      Format: 'json',
      Timestamp: '2026-06-01T12:00:00Z',
      SignatureNonce: 'nonce-1',
      SignatureMethod: 'HMAC-SHA1',
      SignatureVersion: '1.0',
      AccessKeyId: SCANNER_KEY.accessKeyId,
      UserName: 'bob.li',
    };
    const signature = OpenApiUtil.getRPCSignature(params, 'POST', SCANNER_KEY.accessKeySecret);
    const r = await post(
      { Signature: signature },
      {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(params).toString(),
      },
    );
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ User: { UserName: 'bob.li' } });
  });

  it('serves call statistics over HTTP', async () => {
    await post({ Action: 'GetAccountAlias', Version: '2015-05-01' });
    const stats = (await (await fetch(`${emu.url}/__emulator/stats`)).json()) as { calls: Record<string, number> };
    expect(stats.calls.GetAccountAlias).toBeGreaterThan(0);
    const reset = await fetch(`${emu.url}/__emulator/reset-stats`, { method: 'POST' });
    expect(reset.status).toBe(200);
    expect(emu.stats().total).toBe(0);
  });
});

describe('without signature verification', () => {
  it('takes the caller on trust', async () => {
    const open = await startEmulator({ scenario: await loadScenario('clean'), verifySignatures: false, clock: fixedClock });
    try {
      const r = await ramClient(open.endpoint, { accessKeySecret: 'anything' }).getAccountAlias();
      expect(r.body?.accountAlias).toBe('clean-corp');
      const anonymous = await fetch(`${open.url}/?Action=GetCallerIdentity&Version=2015-04-01`, { method: 'POST' });
      expect(await anonymous.json()).toMatchObject({ IdentityType: 'Account', Arn: 'acs:ram::2345678901234567:root' });
    } finally {
      await open.close();
    }
  });
});
