import { isoOrUndefined, isoSeconds } from '../dates.js';
import type {
  Attachment,
  GroupRecord,
  KeyRecord,
  PolicyRecord,
  PolicyVersionRecord,
  RecycledKeyRecord,
  RoleRecord,
  UserRecord,
} from '../model.js';
import type { EmulatorState } from '../state.js';
import type { WireBody } from './context.js';

/**
 * Wire shapes shared by actions, with the PascalCase names of reference appendices A and B. Optional
 * dates that are unknown (never logged on, never used) are omitted rather than sent empty.
 */

const NO_TAGS = { Tag: [] };

/** RAM ListUsers item. */
export function ramUser(u: UserRecord): WireBody {
  return {
    UserName: u.name,
    UserId: u.id,
    DisplayName: u.displayName,
    Email: u.email,
    MobilePhone: u.mobilePhone,
    Comments: u.comments,
    CreateDate: isoSeconds(u.createDate),
    UpdateDate: isoSeconds(u.updateDate),
  };
}

/** RAM GetUser: the list item plus the last console logon. */
export function ramUserDetail(u: UserRecord): WireBody {
  return { ...ramUser(u), LastLoginDate: isoOrUndefined(u.lastLoginDate) };
}

/** IMS ListUsers / GetUser item: identified by UserPrincipalName, with LastLoginDate and Status. */
export function imsUser(state: EmulatorState, u: UserRecord): WireBody {
  return {
    UserPrincipalName: state.upn(u),
    UserName: u.name,
    UserId: u.id,
    DisplayName: u.displayName,
    Email: u.email,
    MobilePhone: u.mobilePhone,
    Comments: u.comments,
    CreateDate: isoSeconds(u.createDate),
    UpdateDate: isoSeconds(u.updateDate),
    LastLoginDate: isoOrUndefined(u.lastLoginDate),
    Status: 'active',
    ProvisionType: 'Manual',
    Tags: NO_TAGS,
  };
}

/** IMS GetLoginProfile / UpdateLoginProfile `LoginProfile` (the user must have one). */
export function imsLoginProfile(state: EmulatorState, u: UserRecord): WireBody {
  const lp = u.loginProfile!;
  return {
    UserPrincipalName: state.upn(u),
    Status: lp.status,
    MFABindRequired: lp.mfaBindRequired,
    PasswordResetRequired: lp.passwordResetRequired,
    LastLoginTime: isoOrUndefined(u.lastLoginDate),
    UpdateDate: isoSeconds(lp.updateDate),
    AutoDisableLoginStatus: 'true',
  };
}

/** IMS recycle-bin entry (ListAccessKeysInRecycleBin item; GetAccessKeyInfoInRecycleBin adds the user). */
export function recycledKey(r: RecycledKeyRecord): WireBody {
  return {
    AccessKeyId: r.key.id,
    CreateDate: isoSeconds(r.key.createDate),
    RecycleDate: isoSeconds(r.recycleDate),
    DeleteDate: isoSeconds(r.deleteDate),
  };
}

/** ListAccessKeys item; IMS adds UpdateDate. */
export function accessKey(k: KeyRecord, ims: boolean): WireBody {
  const base: WireBody = { AccessKeyId: k.id, Status: k.status, CreateDate: isoSeconds(k.createDate) };
  return ims ? { ...base, UpdateDate: isoSeconds(k.updateDate) } : base;
}

/** ListGroups / GetGroup item; IMS adds DisplayName (the emulator has none, so the name). */
export function group(g: GroupRecord, ims: boolean): WireBody {
  const base: WireBody = {
    GroupName: g.name,
    GroupId: g.id,
    Comments: g.comments,
    CreateDate: isoSeconds(g.createDate),
    UpdateDate: isoSeconds(g.updateDate),
  };
  return ims ? { ...base, DisplayName: g.name } : base;
}

/** ListGroupsForUser item. */
export function groupMembership(g: GroupRecord, joinDate: Date, ims: boolean): WireBody {
  const base: WireBody = { GroupName: g.name, GroupId: g.id, Comments: g.comments, JoinDate: isoSeconds(joinDate) };
  return ims ? { ...base, DisplayName: g.name } : base;
}

/** A bound virtual MFA device (ListVirtualMFADevices item). */
export function mfaDevice(state: EmulatorState, u: UserRecord, ims: boolean): WireBody {
  const user: WireBody = ims
    ? { UserPrincipalName: state.upn(u), UserId: u.id, DisplayName: u.displayName }
    : { UserName: u.name, UserId: u.id, DisplayName: u.displayName };
  return { SerialNumber: u.mfa!.serialNumber, ActivateDate: isoSeconds(u.mfa!.activateDate), User: user };
}

/** ListPolicies item, with the live attachment count. */
export function policySummary(state: EmulatorState, p: PolicyRecord): WireBody {
  return {
    PolicyName: p.name,
    PolicyType: p.type,
    DefaultVersion: p.defaultVersion,
    Description: p.description,
    AttachmentCount: state.attachmentCount(p.type, p.name),
    CreateDate: isoSeconds(p.createDate),
    UpdateDate: isoSeconds(p.updateDate),
    Tags: NO_TAGS,
  };
}

/** CreatePolicy `Policy`: the summary without attachment count, update date or document. */
export function createdPolicy(p: PolicyRecord): WireBody {
  return {
    PolicyName: p.name,
    PolicyType: p.type,
    Description: p.description,
    DefaultVersion: p.defaultVersion,
    CreateDate: isoSeconds(p.createDate),
  };
}

/** The default version of a policy (every policy has one). */
export function defaultVersion(p: PolicyRecord): PolicyVersionRecord {
  return p.versions.find((v) => v.versionId === p.defaultVersion) ?? p.versions[0]!;
}

/** GetPolicyVersion / ListPolicyVersions item; the document is a JSON string. */
export function policyVersion(p: PolicyRecord, v: PolicyVersionRecord): WireBody {
  return {
    VersionId: v.versionId,
    IsDefaultVersion: v.versionId === p.defaultVersion,
    PolicyDocument: v.document,
    CreateDate: isoSeconds(v.createDate),
  };
}

/** ListPoliciesFor{User,Group,Role} item. */
export function attachedPolicy(state: EmulatorState, a: Attachment): WireBody {
  const p = state.policy(a.policyType, a.policyName)!;
  return {
    PolicyName: p.name,
    PolicyType: p.type,
    DefaultVersion: p.defaultVersion,
    Description: p.description,
    AttachDate: isoSeconds(a.attachDate),
  };
}

/** ListRoles item: no trust policy, as in the real listing. */
export function role(r: RoleRecord): WireBody {
  return {
    RoleName: r.name,
    RoleId: r.id,
    Arn: r.arn,
    Description: r.description,
    MaxSessionDuration: r.maxSessionDuration,
    CreateDate: isoSeconds(r.createDate),
    UpdateDate: isoSeconds(r.updateDate),
    Tags: NO_TAGS,
  };
}

/** GetRole: the list item plus AssumeRolePolicyDocument (a JSON string). */
export function roleDetail(r: RoleRecord): WireBody {
  const { Tags: _tags, ...rest } = role(r);
  return { ...rest, AssumeRolePolicyDocument: r.trustPolicy };
}
