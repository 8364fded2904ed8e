import type { AccountSnapshot, PrincipalType } from '../../domain/snapshot.js';
import type { RuleResult, UsageIdentity, UsageIndex } from '../types.js';
import { day } from './dates.js';
import { accountSubject } from './subjects.js';

/** The lookback window a usage rule judges, ISO at both ends for evidence and plan proofs. */
export interface UsageWindow {
  from: Date;
  to: Date;
  iso: { from: string; to: string };
}

/**
 * `lookbackDays` × 24 h back from `now`: the arithmetic the usage index uses for its own window
 * (`nextWindow`), so a rule's window and the read coverage line up in any time zone.
 */
export function usageWindow(now: Date, lookbackDays: number): UsageWindow {
  const from = new Date(now.getTime() - lookbackDays * 86_400_000);
  return { from, to: now, iso: { from: from.toISOString(), to: now.toISOString() } };
}

/**
 * One `unknown` on the account when activity data is absent or does not cover the window: every
 * identity is undecided for the same reason, so one finding says it instead of thousands (the engine
 * does the same for a missing snapshot part). Null when the usage can be read. `undecided` says what
 * cannot be told (default: unused from not recorded).
 */
export function usageGap(
  snapshot: AccountSnapshot,
  usage: UsageIndex | undefined,
  window: UsageWindow,
  undecided = '"unused" cannot be told from "not recorded"',
): RuleResult | null {
  if (usage && usage.covers(window.from, window.to)) return null;
  const span = `${day(window.from)} to ${day(window.to)}`;
  const summary = usage
    ? `activity data (ActionTrail) does not cover ${span}, so ${undecided}`
    : `no activity data (ActionTrail) was given for ${span}, so ${undecided}`;
  return { status: 'unknown', subject: accountSubject(snapshot), evidence: { summary, window: window.iso } };
}

/**
 * Which users and roles a change to an attachment affects: the user or role itself, or every member
 * of the group. Null when a group's membership is unknown (then no plan may rely on it).
 */
export function membersResolver(snapshot: AccountSnapshot): (type: PrincipalType, name: string) => UsageIdentity[] | null {
  const members = new Map<string, Map<string, string>>();
  const known = new Map<string, boolean>();
  const everyUserListsGroups = snapshot.users.every((u) => u.groups !== null);
  for (const g of snapshot.groups) {
    const key = g.name.toLowerCase();
    known.set(key, g.members !== null || everyUserListsGroups);
    members.set(key, new Map((g.members ?? []).map((m) => [m.toLowerCase(), m])));
  }
  for (const u of snapshot.users) {
    for (const g of u.groups ?? []) members.get(g.toLowerCase())?.set(u.name.toLowerCase(), u.name);
  }
  return (type, name) => {
    if (type !== 'group') return [{ type, name }];
    const key = name.toLowerCase();
    if (!known.get(key)) return null;
    return [...(members.get(key)?.values() ?? [])].sort().map((m) => ({ type: 'user' as const, name: m }));
  };
}

/** Used actions per identity over the window, memoized (a group's members are asked once per policy). */
export function usedActionsReader(usage: UsageIndex, window: UsageWindow): (identity: UsageIdentity) => string[] {
  const memo = new Map<string, string[]>();
  return (identity) => {
    const key = `${identity.type}:${identity.name.toLowerCase()}`;
    let used = memo.get(key);
    if (!used) memo.set(key, (used = usage.usedActions(identity, window.from)));
    return used;
  };
}
