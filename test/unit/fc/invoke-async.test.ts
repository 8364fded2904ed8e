/**
 * The async FC invocation the scan fan-out sends: the FC 3.0 path and header, the event as the raw
 * body, an ACS3 signature with the invocation's STS token, retries on throttling and 5xx, and a clear
 * error (never silence) when FC refuses.
 */
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { staticCredential } from '../../../shared/cloud/clients.js';
import { fcAsyncInvoker, fcEndpoint } from '../../../shared/fc/invoke-async.js';
import { CloudError } from '../../../shared/errors.js';

const ACCOUNT = '1234567890123456';
const HOST = `https://${fcEndpoint(ACCOUNT, 'cn-hangzhou')}`;
const PATH = '/2023-03-30/functions/ramparts-scan/invocations';
const KEY = { id: 'STS.FakeInvokerKeyId', secret: 'fake-invoker-secret-not-real', token: 'fake-security-token-not-real' };

function invoker(retries: string[] = []) {
  return fcAsyncInvoker({
    credential: staticCredential(KEY.id, KEY.secret, KEY.token),
    accountId: ACCOUNT,
    region: 'cn-hangzhou',
    maxAttempts: 3,
    retryBaseDelayMs: 1,
    retryMaxDelayMs: 5,
    connectTimeoutMs: 1000,
    readTimeoutMs: 1000,
    onRetry: ({ code }) => retries.push(code),
  });
}

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => void nock.cleanAll());

describe('fcAsyncInvoker', () => {
  it('POSTs the event to the FC 3.0 invocations path as an async invocation, signed with the STS token', async () => {
    const event = Buffer.from(JSON.stringify({ triggerTime: '2026-11-29T07:00:00Z', triggerName: 'daily#2000000000000002', payload: '{"job":"scan"}' }));
    let seen: { headers: Record<string, string | string[] | undefined>; body: string } | undefined;
    const scope = nock(HOST)
      .post(PATH)
      .reply(function (_uri, body) {
        seen = { headers: this.req.headers, body: typeof body === 'string' ? body : JSON.stringify(body) };
        return [202, '', { 'x-fc-request-id': 'fc-req-0001' }];
      });

    const res = await invoker().invokeAsync('ramparts-scan', event);

    expect(scope.isDone()).toBe(true);
    expect(res).toEqual({ requestId: 'fc-req-0001' });
    expect(seen?.headers['x-fc-invocation-type']).toBe('Async');
    expect(seen?.headers['x-acs-version']).toBe('2023-03-30');
    expect(seen?.headers['x-acs-action']).toBe('InvokeFunction');
    expect(seen?.headers['x-acs-security-token']).toBe(KEY.token);
    expect(String(seen?.headers.authorization)).toMatch(new RegExp(`^ACS3-HMAC-SHA256 Credential=${KEY.id},`));
    expect(String(seen?.headers.authorization)).not.toContain(KEY.secret);
    expect(JSON.parse(seen!.body)).toEqual(JSON.parse(event.toString()));
  });

  it('escapes the function name in the path', async () => {
    const scope = nock(HOST).post('/2023-03-30/functions/a%20b/invocations').reply(202, '');
    await invoker().invokeAsync('a b', Buffer.from('{}'));
    expect(scope.isDone()).toBe(true);
  });

  it('retries throttling and server errors, then succeeds', async () => {
    const retries: string[] = [];
    const scope = nock(HOST)
      .post(PATH)
      .reply(429, { Code: 'Throttling.User', Message: 'too many', RequestId: 'r1' })
      .post(PATH)
      .reply(503, { Code: 'ServiceUnavailable', Message: 'busy', RequestId: 'r2' })
      .post(PATH)
      .reply(202, '');
    await expect(invoker(retries).invokeAsync('ramparts-scan', Buffer.from('{}'))).resolves.toEqual({});
    expect(scope.isDone()).toBe(true);
    expect(retries).toEqual(['Throttling.User', 'ServiceUnavailable']);
  });

  it('reports a refusal as a CloudError naming the function and the permission, without retrying', async () => {
    const scope = nock(HOST).post(PATH).reply(403, { Code: 'AccessDenied', Message: 'not allowed', RequestId: 'r3' });
    const err = await invoker()
      .invokeAsync('ramparts-scan', Buffer.from('{}'))
      .then(() => null, (e: unknown) => e);
    expect(scope.isDone()).toBe(true);
    expect(err).toBeInstanceOf(CloudError);
    expect((err as CloudError).code).toBe('CLOUD_NO_PERMISSION');
    expect((err as CloudError).message).toMatch(/InvokeFunction ramparts-scan .*AccessDenied.*fc:InvokeFunction/);
  });

  it('gives up after the configured attempts on a persistent server error', async () => {
    const scope = nock(HOST).post(PATH).times(3).reply(500, { Code: 'InternalError', Message: 'boom', RequestId: 'r4' });
    const err = await invoker()
      .invokeAsync('ramparts-scan', Buffer.from('{}'))
      .then(() => null, (e: unknown) => e);
    expect(scope.isDone()).toBe(true);
    expect((err as CloudError).message).toMatch(/after 3 attempts \(InternalError\)/);
  });
});
