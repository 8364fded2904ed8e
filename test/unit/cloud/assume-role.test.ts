import { describe, expect, it, vi } from 'vitest';
import { assumeRoleCredential, ASSUME_ROLE_PROVIDER } from '../../../shared/cloud/assume-role.js';
import { CloudCaller } from '../../../shared/cloud/caller.js';
import type { StsClient } from '../../../shared/cloud/sdk.js';
import { CloudError } from '../../../shared/errors.js';

const ARN = 'acs:ram::2000000000000002:role/ramparts-scan';
const T0 = Date.parse('2026-06-01T12:00:00Z');

const caller = () =>
  new CloudCaller({
    concurrency: 4,
    maxAttempts: 3,
    retryBaseDelayMs: 1,
    retryMaxDelayMs: 2,
    endpoints: { ram: 'r', ims: 'i', sts: 's', actiontrail: 'a', resourcemanager: 'm', kms: 'k' },
  });

/** A fake STS whose nth session is `STS.key-n`, valid `durationSeconds` from the fake clock. */
function fakeSts(clock: { now: number }) {
  let n = 0;
  const assumeRole = vi.fn(async (req: { roleArn?: string; roleSessionName?: string; durationSeconds?: number }) => {
    n++;
    return {
      body: {
        credentials: {
          accessKeyId: `STS.key-${n}`,
          accessKeySecret: `secret-${n}`,
          securityToken: `token-${n}`,
          expiration: new Date(clock.now + (req.durationSeconds ?? 3600) * 1000).toISOString(),
        },
      },
    };
  });
  return { sts: { assumeRole } as unknown as StsClient, assumeRole };
}

/** An error shaped like openapi-core's ClientError. */
function clientError(code: string, statusCode: number): Error {
  return Object.assign(new Error(`${code}: code: ${statusCode}, denied`), { name: 'ClientError', code, statusCode });
}

