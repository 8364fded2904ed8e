import type { Directory, Person } from './types.js';

/** Emails compare case-insensitively (mail systems fold the domain, and people type either case). */
function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Builds the lookups over the configured people once, so every lookup is O(1). Duplicate ids would
 * make ownership ambiguous, so they throw; a duplicate email keeps its first person (the config
 * layer reports the clash with its field path).
 */
export function createDirectory(people: readonly Person[]): Directory {
  const byId = new Map<string, Person>();
  const bySlack = new Map<string, Person>();
  const byDingtalk = new Map<string, Person>();
  const byEmail = new Map<string, Person>();
  const groups = new Map<string, Person[]>();
  for (const person of people) {
    if (byId.has(person.id)) throw new Error(`people: duplicate person id "${person.id}"; ids must be unique`);
    byId.set(person.id, person);
    if (person.slackUserId && !bySlack.has(person.slackUserId)) bySlack.set(person.slackUserId, person);
    if (person.dingtalkUserId && !byDingtalk.has(person.dingtalkUserId)) byDingtalk.set(person.dingtalkUserId, person);
    if (person.email && !byEmail.has(emailKey(person.email))) byEmail.set(emailKey(person.email), person);
    for (const group of new Set(person.groups)) {
      const members = groups.get(group) ?? [];
      members.push(person);
      groups.set(group, members);
    }
  }
  const all = [...byId.values()];
  return {
    all: () => [...all],
    byId: (id) => byId.get(id),
    bySlackId: (id) => bySlack.get(id),
    byDingtalkId: (id) => byDingtalk.get(id),
    byEmail: (email) => byEmail.get(emailKey(email)),
    membersOf: (group) => [...(groups.get(group) ?? [])],
  };
}
