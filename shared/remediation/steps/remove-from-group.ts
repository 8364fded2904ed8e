import { $Ram } from '../../cloud/sdk.js';
import { alreadyExists, diff, notExist, read, write, type HandlerFor, type Observation, type StepContext } from './types.js';

async function readMember(ctx: StepContext, userName: string, groupName: string): Promise<Observation> {
  try {
    const res = await read(ctx, 'ram', 'ListGroupsForUser', () => ctx.clients.ram.listGroupsForUser(new $Ram.ListGroupsForUserRequest({ userName })));
    return { userExists: true, member: (res.body?.groups?.group ?? []).some((g) => g.groupName === groupName) };
  } catch (err) {
    if (notExist(err)) return { userExists: false, member: false };
    throw err;
  }
}

/** RemoveUserFromGroup; rollback AddUserToGroup (`EntityAlreadyExists.*` = done). */
export const removeFromGroup: HandlerFor<'remove-from-group'> = {
  action: 'remove-from-group',
  principal: (s) => ({ type: 'user', name: s.target.userName }),
  read: (ctx, s) => readMember(ctx, s.target.userName, s.target.groupName),
  differences: (s, live) => (live.userExists ? diff(s.expect, live) : [`user ${s.target.userName} no longer exists`]),
  applied: (_s, live) => live.userExists === true && live.member === false,
  rolledBack: (_s, live) => live.member === true,
  describe: (s) => `RAM RemoveUserFromGroup ${s.target.userName} from ${s.target.groupName}`,
  async apply(ctx, s) {
    await write(ctx, 'ram', 'RemoveUserFromGroup', () =>
      ctx.clients.ram.removeUserFromGroup(new $Ram.RemoveUserFromGroupRequest({ userName: s.target.userName, groupName: s.target.groupName })),
    );
  },
  describeRollback: (s) => `RAM AddUserToGroup ${s.target.userName} to ${s.target.groupName}`,
  async rollback(ctx, s) {
    try {
      await write(ctx, 'ram', 'AddUserToGroup', () =>
        ctx.clients.ram.addUserToGroup(new $Ram.AddUserToGroupRequest({ userName: s.target.userName, groupName: s.target.groupName })),
      );
    } catch (err) {
      if (!alreadyExists(err)) throw err;
    }
  },
};
