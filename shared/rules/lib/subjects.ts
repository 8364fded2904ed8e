import type { Subject } from '../../domain/finding.js';
import type { AccessKey, AccountSnapshot, RamGroup, RamPolicy, RamRole, RamUser } from '../../domain/snapshot.js';
import { policyKey } from '../../domain/access.js';

/** Subjects as the finding contract names them (see `Subject`), built in one place. */

/** The account: named by its alias when it has one. */
export function accountSubject(snapshot: Pick<AccountSnapshot, 'account'>): Subject {
  return { type: 'account', id: snapshot.account.id, name: snapshot.account.alias ?? snapshot.account.id };
}

/** A RAM user: id is the UserId, name the UserName. */
export function userSubject(user: Pick<RamUser, 'id' | 'name'>): Subject {
  return { type: 'user', id: user.id, name: user.name };
}

/** An access key: id and name are the AccessKeyId, `user` the owning RAM user. */
export function accessKeySubject(user: Pick<RamUser, 'name'>, key: Pick<AccessKey, 'id'>): Subject {
  return { type: 'accessKey', id: key.id, name: key.id, user: user.name };
}

/** A RAM group. */
export function groupSubject(group: Pick<RamGroup, 'id' | 'name'>): Subject {
  return { type: 'group', id: group.id, name: group.name };
}

/** A RAM role: id is the RoleId, name the RoleName. */
export function roleSubject(role: Pick<RamRole, 'id' | 'name'>): Subject {
  return { type: 'role', id: role.id, name: role.name };
}

/** Policies have no id in RAM; `<Type>:<name>` is unique. */
export function policySubject(policy: Pick<RamPolicy, 'name' | 'type'>): Subject {
  return { type: 'policy', id: policyKey(policy), name: policy.name };
}
