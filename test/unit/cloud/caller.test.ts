import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { $Ram } from '../../../shared/cloud/sdk.js';
import { createCloudClients, staticCredential, type CloudSettings } from '../../../shared/cloud/clients.js';
import { classifyError } from '../../../shared/cloud/classify.js';
import { CloudError } from '../../../shared/errors.js';

const settings: CloudSettings = {
  regionId: 'cn-hangzhou',
  protocol: 'https',
  endpoints: {},
  concurrency: 4,
  maxAttempts: 4,
  retryBaseDelayMs: 1,
  retryMaxDelayMs: 5,
  connectTimeoutMs: 100,
  readTimeoutMs: 1000,
};

const clients = () => createCloudClients(settings, { credential: staticCredential('LTAIfakeTestKey', 'fake-secret') });
const ram = () => nock('https://ram.aliyuncs.com');

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('CloudCaller with the real RAM SDK (nock)', () => {
  it('retries Throttling.User and ServiceUnavailable, then succeeds, counting every attempt', async () => {
    ram()
      .post('/')
      .query(true)
      .reply(400, { Code: 'Throttling.User', Message: 'Request was denied due to user flow control.', RequestId: 'R1' })
      .post('/')
      .query(true)
      .reply(503, { Code: 'ServiceUnavailable', Message: 'busy', RequestId: 'R2' })
      .post('/')
      .query(true)
      .reply(200, { RequestId: 'R3', AccountAlias: 'corp' });
    const c = clients();
    const res = await c.caller.call('ram', 'GetAccountAlias', () => c.ram.getAccountAlias());
    expect(res.body?.accountAlias).toBe('corp');
    expect(c.caller.stats.calls.GetAccountAlias).toBe(3);
    expect(c.caller.stats.retries).toBe(2);
    expect(c.caller.stats.throttled.GetAccountAlias).toBe(1);
  });

  it('does not retry an auth error and says which credentials to check', async () => {
    ram().post('/').query(true).reply(404, { Code: 'InvalidAccessKeyId.NotFound', Message: 'Specified access key is not found.', RequestId: 'R4' });
    const c = clients();
    const err = await c.caller.call('ram', 'GetAccountAlias', () => c.ram.getAccountAlias()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CloudError);
    expect((err as CloudError).code).toBe('CLOUD_AUTH_FAILED');
    expect((err as CloudError).message).toMatch(/InvalidAccessKeyId\.NotFound.*ALIBABA_CLOUD_ACCESS_KEY_ID/);
    expect(c.caller.stats.calls.GetAccountAlias).toBe(1);
  });

  it('gives up after maxAttempts on persistent throttling with a CLOUD_THROTTLED error', async () => {
    ram().post('/').query(true).times(4).reply(400, { Code: 'Throttling.User', Message: 'flow control', RequestId: 'R5' });
    const c = clients();
    const err = await c.caller.call('ram', 'ListUsers', () => c.ram.listUsers(new $Ram.ListUsersRequest({}))).catch((e: unknown) => e);
    expect((err as CloudError).code).toBe('CLOUD_THROTTLED');
    expect((err as CloudError).message).toMatch(/after 4 attempts/);
    expect(c.caller.stats.calls.ListUsers).toBe(4);
  });

  it('reports a permission error with the action to grant, without retrying', async () => {
    ram().post('/').query(true).reply(403, { Code: 'NoPermission', Message: 'You are not authorized', RequestId: 'R6' });
    const c = clients();
    const err = await c.caller.call('ram', 'ListRoles', () => c.ram.listRoles(new $Ram.ListRolesRequest({}))).catch((e: unknown) => e);
    expect((err as CloudError).code).toBe('CLOUD_NO_PERMISSION');
    expect((err as CloudError).message).toContain('ram:ListRoles');
    expect(c.caller.stats.calls.ListRoles).toBe(1);
  });

  it('retries connection errors and then names the endpoint', async () => {
    ram().post('/').query(true).times(4).replyWithError({ code: 'ECONNRESET', message: 'socket hang up' });
    const c = clients();
    const err = await c.caller.call('ram', 'GetAccountAlias', () => c.ram.getAccountAlias()).catch((e: unknown) => e);
    expect((err as CloudError).code).toBe('CLOUD_UNREACHABLE');
    expect((err as CloudError).message).toContain('ram.aliyuncs.com');
    expect(c.caller.stats.calls.GetAccountAlias).toBe(4);
  });

  it('sends the V3 signature headers the real service expects', async () => {
    let headers: Record<string, string | string[] | undefined> = {};
    ram()
      .post('/')
      .query(true)
      .reply(function () {
        headers = this.req.headers;
        return [200, { RequestId: 'R7', AccountAlias: 'x' }];
      });
    const c = clients();
    await c.caller.call('ram', 'GetAccountAlias', () => c.ram.getAccountAlias());
    expect(headers['x-acs-action']).toBe('GetAccountAlias');
    expect(String(headers.authorization)).toMatch(/^ACS3-HMAC-SHA256 Credential=LTAIfakeTestKey,/);
    expect(JSON.stringify(headers)).not.toContain('fake-secret');
  });
});

describe('classifyError', () => {
  it('classifies by code and status', () => {
    expect(classifyError({ name: 'ThrottlingError', code: 'Throttling.User', statusCode: 400 }).kind).toBe('throttled');
    expect(classifyError({ code: 'InternalError', statusCode: 500 }).kind).toBe('transient');
    expect(classifyError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })).kind).toBe('unreachable');
    expect(classifyError({ code: 'SignatureDoesNotMatch', statusCode: 400 }).kind).toBe('auth');
    expect(classifyError({ code: 'EntityNotExist.User.LoginProfile', statusCode: 404 }).kind).toBe('not-found');
    expect(classifyError({ code: 'InvalidParameter', statusCode: 400 }).kind).toBe('other');
  });
});
