/**
 * KMS secret inventory with the real generic OpenAPI client against nock: ListSecrets paging, then
 * DescribeSecret per secret (wire shapes from the KMS 2016-01-20 API reference and SDK models),
 * refusals naming the permission, per-secret failures as unknown, retries, malformed and endless
 * listings. Never a value: only ListSecrets and DescribeSecret are ever called.
 */
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { classifyError } from '../../../shared/cloud/classify.js';
import { CloudError } from '../../../shared/errors.js';
import { automaticRotation, collectSecrets, listSecrets, rotationIntervalDays } from '../../../shared/inventory/secrets.js';
import { nockContext, serveRpc } from './nock-context.js';

const HOST = 'https://kms.cn-hangzhou.aliyuncs.com';
const ACCOUNT = '1234567890123456';

const context = () => nockContext(8);

type Body = Record<string, unknown>;
type Reply = [number, Body];
/** Answers every KMS call with `handler(action, query)`. */
const serve = (handler: Parameters<typeof serveRpc>[1]) => serveRpc(HOST, handler);

const listed = (name: string, extra: Body = {}): Body => ({ SecretName: name, SecretType: 'Generic', CreateTime: '2026-01-01T00:00:00Z', UpdateTime: '2026-01-01T00:00:00Z', ...extra });

/** A ListSecrets page of `all`, as KMS pages it (PageNumber/PageSize, TotalCount). */
function page(all: Body[], q: URLSearchParams): Body {
  const n = Number(q.get('PageNumber') ?? 1);
  const size = Number(q.get('PageSize') ?? 10);
  return { RequestId: 'L', PageNumber: n, PageSize: size, TotalCount: all.length, SecretList: { Secret: all.slice((n - 1) * size, n * size) } };
}

const RDS = listed('rds/prod', { SecretType: 'Rds', Tags: { Tag: [{ TagKey: 'owner', TagValue: 'alice' }] } });
const RDS_DETAIL: Body = {
  RequestId: 'D1',
  Arn: `acs:kms:cn-hangzhou:${ACCOUNT}:secret/rds/prod`,
  SecretName: 'rds/prod',
  SecretType: 'Rds',
  CreateTime: '2025-12-01T00:00:00Z',
  AutomaticRotation: 'Enabled',
  RotationInterval: '604800s',
  LastRotationDate: '2026-05-28T00:00:00Z',
  NextRotationDate: '2026-06-04T00:00:00Z',
  Tags: { Tag: [{ TagKey: 'owner', TagValue: 'alice' }, { TagKey: 'env', TagValue: 'prod' }] },
};

const detailOf = (name: string): Body =>
  name === 'rds/prod' ? RDS_DETAIL : { Arn: `acs:kms:cn-hangzhou:${ACCOUNT}:secret/${name}`, SecretName: name, SecretType: 'Generic', CreateTime: '2026-01-01T00:00:00Z' };

