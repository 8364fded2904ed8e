import { $Ram } from '../../cloud/sdk.js';
import type { PlanStep } from '../../domain/remediation.js';
import { alreadyExists, diff, notExist, read, write, type HandlerFor, type Observation, type StepContext } from './types.js';

type Detach = Extract<PlanStep, { action: 'detach-policy' }>;

async function readAttached(ctx: StepContext, s: Detach): Promise<Observation> {
  const { principalType: type, principalName: name } = s.target;
  const ram = ctx.clients.ram;
  let policies: Array<{ policyName?: string; policyType?: string }>;
  try {
    if (type === 'user') {
      const res = await read(ctx, 'ram', 'ListPoliciesForUser', () => ram.listPoliciesForUser(new $Ram.ListPoliciesForUserRequest({ userName: name })));
      policies = res.body?.policies?.policy ?? [];
    } else if (type === 'group') {
      const res = await read(ctx, 'ram', 'ListPoliciesForGroup', () => ram.listPoliciesForGroup(new $Ram.ListPoliciesForGroupRequest({ groupName: name })));
      policies = res.body?.policies?.policy ?? [];
    } else {
      const res = await read(ctx, 'ram', 'ListPoliciesForRole', () => ram.listPoliciesForRole(new $Ram.ListPoliciesForRoleRequest({ roleName: name })));
      policies = res.body?.policies?.policy ?? [];
    }
  } catch (err) {
    if (notExist(err)) return { principalExists: false, attached: false };
    throw err;
  }
  return { principalExists: true, attached: policies.some((p) => p.policyName === s.target.policyName && p.policyType === s.target.policyType) };
}

async function detach(ctx: StepContext, s: Detach): Promise<void> {
  const { principalType: type, principalName: name, policyName, policyType } = s.target;
  const ram = ctx.clients.ram;
  if (type === 'user') {
    await write(ctx, 'ram', 'DetachPolicyFromUser', () => ram.detachPolicyFromUser(new $Ram.DetachPolicyFromUserRequest({ userName: name, policyName, policyType })));
  } else if (type === 'group') {
    await write(ctx, 'ram', 'DetachPolicyFromGroup', () => ram.detachPolicyFromGroup(new $Ram.DetachPolicyFromGroupRequest({ groupName: name, policyName, policyType })));
  } else {
    await write(ctx, 'ram', 'DetachPolicyFromRole', () => ram.detachPolicyFromRole(new $Ram.DetachPolicyFromRoleRequest({ roleName: name, policyName, policyType })));
  }
}

async function attach(ctx: StepContext, s: Detach): Promise<void> {
  const { principalType: type, principalName: name, policyName, policyType } = s.target;
  const ram = ctx.clients.ram;
  try {
    if (type === 'user') {
      await write(ctx, 'ram', 'AttachPolicyToUser', () => ram.attachPolicyToUser(new $Ram.AttachPolicyToUserRequest({ userName: name, policyName, policyType })));
    } else if (type === 'group') {
      await write(ctx, 'ram', 'AttachPolicyToGroup', () => ram.attachPolicyToGroup(new $Ram.AttachPolicyToGroupRequest({ groupName: name, policyName, policyType })));
    } else {
      await write(ctx, 'ram', 'AttachPolicyToRole', () => ram.attachPolicyToRole(new $Ram.AttachPolicyToRoleRequest({ roleName: name, policyName, policyType })));
    }
  } catch (err) {
    if (!alreadyExists(err)) throw err;
  }
}

const suffix = { user: 'User', group: 'Group', role: 'Role' } as const;

/** DetachPolicyFromUser/Group/Role; rollback attaches it again (`EntityAlreadyExists.*` = done). */
export const detachPolicy: HandlerFor<'detach-policy'> = {
  action: 'detach-policy',
  principal: (s) => ({ type: s.target.principalType, name: s.target.principalName }),
  read: readAttached,
  differences: (s, live) =>
    live.principalExists ? diff(s.expect, live) : [`${s.target.principalType} ${s.target.principalName} no longer exists`],
  applied: (_s, live) => live.principalExists === true && live.attached === false,
  rolledBack: (_s, live) => live.attached === true,
  describe: (s) => `RAM DetachPolicyFrom${suffix[s.target.principalType]} ${s.target.policyType}:${s.target.policyName} from ${s.target.principalName}`,
  apply: detach,
  describeRollback: (s) => `RAM AttachPolicyTo${suffix[s.target.principalType]} ${s.target.policyType}:${s.target.policyName} to ${s.target.principalName}`,
  rollback: attach,
};