describe('assumeRoleCredential', () => {
  it('calls STS on first use, with the role, session name and duration, then reuses the session', async () => {
    const clock = { now: T0 };
    const { sts, assumeRole } = fakeSts(clock);
    const credential = assumeRoleCredential({ sts, caller: caller() }, { roleArn: ARN, sessionName: 'ramparts-scan-1', durationSeconds: 900, nowMs: () => clock.now });
    expect(assumeRole).not.toHaveBeenCalled();
    const first = await credential.getCredential();
    expect(first).toMatchObject({ accessKeyId: 'STS.key-1', accessKeySecret: 'secret-1', securityToken: 'token-1', providerName: ASSUME_ROLE_PROVIDER });
    expect(assumeRole).toHaveBeenCalledWith(expect.objectContaining({ roleArn: ARN, roleSessionName: 'ramparts-scan-1', durationSeconds: 900 }));
    clock.now += 60_000;
    expect((await credential.getCredential()).accessKeyId).toBe('STS.key-1');
    expect(assumeRole).toHaveBeenCalledTimes(1);
  });

  it('asks for a new session before the current one expires (default margin: a quarter of a short session)', async () => {
    const clock = { now: T0 };
    const { sts, assumeRole } = fakeSts(clock);
    const credential = assumeRoleCredential({ sts, caller: caller() }, { roleArn: ARN, sessionName: 's', durationSeconds: 900, nowMs: () => clock.now });
    await credential.getCredential();
    clock.now = T0 + 900_000 - 225_001; // just outside the 225 s margin
    expect((await credential.getCredential()).accessKeyId).toBe('STS.key-1');
    clock.now = T0 + 900_000 - 225_000; // inside it: refresh while the old token is still valid
    expect((await credential.getCredential()).accessKeyId).toBe('STS.key-2');
    expect(assumeRole).toHaveBeenCalledTimes(2);
  });

  it('honours an explicit refresh margin, and shares one STS call among concurrent requests', async () => {
    const clock = { now: T0 };
    const { sts, assumeRole } = fakeSts(clock);
    const credential = assumeRoleCredential({ sts, caller: caller() }, { roleArn: ARN, sessionName: 's', refreshMarginMs: 10 * 60_000, nowMs: () => clock.now });
    const all = await Promise.all([credential.getCredential(), credential.getCredential(), credential.getCredential()]);
    expect(new Set(all.map((c) => c.accessKeyId))).toEqual(new Set(['STS.key-1']));
    expect(assumeRole).toHaveBeenCalledTimes(1);
    clock.now = T0 + 3_600_000 - 10 * 60_000;
    expect((await credential.getCredential()).accessKeyId).toBe('STS.key-2');
  });

  it('maps a trust refusal (NoPermission) to ASSUME_ROLE_FAILED naming the role and the trust-policy fix', async () => {
    const sts = { assumeRole: vi.fn().mockRejectedValue(clientError('NoPermission', 403)) } as unknown as StsClient;
    const credential = assumeRoleCredential({ sts, caller: caller() }, { roleArn: ARN, sessionName: 's' });
    const err = await credential.getCredential().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CloudError);
    expect(err).toMatchObject({ code: 'ASSUME_ROLE_FAILED', cloudCode: 'NoPermission', action: 'AssumeRole' });
    expect((err as Error).message).toMatch(/^cannot assume acs:ram::2000000000000002:role\/ramparts-scan \(NoPermission\): the role's trust policy/);
    expect((err as Error).message).toContain('acs:ram::<scanning account id>:root');
  });

  it('maps a missing role to advice about accounts.roleName, and does not retry either refusal', async () => {
    const assumeRole = vi.fn().mockRejectedValue(clientError('EntityNotExist.Role', 404));
    const credential = assumeRoleCredential({ sts: { assumeRole } as unknown as StsClient, caller: caller() }, { roleArn: ARN, sessionName: 's' });
    const err = (await credential.getCredential().catch((e: unknown) => e)) as CloudError;
    expect(err.cloudCode).toBe('EntityNotExist.Role');
    expect(err.message).toContain('does not exist in account 2000000000000002');
    expect(err.message).toContain('accounts.roleName');
    expect(assumeRole).toHaveBeenCalledTimes(1);
  });

  it('retries throttling through the caller', async () => {
    const clock = { now: T0 };
    const ok = fakeSts(clock);
    const assumeRole = vi
      .fn()
      .mockRejectedValueOnce(clientError('Throttling.User', 400))
      .mockImplementationOnce(ok.assumeRole);
    const credential = assumeRoleCredential({ sts: { assumeRole } as unknown as StsClient, caller: caller() }, { roleArn: ARN, sessionName: 's', nowMs: () => clock.now });
    expect((await credential.getCredential()).accessKeyId).toBe('STS.key-1');
    expect(assumeRole).toHaveBeenCalledTimes(2);
  });

  it('tolerates a local clock that disagrees with STS: a session counts as valid for its duration from the request', async () => {
    const server = { now: T0 - 180 * 86_400_000 }; // STS answers with Expirations half a year before the local clock
    const { sts, assumeRole } = fakeSts(server);
    const local = { now: T0 };
    const credential = assumeRoleCredential({ sts, caller: caller() }, { roleArn: ARN, sessionName: 's', nowMs: () => local.now });
    await credential.getCredential();
    local.now += 30 * 60_000;
    expect((await credential.getCredential()).accessKeyId).toBe('STS.key-1');
    local.now = T0 + 3_600_000 - 5 * 60_000;
    expect((await credential.getCredential()).accessKeyId).toBe('STS.key-2');
    expect(assumeRole).toHaveBeenCalledTimes(2);
  });

  it('rejects a response without complete Credentials', async () => {
    const sts = { assumeRole: vi.fn().mockResolvedValue({ body: { credentials: { accessKeyId: 'STS.x' } } }) } as unknown as StsClient;
    const err = (await assumeRoleCredential({ sts, caller: caller() }, { roleArn: ARN, sessionName: 's' }).getCredential().catch((e: unknown) => e)) as CloudError;
    expect(err.code).toBe('CLOUD_BAD_RESPONSE');
  });
});
