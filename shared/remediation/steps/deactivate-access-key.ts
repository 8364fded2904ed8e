import { $Ram } from '../../cloud/sdk.js';
import { diff, read, write, type HandlerFor, type Observation, type StepContext } from './types.js';

/** RAM ListAccessKeys: `{ exists, status }` of one key. */
export async function readKey(ctx: StepContext, userName: string, accessKeyId: string): Promise<Observation> {
  const res = await read(ctx, 'ram', 'ListAccessKeys', () => ctx.clients.ram.listAccessKeys(new $Ram.ListAccessKeysRequest({ userName })));
  const key = (res.body?.accessKeys?.accessKey ?? []).find((k) => k.accessKeyId === accessKeyId);
  return key ? { exists: true, status: key.status ?? null } : { exists: false, status: null };
}

export async function updateKey(ctx: StepContext, userName: string, accessKeyId: string, status: 'Active' | 'Inactive'): Promise<void> {
  await write(ctx, 'ram', 'UpdateAccessKey', () =>
    ctx.clients.ram.updateAccessKey(new $Ram.UpdateAccessKeyRequest({ userName, userAccessKeyId: accessKeyId, status })),
  );
}

export const deactivateAccessKey: HandlerFor<'deactivate-access-key'> = {
  action: 'deactivate-access-key',
  principal: (s) => ({ type: 'user', name: s.target.userName }),
  read: (ctx, s) => readKey(ctx, s.target.userName, s.target.accessKeyId),
  differences: (s, live) => (live.exists ? diff(s.expect, live) : [`access key ${s.target.accessKeyId} no longer exists`]),
  applied: (_s, live) => live.exists === true && live.status === 'Inactive',
  rolledBack: (_s, live) => live.exists === true && live.status === 'Active',
  describe: (s) => `RAM UpdateAccessKey ${s.target.userName}/${s.target.accessKeyId} Status=Inactive`,
  apply: (ctx, s) => updateKey(ctx, s.target.userName, s.target.accessKeyId, 'Inactive'),
  describeRollback: (s) => `RAM UpdateAccessKey ${s.target.userName}/${s.target.accessKeyId} Status=Active`,
  rollback: (ctx, s) => updateKey(ctx, s.target.userName, s.target.accessKeyId, 'Active'),
};
