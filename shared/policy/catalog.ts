import type { AccountSnapshot } from '../domain/snapshot.js';
import { tryParsePolicy, type PolicyDocument, type PolicyStatement } from './document.js';
import { actionMatches } from './evaluate.js';
import { hasWildcard } from './wildcard.js';

/**
 * The concrete RAM actions we know exist, for turning wildcard grants (`ecs:Describe*`) into lists of
 * actions. RAM publishes no action list through its API, so the catalog is built from what we see:
 * the concrete action names in system policy documents, plus the `service:Action` names observed in
 * ActionTrail events. It is never complete; callers treat an action outside it as unknown, not absent.
 */

/** A set of known concrete actions, case-insensitive, keeping the spelling first seen. */
export interface ActionCatalog {
  /** Lower-cased service code (`ecs`) → its known actions as `service:Api` (`ecs:DescribeInstances`). */
  services: Map<string, Set<string>>;
  /** Number of distinct actions. */
  size: number;
  /** Whether the concrete action is known (case-insensitively). */
  has(action: string): boolean;
  /**
   * The known actions a pattern matches, sorted. A pattern without wildcards is returned as itself
   * (in the catalog's spelling when known), so a concrete grant is never lost for not being observed.
   */
  expand(pattern: string): string[];
  /** The known actions a statement covers, sorted: its `Action` patterns expanded, or everything but its `NotAction`. */
  actionsOf(statement: PolicyStatement): string[];
}

/** `service:Api` with no wildcard: a name worth cataloguing. */
const CONCRETE_ACTION = /^[a-z0-9][a-z0-9-]*:[a-z0-9][a-z0-9_.-]*$/i;

function sorted(values: Iterable<string>): string[] {
  return [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Builds a catalog from policy documents (both `Action` and `NotAction` names) and observed action names. */
export function buildActionCatalog(documents: readonly PolicyDocument[], observed: Iterable<string> = []): ActionCatalog {
  const services = new Map<string, Set<string>>();
  const canonical = new Map<string, string>();
  const add = (action: string): void => {
    if (!CONCRETE_ACTION.test(action) || canonical.has(action.toLowerCase())) return;
    canonical.set(action.toLowerCase(), action);
    const service = action.slice(0, action.indexOf(':')).toLowerCase();
    const set = services.get(service) ?? new Set<string>();
    set.add(action);
    services.set(service, set);
  };
  for (const doc of documents) {
    for (const statement of doc.statements) (statement.actions ?? statement.notActions).forEach(add);
  }
  for (const action of observed) add(action);

  const candidates = (pattern: string): Iterable<string> => {
    const service = pattern.slice(0, Math.max(pattern.indexOf(':'), 0));
    // Only a literal service part narrows the search; `*:List*` looks at every service.
    if (service && !hasWildcard(service)) return services.get(service.toLowerCase()) ?? [];
    return canonical.values();
  };
  const expand = (pattern: string): string[] => {
    if (!hasWildcard(pattern)) return [canonical.get(pattern.toLowerCase()) ?? pattern];
    return sorted([...candidates(pattern)].filter((action) => actionMatches(pattern, action)));
  };
  return {
    services,
    size: canonical.size,
    has: (action) => canonical.has(action.toLowerCase()),
    expand,
    actionsOf: (statement) => {
      if (statement.actions) return sorted(new Set(statement.actions.flatMap(expand)));
      return sorted([...canonical.values()].filter((a) => !statement.notActions.some((p) => actionMatches(p, a))));
    },
  };
}

/** The parsed documents of the System policies a scan fetched (only attached ones are), skipping unreadable ones. */
export function systemPolicyDocuments(snapshot: Pick<AccountSnapshot, 'policies'>): PolicyDocument[] {
  return snapshot.policies.flatMap((policy) => {
    if (policy.type !== 'System' || policy.document === null) return [];
    const doc = tryParsePolicy(policy.document);
    return doc instanceof Error ? [] : [doc];
  });
}
