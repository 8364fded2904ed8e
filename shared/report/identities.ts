/**
 * The identity classification as reports show it (IAM design guide: every identity should be a kind
 * the security team governs on purpose). The scan classifies (shared/rules/lib/classify.ts); this
 * module only groups the result for people to read.
 */
import type { IdentityRow } from './types.js';

/** Reports list at most this many names per class; the JSON report has every identity. */
export const NAMES_PER_CLASS = 5;

/** One line of the classification table: a class (or `unclassified`), how many identities, some names. */
export interface ClassRow {
  class: string;
  count: number;
  /** `user:alice`, `role:ci-deployer`; at most {@link NAMES_PER_CLASS}. */
  names: string[];
  /** Identities not named. */
  more: number;
}

/** Rows in the order the classes are declared, unclassified last; classes with no identity are left out. */
export function classRows(identities: readonly IdentityRow[], order: readonly string[]): ClassRow[] {
  const byClass = new Map<string, IdentityRow[]>();
  for (const row of identities) {
    const key = row.class ?? 'unclassified';
    const list = byClass.get(key);
    if (list) list.push(row);
    else byClass.set(key, [row]);
  }
  return [...order, 'unclassified']
    .filter((c) => byClass.has(c))
    .map((c) => {
      const rows = byClass.get(c)!;
      const names = rows.slice(0, NAMES_PER_CLASS).map((r) => `${r.type}:${r.name}`);
      return { class: c, count: rows.length, names, more: rows.length - names.length };
    });
}

/** "alice, bob, +3 more". */
export function namesCell(row: ClassRow): string {
  return `${row.names.join(', ')}${row.more > 0 ? `, +${row.more} more` : ''}`;
}
