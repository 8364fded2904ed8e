import { isoSeconds } from '../dates.js';
import { entityNotExist } from '../errors.js';
import type { PrincipalType } from '../model.js';
import { paginate } from '../paging.js';
import { type ActionContext, type ActionTable, groupByName, policyByName, policyType, roleByName, userByName } from './context.js';
import { passwordPolicy, securityPreference } from './settings.js';
import { attachedPolicy, defaultVersion, policySummary, policyVersion, role, roleDetail } from './views.js';

function policiesFor(ctx: ActionContext, type: PrincipalType, name: string): { Policies: { Policy: unknown[] } } {
  return { Policies: { Policy: ctx.state.attachmentsOf(type, name).map((a) => attachedPolicy(ctx.state, a)) } };
}

/** RAM 2015-05-01 actions on policies, roles and account settings (reference appendix A). */
export const ramPolicyActions: ActionTable = {
  ListPolicies: ({ state, params }) => {
    const raw = params.get('PolicyType');
    const type = raw === undefined ? undefined : policyType(raw);
    const all = state.policyList();
    const items = type === undefined ? all : all.filter((p) => p.type === type);
    const page = paginate(items, (p) => `${p.type}:${p.name}`, params, { max: 1000, def: 100 });
    return { ...page.wire, Policies: { Policy: page.items.map((p) => policySummary(state, p)) } };
  },

  GetPolicy: (ctx) => {
    const p = policyByName(ctx);
    const v = defaultVersion(p);
    const { Tags: _tags, ...summary } = policySummary(ctx.state, p);
    return {
      Policy: { ...summary, PolicyDocument: v.document },
      DefaultPolicyVersion: policyVersion(p, v),
    };
  },

  GetPolicyVersion: (ctx) => {
    const p = policyByName(ctx);
    const id = ctx.params.required('VersionId');
    const v = p.versions.find((x) => x.versionId === id);
    if (!v) throw entityNotExist('Policy.Version', 'policy version', `${p.name} ${id}`);
    return { PolicyVersion: policyVersion(p, v) };
  },

  ListPolicyVersions: (ctx) => {
    const p = policyByName(ctx);
    return { PolicyVersions: { PolicyVersion: p.versions.map((v) => policyVersion(p, v)) } };
  },

  ListEntitiesForPolicy: (ctx) => {
    const p = policyByName(ctx);
    const { state } = ctx;
    const attachments = state.attachmentsOfPolicy(p.type, p.name);
    const of = (t: PrincipalType) => attachments.filter((a) => a.principalType === t);
    return {
      Users: {
        User: of('user').map((a) => {
          const u = state.users.get(a.principalName)!;
          return { UserName: u.name, UserId: u.id, DisplayName: u.displayName, AttachDate: isoSeconds(a.attachDate) };
        }),
      },
      Groups: {
        Group: of('group').map((a) => {
          const g = state.groups.get(a.principalName)!;
          return { GroupName: g.name, Comments: g.comments, AttachDate: isoSeconds(a.attachDate) };
        }),
      },
      Roles: {
        Role: of('role').map((a) => {
          const r = state.roles.get(a.principalName)!;
          return { RoleName: r.name, RoleId: r.id, Arn: r.arn, Description: r.description, AttachDate: isoSeconds(a.attachDate) };
        }),
      },
    };
  },

  ListPoliciesForUser: (ctx) => policiesFor(ctx, 'user', userByName(ctx).name),
  ListPoliciesForGroup: (ctx) => policiesFor(ctx, 'group', groupByName(ctx).name),
  ListPoliciesForRole: (ctx) => policiesFor(ctx, 'role', roleByName(ctx).name),

  ListRoles: ({ state, params }) => {
    const page = paginate(state.roleList(), (r) => r.name, params, { max: 1000, def: 100 });
    return { ...page.wire, Roles: { Role: page.items.map(role) } };
  },

  GetRole: (ctx) => ({ Role: roleDetail(roleByName(ctx)) }),

  GetPasswordPolicy: ({ state }) => passwordPolicy(state, false),
  GetSecurityPreference: ({ state }) => securityPreference(state, false),
  GetAccountAlias: ({ state }) => ({ AccountAlias: state.account.alias ?? '' }),
};