beforeAll(() => nock.disableNetConnect());
afterEach(() => void nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('collectSecrets', () => {
  it('pages ListSecrets (100 a page) and maps DescribeSecret, with tags and never a value', async () => {
    const all = [RDS, ...Array.from({ length: 149 }, (_, i) => listed(`app/s-${String(i).padStart(3, '0')}`, { PlannedDeleteTime: i === 0 ? '2026-06-08T00:00:00Z' : undefined }))];
    const seen = serve((action, q) => (action === 'ListSecrets' ? [200, page(all, q)] : [200, detailOf(q.get('SecretName') ?? '')]));
    const ctx = context();
    const secrets = await collectSecrets(ctx);

    const lists = seen.filter((s) => s.action === 'ListSecrets').map((s) => [s.query.get('PageNumber'), s.query.get('PageSize'), s.query.get('FetchTags')]);
    expect(lists).toEqual([
      ['1', '100', 'true'],
      ['2', '100', 'true'],
    ]);
    expect(new Set(seen.map((s) => s.action))).toEqual(new Set(['ListSecrets', 'DescribeSecret']));
    expect(secrets).toHaveLength(150);
    expect(secrets[0]).toEqual({
      name: 'rds/prod',
      arn: `acs:kms:cn-hangzhou:${ACCOUNT}:secret/rds/prod`,
      type: 'Rds',
      createTime: '2025-12-01T00:00:00Z',
      automaticRotation: 'Enabled',
      rotationIntervalDays: 7,
      lastRotationDate: '2026-05-28T00:00:00Z',
      nextRotationDate: '2026-06-04T00:00:00Z',
      plannedDeleteTime: null,
      tags: { owner: 'alice', env: 'prod' },
      detailKnown: true,
    });
    // A Generic secret cannot rotate: DescribeSecret leaves AutomaticRotation out, read as Invalid.
    expect(secrets[1]).toMatchObject({ name: 'app/s-000', type: 'Generic', automaticRotation: 'Invalid', rotationIntervalDays: null, detailKnown: true });
    expect(ctx.tracker.status().secrets).toEqual({ complete: true });
    expect(ctx.clients.caller.stats.byProduct.kms).toEqual({ ListSecrets: 2, DescribeSecret: 150 });
  });

  it('marks the part failed, naming kms:ListSecrets, when ListSecrets is denied', async () => {
    const seen = serve(() => [403, { RequestId: 'R1', Code: 'Forbidden.NoPermission', Message: 'This operation is forbidden by permission system.' }]);
    const ctx = context();
    expect(await collectSecrets(ctx)).toEqual([]);
    const part = ctx.tracker.status().secrets;
    expect(part.complete).toBe(false);
    expect(part.error).toContain('ListSecrets: denied (Forbidden.NoPermission)');
    expect(part.error).toContain('grant kms:ListSecrets');
    expect(seen).toHaveLength(1);
  });

  it('the caller names the permission and the policy in the refusal itself', async () => {
    serve(() => [403, { Code: 'Forbidden.NoPermission', Message: 'denied' }]);
    const ctx = context();
    const err = await listSecrets(ctx).catch((e: unknown) => e);
    expect((err as CloudError).code).toBe('CLOUD_NO_PERMISSION');
    expect((err as CloudError).message).toMatch(/^KMS ListSecrets was denied \(Forbidden\.NoPermission\) — grant kms:ListSecrets .*templates\/ram-policy-scan\.json/);
  });

  it('leaves one secret detailKnown: false when its DescribeSecret fails, without failing the part', async () => {
    serve((action, q) => {
      if (action === 'ListSecrets') return [200, page([RDS, listed('gone')], q)];
      return q.get('SecretName') === 'gone' ? [404, { Code: 'Forbidden.ResourceNotFound', Message: 'Resource not found.' }] : [200, RDS_DETAIL];
    });
    const ctx = context();
    const secrets = await collectSecrets(ctx);
    expect(secrets.map((s) => [s.name, s.detailKnown, s.automaticRotation])).toEqual([
      ['rds/prod', true, 'Enabled'],
      ['gone', false, null],
    ]);
    expect(secrets[1]).toMatchObject({ type: 'Generic', createTime: '2026-01-01T00:00:00Z', arn: '' });
    expect(ctx.tracker.status().secrets).toEqual({ complete: true });
  });

  it('records a DescribeSecret refusal on the part, naming kms:DescribeSecret', async () => {
    serve((action, q) => (action === 'ListSecrets' ? [200, page([RDS], q)] : [403, { Code: 'Forbidden.NoPermission', Message: 'denied' }]));
    const ctx = context();
    const [secret] = await collectSecrets(ctx);
    expect(secret?.detailKnown).toBe(false);
    expect(ctx.tracker.status().secrets.error).toContain('grant kms:DescribeSecret');
  });

  it('retries throttled calls', async () => {
    let lists = 0;
    let describes = 0;
    serve((action, q) => {
      const throttled: Reply = [400, { Code: 'Throttling.User', Message: 'Request was denied due to user flow control.' }];
      if (action === 'ListSecrets') return ++lists === 1 ? throttled : [200, page([RDS], q)];
      return ++describes === 1 ? throttled : [200, RDS_DETAIL];
    });
    const ctx = context();
    const [secret] = await collectSecrets(ctx);
    expect(secret?.detailKnown).toBe(true);
    expect(ctx.clients.caller.stats.throttled).toEqual({ ListSecrets: 1, DescribeSecret: 1 });
    expect(ctx.tracker.status().secrets).toEqual({ complete: true });
  });

  it.each([
    [{ RequestId: 'R2' }, 'returned neither SecretList nor TotalCount'],
    [{ TotalCount: 1, SecretList: { Secret: { SecretName: 'x' } } }, 'returned SecretList.Secret that is not an array'],
    [{ TotalCount: 1, SecretList: { Secret: [{ SecretType: 'Generic' }] } }, 'returned a secret without SecretName'],
  ])('fails the part with a CloudError naming the action for a malformed body %j', async (body, what) => {
    serve(() => [200, body]);
    const ctx = context();
    const fail = vi.spyOn(ctx.tracker, 'fail');
    expect(await collectSecrets(ctx)).toEqual([]);
    const err = fail.mock.calls[0]?.[1] as CloudError;
    expect(err).toBeInstanceOf(CloudError);
    expect(err.code).toBe('CLOUD_BAD_RESPONSE');
    expect(err.message).toBe(`KMS ListSecrets ${what} — is cloud.endpoints.kms a KMS 2016-01-20 endpoint?`);
    expect(ctx.tracker.status().secrets.complete).toBe(false);
  });

  it('stops a server that ignores PageNumber instead of looping', async () => {
    const seen = serve(() => [200, { TotalCount: 500, SecretList: { Secret: [RDS, listed('b')] } }]);
    const ctx = context();
    await expect(listSecrets(ctx, 2)).rejects.toThrow(/ListSecrets returned page 2 with only secrets already listed/);
    expect(seen).toHaveLength(2);
  });

  it('stops at an empty page, and without TotalCount at a short page', async () => {
    const all = [RDS, listed('b'), listed('c')];
    serve((_, q) => {
      const p = page(all, q);
      return [200, { SecretList: p.SecretList }];
    });
    const ctx = context();
    expect((await listSecrets(ctx, 2)).map((s) => s.name)).toEqual(['rds/prod', 'b', 'c']);
    expect(ctx.clients.caller.stats.calls.ListSecrets).toBe(2);
  });
});

describe('secret field parsing', () => {
  it('reads RotationInterval in days: "<n>s", a plain number of seconds, or d/h suffixes', () => {
    expect(['604800s', 604800, '604800', '30d', '720h', '3153600s'].map(rotationIntervalDays)).toEqual([7, 7, 7, 30, 30, 36.5]);
    expect([undefined, '', 'weekly', '0s', -5].map(rotationIntervalDays)).toEqual([null, null, null, null, null]);
  });

  it('reads AutomaticRotation, taking an absent value as Invalid only for Generic secrets', () => {
    expect(automaticRotation('Enabled', 'Rds')).toBe('Enabled');
    expect(automaticRotation('disabled', 'Rds')).toBe('Disabled');
    expect(automaticRotation(undefined, 'Generic')).toBe('Invalid');
    expect(automaticRotation(undefined, 'Rds')).toBeNull();
    expect(automaticRotation('Sometimes', 'Generic')).toBeNull();
  });

  it('classifies a vanished secret as not-found, not as a refusal', () => {
    expect(classifyError({ code: 'Forbidden.ResourceNotFound', statusCode: 404 }).kind).toBe('not-found');
    expect(classifyError({ code: 'Forbidden.NoPermission', statusCode: 403 }).kind).toBe('permission');
  });
});
