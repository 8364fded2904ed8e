import { $Ram } from '../../cloud/sdk.js';
import type { PlanStep } from '../../domain/remediation.js';
import { RampartsError } from '../../errors.js';
import { proofDifferences, readCustomPolicy, sameDocument } from './narrow-policy.js';
import { alreadyExists, diff, notExist, read, write, type HandlerFor, type Observation, type StepContext } from './types.js';

type Attach = Extract<PlanStep, { action: 'attach-policy' }>;

const suffix = { user: 'User', group: 'Group', role: 'Role' } as const;

/** Whether the principal holds the custom policy (`principalExists: false` when it is gone). */
async function readAttachment(ctx: StepContext, s: Attach): Promise<Observation> {
  const { principalType: type, principalName: name, policyName } = s.target;
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
  return { principalExists: true, attached: policies.some((p) => p.policyName === policyName && p.policyType === 'Custom') };
}

async function readAttach(ctx: StepContext, s: Attach): Promise<Observation> {
  const policy = await readCustomPolicy(ctx, s.target.policyName);
  const attachment = await readAttachment(ctx, s);
  return {
    ...attachment,
    policyExists: policy.exists === true,
    documentMatches: policy.exists === true ? sameDocument(policy.defaultDocument, s.target.document) : null,
    attachmentCount: policy.attachmentCount ?? null,
  };
}

const isApplied = (_s: Attach, live: Observation) => live.principalExists === true && live.documentMatches === true && live.attached === true;

/** Another policy of that name: never attached, never deleted by ramparts. */
function clash(s: Attach): string {
  return `custom policy ${s.target.policyName} already exists with a different document (name clash): rename or delete that policy, then approve again`;
}

/** CreatePolicy unless the same policy is there (`EntityAlreadyExists.*`: compare what is), refusing a name clash. */
async function ensurePolicy(ctx: StepContext, s: Attach): Promise<void> {
  const before = await readCustomPolicy(ctx, s.target.policyName);
  if (before.exists !== true) {
    try {
      await write(ctx, 'ram', 'CreatePolicy', () =>
        ctx.clients.ram.createPolicy(
          new $Ram.CreatePolicyRequest({ policyName: s.target.policyName, policyDocument: s.target.document, description: s.target.description }),
        ),
      );
      return;
    } catch (err) {
      if (!alreadyExists(err)) throw err;
    }
  }
  const now = before.exists === true ? before : await readCustomPolicy(ctx, s.target.policyName);
  if (!sameDocument(now.defaultDocument, s.target.document)) throw new RampartsError('REMEDIATION_POLICY_CLASH', clash(s));
}

async function attach(ctx: StepContext, s: Attach): Promise<void> {
  const { principalType: type, principalName: name, policyName } = s.target;
  const ram = ctx.clients.ram;
  const policyType = 'Custom';
  try {
    if (type === 'user') {
      await write(ctx, 'ram', 'AttachPolicyToUser', () => ram.attachPolicyToUser(new $Ram.AttachPolicyToUserRequest({ userName: name, policyName, policyType })));
    } else if (type === 'group') {
      await write(ctx, 'ram', 'AttachPolicyToGroup', () => ram.attachPolicyToGroup(new $Ram.AttachPolicyToGroupRequest({ groupName: name, policyName, policyType })));
    } else {
      await write(ctx, 'ram', 'AttachPolicyToRole', () => ram.attachPolicyToRole(new $Ram.AttachPolicyToRoleRequest({ roleName: name, policyName, policyType })));
    }
  } catch (err) {
    // Attached already (a lost response, or by hand): the target state; the read-back confirms it.
    if (!alreadyExists(err)) throw err;
  }
}

