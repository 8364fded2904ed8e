import { $Ram } from '../cloud/sdk.js';
import type { PolicyAttachment, PolicyType, RamGroup, RamPolicy, RamRole } from '../domain/snapshot.js';
import { allPages, call, forEach, type InventoryContext } from './context.js';

/**
 * Groups with their members: ListGroups, then ListUsersForGroup per group (the inverted listing —
 * one call per group instead of ListGroupsForUser per user).
 */
export async function collectGroups(ctx: InventoryContext): Promise<RamGroup[]> {
  const { ram } = ctx.clients;
  let listed: Array<{ groupName?: string; groupId?: string; comments?: string }>;
  try {
    listed = await allPages(async (marker) => {
      const res = await call(ctx, 'ram', 'ListGroups', () => ram.listGroups(new $Ram.ListGroupsRequest({ maxItems: 100, marker })));
      return { items: res.body?.groups?.group, isTruncated: res.body?.isTruncated, marker: res.body?.marker };
    });
  } catch (err) {
    ctx.tracker.fail('groups', err);
    return [];
  }
  const groups: RamGroup[] = listed.map((g) => ({ id: g.groupId ?? '', name: g.groupName ?? '', comments: g.comments ?? '', members: null }));
  await forEach(ctx, 'group members', groups, async (group) => {
    try {
      const members = await allPages(async (marker) => {
        const res = await call(ctx, 'ram', 'ListUsersForGroup', () =>
          ram.listUsersForGroup(new $Ram.ListUsersForGroupRequest({ groupName: group.name, maxItems: 1000, marker })),
        );
        return { items: res.body?.users?.user, isTruncated: res.body?.isTruncated, marker: res.body?.marker };
      });
      group.members = members.map((m) => m.userName ?? '').filter(Boolean);
    } catch (err) {
      ctx.tracker.fail('groups', err);
    }
  });
  return groups;
}

/**
 * Policies: ListPolicies (1000 a page), ListEntitiesForPolicy only where AttachmentCount > 0, and the
 * default-version document once per policy that is attached or custom. Unattached System policies
 * (there are over a thousand) are never fetched.
 */
export async function collectPolicies(ctx: InventoryContext): Promise<RamPolicy[]> {
  const { ram } = ctx.clients;
  let listed: Array<{ policyName?: string; policyType?: string; defaultVersion?: string; attachmentCount?: number; description?: string }>;
  try {
    listed = await allPages(async (marker) => {
      const res = await call(ctx, 'ram', 'ListPolicies', () => ram.listPolicies(new $Ram.ListPoliciesRequest({ maxItems: 1000, marker })));
      return { items: res.body?.policies?.policy, isTruncated: res.body?.isTruncated, marker: res.body?.marker };
    });
  } catch (err) {
    ctx.tracker.fail('policies', err);
    return [];
  }
  const policies: RamPolicy[] = listed.map((p) => ({
    name: p.policyName ?? '',
    type: (p.policyType === 'System' ? 'System' : 'Custom') as PolicyType,
    defaultVersion: p.defaultVersion ?? '',
    attachmentCount: Number(p.attachmentCount ?? 0),
    description: p.description ?? '',
    document: null,
    attachments: Number(p.attachmentCount ?? 0) > 0 ? null : [],
  }));
  const relevant = policies.filter((p) => p.attachmentCount > 0 || p.type === 'Custom');
  await forEach(ctx, 'policies', relevant, async (policy) => {
    await Promise.all([policy.attachmentCount > 0 ? attachments(ctx, policy) : undefined, documentOf(ctx, policy)]);
  });
  return policies;
}

async function attachments(ctx: InventoryContext, policy: RamPolicy): Promise<void> {
  try {
    const res = await call(ctx, 'ram', 'ListEntitiesForPolicy', () =>
      ctx.clients.ram.listEntitiesForPolicy(new $Ram.ListEntitiesForPolicyRequest({ policyName: policy.name, policyType: policy.type })),
    );
    const b = res.body;
    const list: PolicyAttachment[] = [
      ...(b?.users?.user ?? []).map((u) => ({ principalType: 'user' as const, principalName: u.userName ?? '', attachDate: u.attachDate ?? null })),
      ...(b?.groups?.group ?? []).map((g) => ({ principalType: 'group' as const, principalName: g.groupName ?? '', attachDate: g.attachDate ?? null })),
      ...(b?.roles?.role ?? []).map((r) => ({ principalType: 'role' as const, principalName: r.roleName ?? '', attachDate: r.attachDate ?? null })),
    ];
    policy.attachments = list;
  } catch (err) {
    ctx.tracker.fail('policies', err);
  }
}

async function documentOf(ctx: InventoryContext, policy: RamPolicy): Promise<void> {
  try {
    const res = await call(ctx, 'ram', 'GetPolicy', () =>
      ctx.clients.ram.getPolicy(new $Ram.GetPolicyRequest({ policyName: policy.name, policyType: policy.type })),
    );
    policy.document = res.body?.defaultPolicyVersion?.policyDocument ?? res.body?.policy?.policyDocument ?? null;
    if (policy.document === null) throw new Error(`GetPolicy ${policy.name} returned no document`);
  } catch (err) {
    ctx.tracker.fail('policies', err);
  }
}

/** Roles with their trust policies: ListRoles has none, so GetRole per role. */
export async function collectRoles(ctx: InventoryContext): Promise<RamRole[]> {
  const { ram } = ctx.clients;
  let listed: Array<{ roleName?: string; roleId?: string; arn?: string; description?: string; maxSessionDuration?: number; createDate?: string }>;
  try {
    listed = await allPages(async (marker) => {
      const res = await call(ctx, 'ram', 'ListRoles', () => ram.listRoles(new $Ram.ListRolesRequest({ maxItems: 1000, marker })));
      return { items: res.body?.roles?.role, isTruncated: res.body?.isTruncated, marker: res.body?.marker };
    });
  } catch (err) {
    ctx.tracker.fail('roles', err);
    return [];
  }
  const roles: RamRole[] = listed.map((r) => ({
    id: r.roleId ?? '',
    name: r.roleName ?? '',
    arn: r.arn ?? '',
    description: r.description ?? '',
    maxSessionDuration: Number(r.maxSessionDuration ?? 3600),
    createDate: r.createDate ?? '',
    trustPolicy: null,
  }));
  await forEach(ctx, 'roles', roles, async (role) => {
    try {
      const res = await call(ctx, 'ram', 'GetRole', () => ram.getRole(new $Ram.GetRoleRequest({ roleName: role.name })));
      role.trustPolicy = res.body?.role?.assumeRolePolicyDocument ?? null;
      if (role.trustPolicy === null) throw new Error(`GetRole ${role.name} returned no AssumeRolePolicyDocument`);
    } catch (err) {
      ctx.tracker.fail('roles', err);
    }
  });
  return roles;
}
