import { ApiError, entityNotExist, invalidParameter } from '../errors.js';
import type { KeyRecord, PolicyRecord, PrincipalType } from '../model.js';
import { policyKey } from '../state.js';
import { type ActionContext, type ActionHandler, type ActionTable, groupByName, policyByName, roleByName, userByName, userKey } from './context.js';
import { createdPolicy, policyVersion } from './views.js';
import { deleteKey, setKeyStatus, updateLoginProfile } from './writes.js';

/** Versions a policy keeps at most (RAM's limit). */
export const POLICY_VERSIONS_MAX = 5;
const ROTATE_STRATEGIES = ['None', 'DeleteOldestNonDefaultVersionWhenLimitExceeded'] as const;

/** The key named by `UserAccessKeyId`: of `UserName`, or without it the caller's own (like ListAccessKeys). */
function targetKey(ctx: ActionContext): KeyRecord {
  if (ctx.params.get('UserName') !== undefined) return userKey(ctx, userByName(ctx));
  const id = ctx.params.required('UserAccessKeyId');
  const own = ctx.caller.kind === 'user' ? ctx.caller.user.keys : ctx.state.root.keys;
  const key = own.find((k) => k.id === id);
  if (!key) throw entityNotExist('User.AccessKey', 'access key', id);
  return key;
}

const PRINCIPALS: Record<PrincipalType, { entity: string; name: (ctx: ActionContext) => string }> = {
  user: { entity: 'User', name: (ctx) => userByName(ctx).name },
  group: { entity: 'Group', name: (ctx) => groupByName(ctx).name },
  role: { entity: 'Role', name: (ctx) => roleByName(ctx).name },
};

/** AttachPolicyTo{User,Group,Role}: 409 `EntityAlreadyExists.<Entity>.Policy` when already attached. */
function attach(type: PrincipalType): ActionHandler {
  return (ctx) => {
    const { entity, name: principal } = PRINCIPALS[type];
    const name = principal(ctx);
    const p = policyByName(ctx);
    if (ctx.state.isAttached(type, name, p.type, p.name)) {
      throw new ApiError(409, `EntityAlreadyExists.${entity}.Policy`, `The policy ${p.type} ${p.name} is already attached to the ${type} ${name}.`);
    }
    ctx.state.attach({ principalType: type, principalName: name, policyType: p.type, policyName: p.name, attachDate: ctx.now });
    return {};
  };
}

/** DetachPolicyFrom{User,Group,Role}: 404 `EntityNotExist.<Entity>.Policy` when not attached. */
function detach(type: PrincipalType): ActionHandler {
  return (ctx) => {
    const { entity, name: principal } = PRINCIPALS[type];
    const name = principal(ctx);
    const p = policyByName(ctx);
    if (!ctx.state.detach(type, name, p.type, p.name)) {
      throw entityNotExist(`${entity}.Policy`, `attachment of policy ${p.type} ${p.name} to ${type}`, name);
    }
    return {};
  };
}

/** The Custom policy named by `PolicyName` (version actions take no PolicyType); 404 `EntityNotExist.Policy`. */
function customPolicy(ctx: ActionContext): PolicyRecord {
  const name = ctx.params.required('PolicyName');
  const p = ctx.state.policy('Custom', name);
  if (!p) throw entityNotExist('Policy', 'policy', `Custom ${name}`);
  return p;
}

