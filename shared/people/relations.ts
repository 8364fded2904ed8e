import type { Directory, OwnerRef } from './types.js';

function unique(ids: Iterable<string>): string[] {
  return [...new Set(ids)].sort();
}

/**
 * Person ids who may answer for `owner`: the person, or every member of the group. Unknown people
 * are dropped (nobody could receive their prompt), so the result may be empty.
 */
export function assigneesFor(owner: OwnerRef, directory: Directory): string[] {
  if (owner.kind === 'person') return directory.byId(owner.id) ? [owner.id] : [];
  return unique(directory.membersOf(owner.name).map((p) => p.id));
}

/**
 * Person ids of the owner's manager(s): a person's manager, or for a group the managers of its
 * members, de-duplicated (a per-group manager can be configured later). Only known people count.
 */
export function managerOf(owner: OwnerRef, directory: Directory): string[] {
  const members = owner.kind === 'person' ? [directory.byId(owner.id)] : directory.membersOf(owner.name);
  const managers: string[] = [];
  for (const member of members) {
    if (member?.manager && directory.byId(member.manager)) managers.push(member.manager);
  }
  return unique(managers);
}

/** True when the person is the owner, or a member of the owning group. */
export function isMember(personId: string, owner: OwnerRef, directory: Directory): boolean {
  if (owner.kind === 'person') return owner.id === personId;
  return directory.byId(personId)?.groups.includes(owner.name) ?? false;
}

/**
 * Who answers for `owner` in practice: its assignees, or the security group's members when nobody
 * can (an unknown person, an empty group), so a task is never left without anyone to answer it.
 */
export function answerersFor(owner: OwnerRef, directory: Directory, securityGroup: string): string[] {
  const direct = assigneesFor(owner, directory);
  return direct.length > 0 ? direct : assigneesFor({ kind: 'group', name: securityGroup }, directory);
}

/** "Alice Wu", "group platform": how an owner is named on cards. */
export function ownerLabel(owner: OwnerRef, directory: Directory): string {
  if (owner.kind === 'group') return `group ${owner.name}`;
  return directory.byId(owner.id)?.name ?? owner.id;
}
