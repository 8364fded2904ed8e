import { $Ims, $Ram } from '../../cloud/sdk.js';
import { readKey } from './deactivate-access-key.js';
import { read, write, type HandlerFor, type Observation, type StepContext } from './types.js';

const DAY_MS = 86_400_000;

async function readDeletable(ctx: StepContext, userName: string, accessKeyId: string): Promise<Observation> {
  const key = await readKey(ctx, userName, accessKeyId);
  if (!key.exists) return key;
  const res = await read(ctx, 'ram', 'GetAccessKeyLastUsed', () =>
    ctx.clients.ram.getAccessKeyLastUsed(new $Ram.GetAccessKeyLastUsedRequest({ userName, userAccessKeyId: accessKeyId })),
  );
  return { ...key, lastUsedDate: res.body?.accessKeyLastUsed?.lastUsedDate || null };
}

/**
 * Deletes a key only when it is Inactive, has been for `deleteKeyAfterInactiveDays` — counted from
 * what the approver saw (`expect.inactiveSinceDays` at approval time) — and was not used since.
 * Rollback restores it from the IMS recycle bin (30 days).
 */
export const deleteAccessKey: HandlerFor<'delete-access-key'> = {
  action: 'delete-access-key',
  principal: (s) => ({ type: 'user', name: s.target.userName }),
  read: (ctx, s) => readDeletable(ctx, s.target.userName, s.target.accessKeyId),
  differences(s, live, ctx) {
    if (!live.exists) return [`access key ${s.target.accessKeyId} no longer exists`];
    if (live.status !== s.expect.status) return [`status: approved "Inactive", live ${JSON.stringify(live.status)}`];
    const inactiveSince = ctx.approvedAt.getTime() - s.expect.inactiveSinceDays * DAY_MS;
    const days = Math.floor((ctx.now.getTime() - inactiveSince) / DAY_MS);
    const out: string[] = [];
    if (days < ctx.deleteKeyAfterInactiveDays) out.push(`inactive ${days} days, deletion needs ${ctx.deleteKeyAfterInactiveDays}`);
    const used = typeof live.lastUsedDate === 'string' ? Date.parse(live.lastUsedDate) : NaN;
    if (!Number.isNaN(used) && used >= inactiveSince) out.push(`used on ${String(live.lastUsedDate)}, after it became inactive`);
    return out;
  },
  applied: (_s, live) => live.exists === false,
  rolledBack: (_s, live) => live.exists === true,
  describe: (s) => `RAM DeleteAccessKey ${s.target.userName}/${s.target.accessKeyId}`,
  async apply(ctx, s) {
    await write(ctx, 'ram', 'DeleteAccessKey', () =>
      ctx.clients.ram.deleteAccessKey(new $Ram.DeleteAccessKeyRequest({ userName: s.target.userName, userAccessKeyId: s.target.accessKeyId })),
    );
  },
  describeRollback: (s) => `IMS RestoreAccessKeyFromRecycleBin ${s.target.userId}/${s.target.accessKeyId}`,
  async rollback(ctx, s) {
    await write(ctx, 'ims', 'RestoreAccessKeyFromRecycleBin', () =>
      ctx.clients.ims.restoreAccessKeyFromRecycleBin(
        new $Ims.RestoreAccessKeyFromRecycleBinRequest({ userId: s.target.userId, userAccessKeyId: s.target.accessKeyId }),
      ),
    );
  },
};
