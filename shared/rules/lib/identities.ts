import type { Subject } from '../../domain/finding.js';
import type { AccountSnapshot, PrincipalType } from '../../domain/snapshot.js';
import { matchesGlob } from '../../policy/index.js';
import { groupSubject, roleSubject, userSubject } from './subjects.js';

/** An identity that can hold policies, with the subject a finding about it uses. */
export interface IdentityRef {
  type: PrincipalType;
  name: string;
  subject: Subject;
}

/** Service-linked roles are created and managed by Alibaba Cloud services; reviewing them is noise. */
export const SERVICE_LINKED_ROLES: readonly string[] = ['AliyunServiceRoleFor*'];

/** Users, groups and roles of the snapshot, minus roles matching `ignoreRoles` globs. */
export function identitiesOf(snapshot: AccountSnapshot, ignoreRoles: readonly string[] = []): IdentityRef[] {
  return [
    ...snapshot.users.map((u) => ({ type: 'user' as const, name: u.name, subject: userSubject(u) })),
    ...snapshot.groups.map((g) => ({ type: 'group' as const, name: g.name, subject: groupSubject(g) })),
    ...snapshot.roles
      .filter((r) => !ignoreRoles.some((glob) => matchesGlob(glob, r.name, { ignoreCase: true })))
      .map((r) => ({ type: 'role' as const, name: r.name, subject: roleSubject(r) })),
  ];
}

/** `user:alice → group:admins → policy:AdministratorAccess (System) → statement 1: Allow * on *`. */
export function showPath(path: readonly string[]): string {
  return path.join(' → ');
}

/** At most `max` distinct paths, so evidence for an identity reached 50 ways stays readable. */
export function distinctPaths(paths: readonly string[][], max = 10): string[][] {
  const seen = new Map<string, string[]>();
  for (const path of paths) if (seen.size < max) seen.set(path.join('\u0000'), path);
  return [...seen.values()];
}

/** `a, b, c +2 more`: long lists stay on one readable line; the full list is in the evidence data. */
export function shortList(items: readonly string[], max = 3): string {
  return items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')} +${items.length - max} more`;
}