async function detach(ctx: StepContext, s: Attach): Promise<void> {
  const { principalType: type, principalName: name, policyName } = s.target;
  const ram = ctx.clients.ram;
  const policyType = 'Custom';
  try {
    if (type === 'user') {
      await write(ctx, 'ram', 'DetachPolicyFromUser', () => ram.detachPolicyFromUser(new $Ram.DetachPolicyFromUserRequest({ userName: name, policyName, policyType })));
    } else if (type === 'group') {
      await write(ctx, 'ram', 'DetachPolicyFromGroup', () => ram.detachPolicyFromGroup(new $Ram.DetachPolicyFromGroupRequest({ groupName: name, policyName, policyType })));
    } else {
      await write(ctx, 'ram', 'DetachPolicyFromRole', () => ram.detachPolicyFromRole(new $Ram.DetachPolicyFromRoleRequest({ roleName: name, policyName, policyType })));
    }
  } catch (err) {
    if (!notExist(err)) throw err;
  }
}

/** How many users, groups and roles hold the policy (ListEntitiesForPolicy, the authoritative list). */
async function holders(ctx: StepContext, policyName: string): Promise<number> {
  const res = await read(ctx, 'ram', 'ListEntitiesForPolicy', () =>
    ctx.clients.ram.listEntitiesForPolicy(new $Ram.ListEntitiesForPolicyRequest({ policyName, policyType: 'Custom' })),
  );
  const b = res.body;
  return (b?.users?.user?.length ?? 0) + (b?.groups?.group?.length ?? 0) + (b?.roles?.role?.length ?? 0);
}

/**
 * Deletes the generated policy once nothing holds it. Only a policy with exactly the generated
 * document is deleted (the handler cannot see whether this step created it: an unattached policy
 * with that document grants nothing and is re-created by the next approval). CascadingDelete is never
 * passed: a policy someone attached meanwhile or gave more versions answers `DeleteConflict.*` and
 * stays.
 */
async function deleteIfUnheld(ctx: StepContext, s: Attach): Promise<void> {
  const policy = await readCustomPolicy(ctx, s.target.policyName);
  if (policy.exists !== true || !sameDocument(policy.defaultDocument, s.target.document)) return;
  if ((await holders(ctx, s.target.policyName)) > 0) return;
  try {
    await write(ctx, 'ram', 'DeletePolicy', () => ctx.clients.ram.deletePolicy(new $Ram.DeletePolicyRequest({ policyName: s.target.policyName })));
  } catch (err) {
    if (!notExist(err)) throw err;
  }
}

/**
 * The generated custom policy that replaces a system one: CreatePolicy (unless the same document is
 * there already) then AttachPolicyTo{User,Group,Role}. Rollback detaches it (`EntityNotExist.*` =
 * done) and deletes it when nothing else holds it. A same-named policy with another document is a
 * name clash and is refused, never overwritten or attached.
 */
export const attachPolicy: HandlerFor<'attach-policy'> = {
  action: 'attach-policy',
  principal: (s) => ({ type: s.target.principalType, name: s.target.principalName }),
  read: readAttach,
  differences(s, live) {
    if (live.principalExists !== true) return [`${s.target.principalType} ${s.target.principalName} no longer exists`];
    const out: string[] = [];
    if (!isApplied(s, live)) {
      if (live.policyExists === true && live.documentMatches !== true) out.push(clash(s));
      else out.push(...diff(s.expect, live));
    }
    return [...out, ...proofDifferences(s.target.policyName, s.target.document, s.proof)];
  },
  applied: isApplied,
  // Back when it is detached and no unheld copy of the generated policy is left behind.
  rolledBack: (_s, live) => live.attached !== true && !(live.policyExists === true && live.documentMatches === true && live.attachmentCount === 0),
  describe: (s) =>
    `RAM CreatePolicy Custom:${s.target.policyName} (unless present) + AttachPolicyTo${suffix[s.target.principalType]} Custom:${s.target.policyName} to ${s.target.principalName}`,
  async apply(ctx, s) {
    await ensurePolicy(ctx, s);
    await attach(ctx, s);
  },
  describeRollback: (s) =>
    `RAM DetachPolicyFrom${suffix[s.target.principalType]} Custom:${s.target.policyName} from ${s.target.principalName} + DeletePolicy ${s.target.policyName} (when nothing else holds it)`,
  async rollback(ctx, s) {
    await detach(ctx, s);
    await deleteIfUnheld(ctx, s);
  },
};
