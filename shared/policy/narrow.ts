import type { PolicyType } from '../domain/snapshot.js';
import type { ActionCatalog } from './catalog.js';
import { parsePolicy, type PolicyStatement } from './document.js';
import { lineDiff } from './line-diff.js';
import { actionMatches, explainAccess, statementCoversAction } from './evaluate.js';
import { hasWildcard } from './wildcard.js';

/**
 * Least-privilege synthesis (repokid's idea, for RAM): a replacement for a policy that grants exactly
 * the actions its holders used in the lookback window and that the original granted (the what-if proof
 * that no used action loses access is `prove.ts`, the diff shown to owners `line-diff.ts`). Resources, conditions and Deny
 * statements are never widened or dropped: only the action lists of Allow statements shrink.
 */

/** RAM CreatePolicy / CreatePolicyVersion: "The document must be 1 to 6,144 characters in length". */
export const POLICY_DOCUMENT_MAX_CHARS = 6144;
/** RAM policy names: 1–128 letters, digits and hyphens. */
export const POLICY_NAME_MAX_CHARS = 128;

/** What to narrow. `used` are the actions the affected identities used in the lookback window. */
export interface NarrowInput {
  /** The original document as RAM returns it (a JSON string). */
  document: string;
  policy: { name: string; type: PolicyType };
  used: readonly string[];
  /** Gives used actions their catalogued spelling and lists the concrete actions removed. */
  catalog?: ActionCatalog;
  /** Defaults to {@link POLICY_DOCUMENT_MAX_CHARS}. */
  maxChars?: number;
}

/** A narrowed document and what it changes. */
export interface Narrowing {
  /** Compact JSON, as sent to RAM. */
  document: string;
  /** Used actions the original granted, all still granted, sorted. */
  kept: string[];
  /** Allow entries of the original (patterns, or `NotAction …`) that the new document no longer has. */
  removed: string[];
  /** With a catalog: known concrete actions granted before and not after, sorted. */
  removedKnown: string[];
  /** Line diff of the pretty-printed documents (`- `, `+ `, `  ` prefixes). */
  diff: string;
  /** True when the exact lists did not fit and service wildcards (or the original patterns) were used. */
  collapsed: boolean;
  /** False when even the collapsed document exceeds the size limit: do not propose it. */
  fits: boolean;
  notes: string[];
}

const CONCRETE_ACTION = /^[a-z0-9][a-z0-9-]*:[a-z0-9][a-z0-9_.-]*$/i;
type Json = Record<string, unknown>;

function field(obj: Json, name: string): unknown {
  const key = Object.keys(obj).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : obj[key];
}

/** Action names in case-insensitive order (service first, as the names start with it). */
export const byServiceThenName = (a: string, b: string): number => {
  const [x, y] = [a.toLowerCase(), b.toLowerCase()];
  return x < y ? -1 : x > y ? 1 : 0;
};

const serviceOf = (action: string): string => action.slice(0, action.indexOf(':')).toLowerCase();

/** Whether the glob matches every action of `service` (conservative: unsure is no). */
function coversWholeService(pattern: string, service: string): boolean {
  if (pattern === '*') return true;
  const star = pattern.indexOf('*');
  if (star !== pattern.length - 1) return false;
  const prefix = pattern.slice(0, -1);
  return !hasWildcard(prefix) && `${service}:`.startsWith(prefix.toLowerCase());
}

/** Whether a NotAction glob could exclude some action of `service` (conservative: unsure is yes). */
function mayExcludeService(pattern: string, service: string): boolean {
  const colon = pattern.indexOf(':');
  const head = colon < 0 ? pattern : pattern.slice(0, colon);
  if (head.includes('*')) return true;
  return actionMatches(head, service);
}

function statementCoversService(s: PolicyStatement, service: string): boolean {
  if (s.actions) return s.actions.some((p) => coversWholeService(p, service));
  return !s.notActions.some((p) => mayExcludeService(p, service));
}

interface Group {
  /** Resource part and conditions, as JSON: statements with the same key merge. */
  key: string;
  resourceKey: 'Resource' | 'NotResource';
  resources: string[];
  condition: unknown;
  statements: PolicyStatement[];
  /** Lower-cased action → spelling. */
  actions: Map<string, string>;
}

/** The entries a statement grants, as shown in `removed`. */
function entriesOf(s: PolicyStatement): string[] {
  return s.actions ?? [`NotAction ${s.notActions.join(', ')}`];
}

function allowStatement(g: Group, actions: string[]): Json {
  return { Effect: 'Allow', Action: actions, [g.resourceKey]: g.resources, ...(g.condition === undefined ? {} : { Condition: g.condition }) };
}

/** Exact lists per group, grouped by service; or, when collapsing, `svc:*` / the original patterns. */
function groupActions(g: Group, collapse: boolean): string[] {
  const exact = [...g.actions.values()].sort(byServiceThenName);
  if (!collapse) return exact;
  const out = new Map<string, string>();
  for (const service of new Set(exact.map(serviceOf))) {
    const ofService = exact.filter((a) => serviceOf(a) === service);
    if (g.statements.some((s) => statementCoversService(s, service))) {
      out.set(`${service}:*`, `${service}:*`);
      continue;
    }
    for (const s of g.statements) {
      const patterns = s.actions ?? [];
      for (const a of ofService) {
        if (!statementCoversAction(s, a)) continue;
        // An original pattern never grants more than the original statement did.
        const p = patterns.find((pattern) => actionMatches(pattern, a)) ?? a;
        out.set(p.toLowerCase(), p);
      }
    }
  }
  return [...out.values()].sort(byServiceThenName);
}