function malformed(why: string): ApiError {
  return new ApiError(400, 'MalformedPolicyDocument', `The policy document is malformed: ${why}.`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Checks the shape RAM requires: a JSON object, Version "1", non-empty Statement of Allow/Deny statements with an action. */
function checkPolicyDocument(text: string): void {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw malformed('it is not valid JSON');
  }
  if (!isObject(doc)) throw malformed('it must be a JSON object');
  if (doc.Version !== '1') throw malformed('"Version" must be "1"');
  const statements = doc.Statement;
  if (!Array.isArray(statements) || statements.length === 0) throw malformed('"Statement" must be a non-empty array');
  for (const s of statements) {
    if (!isObject(s) || (s.Effect !== 'Allow' && s.Effect !== 'Deny')) throw malformed('every statement needs "Effect": "Allow" or "Deny"');
    if (s.Action === undefined && s.NotAction === undefined) throw malformed('every statement needs "Action" or "NotAction"');
  }
}

/** The next version id: one above the highest `vN` the policy keeps (rotation only drops older ones). */
function nextVersionId(p: PolicyRecord): string {
  const numbers = p.versions.map((v) => Number(/^v(\d+)$/.exec(v.versionId)?.[1] ?? 0));
  return `v${Math.max(0, ...numbers) + 1}`;
}

/** RAM PolicyName: 1–128 letters, digits and hyphens. */
const POLICY_NAME = /^[A-Za-z0-9-]{1,128}$/;

/** 409 `DeleteConflict.Policy.<Entity>` per kind of holder. UNVERIFIED: code spelling from the RAM error center's family, not the reference. */
const DELETE_CONFLICT: Record<PrincipalType, string> = { user: 'User', group: 'Group', role: 'Role' };

/** RAM 2015-05-01 actions that change the account (reference §2, appendix A). Each answers `{RequestId}` unless noted. */
export const ramWriteActions: ActionTable = {
  UpdateAccessKey: (ctx) => {
    setKeyStatus(ctx, targetKey(ctx));
    return {};
  },

  DeleteAccessKey: (ctx) => {
    deleteKey(ctx, targetKey(ctx));
    return {};
  },

  UpdateLoginProfile: (ctx) => {
    const user = userByName(ctx);
    updateLoginProfile(ctx, user, user.name, false);
    return {};
  },

  AttachPolicyToUser: attach('user'),
  AttachPolicyToGroup: attach('group'),
  AttachPolicyToRole: attach('role'),
  DetachPolicyFromUser: detach('user'),
  DetachPolicyFromGroup: detach('group'),
  DetachPolicyFromRole: detach('role'),

  AddUserToGroup: (ctx) => {
    const user = userByName(ctx);
    const group = groupByName(ctx);
    if (group.members.has(user.name)) {
      throw new ApiError(409, 'EntityAlreadyExists.User.Group', `The user ${user.name} is already a member of the group ${group.name}.`);
    }
    ctx.state.addMember(group.name, user.name, ctx.now);
    return {};
  },

  RemoveUserFromGroup: (ctx) => {
    const user = userByName(ctx);
    const group = groupByName(ctx);
    if (!ctx.state.removeMember(group.name, user.name)) throw entityNotExist('User.Group', `membership of user ${user.name} in group`, group.name);
    return {};
  },

  /** Returns `PolicyVersion`. Custom policies only; at most {@link POLICY_VERSIONS_MAX} versions. */
  CreatePolicyVersion: (ctx) => {
    const p = customPolicy(ctx);
    const document = ctx.params.required('PolicyDocument');
    checkPolicyDocument(document);
    const setAsDefault = ctx.params.bool('SetAsDefault') ?? false;
    const rotate = ctx.params.oneOf('RotateStrategy', ROTATE_STRATEGIES) ?? 'None';
    if (p.versions.length >= POLICY_VERSIONS_MAX) {
      if (rotate === 'None') {
        throw new ApiError(
          409,
          'LimitExceeded.Policy.Version',
          `The policy ${p.name} already has ${POLICY_VERSIONS_MAX} versions: delete one, or pass RotateStrategy=DeleteOldestNonDefaultVersionWhenLimitExceeded.`,
        );
      }
      // Versions are kept in creation order; with 5 versions and one default, a non-default one exists.
      const oldest = p.versions.findIndex((v) => v.versionId !== p.defaultVersion);
      if (oldest < 0) throw invalidParameter('RotateStrategy', 'no non-default version can be deleted.');
      p.versions.splice(oldest, 1);
    }
    const v = { versionId: nextVersionId(p), document, createDate: ctx.now };
    p.versions.push(v);
    if (setAsDefault) p.defaultVersion = v.versionId;
    p.updateDate = ctx.now;
    return { PolicyVersion: policyVersion(p, v) };
  },

  /** Returns `Policy` (without the document). A Custom policy with version v1 as its default; 409 `EntityAlreadyExists.Policy` when the name is taken. */
  CreatePolicy: (ctx) => {
    const name = ctx.params.required('PolicyName');
    if (!POLICY_NAME.test(name)) throw invalidParameter('PolicyName', 'use 1 to 128 letters, digits and hyphens.');
    const document = ctx.params.required('PolicyDocument');
    checkPolicyDocument(document);
    if (ctx.state.policy('Custom', name)) {
      throw new ApiError(409, 'EntityAlreadyExists.Policy', `The policy already exists: Custom ${name}.`);
    }
    const p: PolicyRecord = {
      name,
      type: 'Custom',
      description: ctx.params.get('Description') ?? '',
      createDate: ctx.now,
      updateDate: ctx.now,
      defaultVersion: 'v1',
      versions: [{ versionId: 'v1', document, createDate: ctx.now }],
    };
    ctx.state.policies.set(policyKey('Custom', name), p);
    ctx.state.invalidate();
    return { Policy: createdPolicy(p) };
  },

  /**
   * Custom policies only. Without `CascadingDelete=true` a policy still attached answers 409
   * `DeleteConflict.Policy.<User|Group|Role>` and one with non-default versions 409
   * `DeleteConflict.Policy.Version`; with it, both are removed first.
   */
  DeletePolicy: (ctx) => {
    const p = customPolicy(ctx);
    const cascade = ctx.params.bool('CascadingDelete') ?? false;
    const attachments = ctx.state.attachmentsOfPolicy(p.type, p.name);
    const first = attachments[0];
    if (!cascade && first) {
      throw new ApiError(409, `DeleteConflict.Policy.${DELETE_CONFLICT[first.principalType]}`, `The policy ${p.name} is still attached to ${first.principalType} ${first.principalName}: detach it first.`);
    }
    if (!cascade && p.versions.length > 1) {
      throw new ApiError(409, 'DeleteConflict.Policy.Version', `The policy ${p.name} has non-default versions: delete them first.`);
    }
    for (const a of attachments) ctx.state.detach(a.principalType, a.principalName, a.policyType, a.policyName);
    ctx.state.policies.delete(policyKey(p.type, p.name));
    ctx.state.invalidate();
    return {};
  },

  SetDefaultPolicyVersion: (ctx) => {
    const p = customPolicy(ctx);
    const id = ctx.params.required('VersionId');
    if (!p.versions.some((v) => v.versionId === id)) throw entityNotExist('Policy.Version', 'policy version', `${p.name} ${id}`);
    p.defaultVersion = id;
    p.updateDate = ctx.now;
    return {};
  },
};
