import type { Subject } from '../domain/finding.js';
import type { PlanStep } from '../domain/remediation.js';
import type { PrincipalType } from '../domain/snapshot.js';
import type { Directory } from '../people/types.js';
import type { Membership } from './types.js';

/** A RAM principal a plan step changes. */
export interface Principal {
  type: PrincipalType;
  name: string;
}

/** Does a change to a principal reach a given set of RAM users? `unknown` when membership was not collected. */
export type Reach = 'yes' | 'no' | 'unknown';

/**
 * RAM names are compared case-insensitively: a false match only refuses more (fail closed), while a
 * missed match could let someone approve a change to their own access.
 */
export function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

export function includesName(names: readonly string[], name: string): boolean {
  return names.some((n) => sameName(n, name));
}

/** The principals a step changes; null when that cannot be told (a narrowed policy with unknown attachments). */
export function principalsOf(step: PlanStep, membership: Membership | undefined): Principal[] | null {
  switch (step.action) {
    case 'detach-policy':
    case 'attach-policy':
      return [{ type: step.target.principalType, name: step.target.principalName }];
    case 'narrow-policy': {
      const attached = membership?.attachmentsOfPolicy?.(step.target.policyName) ?? null;
      return attached && attached.map((a) => ({ type: a.principalType, name: a.principalName }));
    }
    default:
      return [{ type: 'user', name: step.target.userName }];
  }
}

/**
 * Whether changing `principal` changes the access of any of `users`: the user itself, or a group one
 * of them belongs to. Roles never reach users here (who assumes a role is not mapped to people).
 */
export function reachesUsers(principal: Principal, users: readonly string[], membership: Membership | undefined): Reach {
  if (principal.type === 'user') return includesName(users, principal.name) ? 'yes' : 'no';
  if (principal.type === 'role') return 'no';
  let unknown = false;
  for (const user of users) {
    const groups = membership?.groupsOfRamUser(user) ?? null;
    if (groups === null) unknown = true;
    else if (includesName(groups, principal.name)) return 'yes';
  }
  return unknown ? 'unknown' : 'no';
}

/** The RAM user behind a subject: the user itself, or an access key's owning user. */
export function subjectUserName(subject: Subject): string | null {
  if (subject.type === 'user') return subject.name;
  if (subject.type === 'accessKey') return subject.user ?? null;
  return null;
}

/** "step 2 (detach-policy)": how a step is named in messages (1-based, as on the card). */
export function stepLabel(step: PlanStep, index: number): string {
  return `step ${index + 1} (${step.action})`;
}

export function principalLabel(p: Principal): string {
  return `${p.type} ${p.name}`;
}

/** A person's display name, or their id when unknown. */
export function personLabel(personId: string, directory: Directory): string {
  return directory.byId(personId)?.name ?? personId;
}

export function inGroup(personId: string, group: string, directory: Directory): boolean {
  return directory.byId(personId)?.groups.includes(group) ?? false;
}