/**
 * Synthesizes the least-privilege replacement of a policy, or null when it would remove nothing.
 * One Allow statement per distinct resource set and condition of the original's Allow statements
 * (actions sorted by service), Deny statements verbatim. When the result exceeds the size limit, each
 * service whose whole action space the original granted becomes `svc:*`, otherwise the original
 * patterns that matched are kept (never wider than the original), and a note says so.
 * @throws PolicyParseError when `input.document` is not a readable policy.
 */
export function narrowPolicy(input: NarrowInput): Narrowing | null {
  const parsed = parsePolicy(input.document);
  const raw = JSON.parse(input.document) as Json;
  const rawStatementsField = field(raw, 'Statement');
  const rawStatements = (Array.isArray(rawStatementsField) ? rawStatementsField : [rawStatementsField]) as Json[];
  const notes: string[] = [];

  const used = new Map<string, string>();
  for (const action of input.used) {
    if (!CONCRETE_ACTION.test(action)) {
      notes.push(`ignored used action "${action}": not a concrete service:Action name`);
      continue;
    }
    const spelled = input.catalog?.expand(action)[0] ?? action;
    if (!used.has(spelled.toLowerCase())) used.set(spelled.toLowerCase(), spelled);
  }

  // Output slots in original order: a Deny verbatim, or the group an Allow joins first.
  const slots: Array<{ deny: Json } | { group: Group }> = [];
  const groups = new Map<string, Group>();
  const originalEntries = new Set<string>();
  for (const s of parsed.statements) {
    if (s.effect === 'Deny') {
      slots.push({ deny: rawStatements[s.index] ?? {} });
      continue;
    }
    const resourceKey = s.notResources ? 'NotResource' : 'Resource';
    const resources = s.notResources ?? s.resources ?? [];
    const key = JSON.stringify([resourceKey, resources, s.conditions]);
    let g = groups.get(key);
    if (!g) {
      g = { key, resourceKey, resources, condition: field(rawStatements[s.index] ?? {}, 'Condition'), statements: [], actions: new Map() };
      groups.set(key, g);
      slots.push({ group: g });
    }
    g.statements.push(s);
    for (const e of entriesOf(s)) originalEntries.add(`${key}\u0000${e.toLowerCase()}`);
    for (const [lower, a] of used) if (statementCoversAction(s, a)) g.actions.set(lower, a);
  }

  const build = (collapse: boolean): { doc: Json; entries: Map<string, string> } => {
    const entries = new Map<string, string>();
    const statements: Json[] = [];
    for (const slot of slots) {
      if ('deny' in slot) statements.push(slot.deny);
      else if (slot.group.actions.size > 0) {
        const actions = groupActions(slot.group, collapse);
        for (const a of actions) entries.set(`${slot.group.key}\u0000${a.toLowerCase()}`, a);
        statements.push(allowStatement(slot.group, actions));
      }
    }
    return { doc: { Version: parsed.version ?? '1', Statement: statements }, entries };
  };

  const maxChars = input.maxChars ?? POLICY_DOCUMENT_MAX_CHARS;
  let { doc, entries } = build(false);
  let collapsed = false;
  if (JSON.stringify(doc).length > maxChars) {
    ({ doc, entries } = build(true));
    collapsed = true;
    notes.push(`the exact action list exceeds RAM's ${maxChars}-character policy limit; whole services the original granted are kept as service:* and other grants as the original patterns`);
  }
  const compact = JSON.stringify(doc);
  const fits = compact.length <= maxChars;
  if (!fits) notes.push(`even collapsed, the document has ${compact.length} characters (limit ${maxChars}); narrow it by hand`);

  const removedKeys = [...originalEntries].filter((k) => !entries.has(k));
  if (removedKeys.length === 0) return null;
  const removed = [...new Set(removedKeys.map((k) => k.slice(k.indexOf('\u0000') + 1)))];
  const originalSpelling = new Map(parsed.statements.filter((s) => s.effect === 'Allow').flatMap(entriesOf).map((e) => [e.toLowerCase(), e]));

  const kept = [...new Set([...groups.values()].flatMap((g) => [...g.actions.values()]))].sort(byServiceThenName);
  if (kept.length === 0) notes.push('no used action is granted by this policy: the narrowed document grants nothing (detach it instead)');
  const after = parsePolicy(compact);
  const removedKnown = input.catalog
    ? [...input.catalog.services.values()]
        .flatMap((set) => [...set])
        .filter((a) => explainAccess(parsed, a).allowed && !explainAccess(after, a).allowed)
        .sort(byServiceThenName)
    : [];

  return {
    document: compact,
    kept,
    removed: removed.map((e) => originalSpelling.get(e) ?? e).sort(byServiceThenName),
    removedKnown,
    diff: lineDiff(JSON.stringify(raw, null, 2), JSON.stringify(doc, null, 2)),
    collapsed,
    fits,
    notes,
  };
}

/** `ramparts-<principal>-<policy>`: letters, digits and hyphens, at most {@link POLICY_NAME_MAX_CHARS}. */
export function generatedPolicyName(principalName: string, policyName: string): string {
  const clean = (s: string) => s.replace(/[^A-Za-z0-9-]+/g, '-');
  return `ramparts-${clean(principalName)}-${clean(policyName)}`.slice(0, POLICY_NAME_MAX_CHARS).replace(/-+$/, '');
}
