import { PolicyParseError } from './errors.js';

/**
 * The RAM policy language, normalized (reference §3): `Action`/`Resource` may be a string or an array
 * in the JSON, here they are always arrays; exactly one of `actions`/`notActions` is set.
 */

export const EFFECTS = ['Allow', 'Deny'] as const;
/** A statement's effect; explicit Deny wins over Allow. */
export type Effect = (typeof EFFECTS)[number];

/** `{ "<Operator>": { "<key>": ["v1", "v2"] } }`; scalar values are turned into strings. */
export type Conditions = Record<string, Record<string, string[]>>;

/** Principal of a trust (resource-based) policy. `any` is `"Principal": "*"`. */
export interface Principal {
  any: boolean;
  ram: string[];
  service: string[];
  federated: string[];
  /** Principal kinds RAM does not document, kept so analysis can see them. */
  other: Record<string, string[]>;
}

type ActionPart = { actions: string[]; notActions?: undefined } | { notActions: string[]; actions?: undefined };
/** Identity policies always name resources; trust policies do not (both are null there). */
type ResourcePart =
  | { resources: string[]; notResources?: undefined }
  | { notResources: string[]; resources?: undefined }
  | { resources: null; notResources?: undefined };

/** One normalized statement: exactly one of `actions`/`notActions`, and `resources`/`notResources` (null in trust policies). */
export type PolicyStatement = ActionPart &
  ResourcePart & {
    /** Position in the document's `Statement` array, 0-based (evidence shows it 1-based). */
    index: number;
    effect: Effect;
    conditions: Conditions;
    principal: Principal | null;
    notPrincipal: Principal | null;
  };

/** A parsed policy or trust policy document. */
export interface PolicyDocument {
  version: string | null;
  statements: PolicyStatement[];
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Looks a key up case-insensitively: RAM accepts `"action"` as well as `"Action"`. */
function field(obj: Json, name: string): unknown {
  if (name in obj) return obj[name];
  const lower = name.toLowerCase();
  const key = Object.keys(obj).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : obj[key];
}

function stringList(value: unknown, at: string): string[] {
  const list = Array.isArray(value) ? value : [value];
  return list.map((item, i) => {
    if (typeof item !== 'string') throw new PolicyParseError(Array.isArray(value) ? `${at}[${i}]` : at, 'must be a string');
    return item;
  });
}

function scalarList(value: unknown, at: string): string[] {
  const list = Array.isArray(value) ? value : [value];
  return list.map((item, i) => {
    if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean') return String(item);
    throw new PolicyParseError(`${at}[${i}]`, 'condition values must be strings, numbers or booleans');
  });
}

function parseConditions(value: unknown, at: string): Conditions {
  if (value === undefined) return {};
  if (!isObject(value)) throw new PolicyParseError(at, 'must be an object of operators');
  const out: Conditions = {};
  for (const [operator, keys] of Object.entries(value)) {
    if (!isObject(keys)) throw new PolicyParseError(`${at}.${operator}`, 'must be an object of condition keys');
    const entry: Record<string, string[]> = {};
    for (const [key, values] of Object.entries(keys)) entry[key] = scalarList(values, `${at}.${operator}.${key}`);
    out[operator] = entry;
  }
  return out;
}

function parsePrincipal(value: unknown, at: string): Principal | null {
  if (value === undefined) return null;
  const principal: Principal = { any: false, ram: [], service: [], federated: [], other: {} };
  if (value === '*') return { ...principal, any: true };
  if (!isObject(value)) throw new PolicyParseError(at, 'must be "*" or an object such as {"RAM": [...]}');
  for (const [kind, list] of Object.entries(value)) {
    const values = stringList(list, `${at}.${kind}`);
    const lower = kind.toLowerCase();
    if (lower === 'ram') principal.ram.push(...values);
    else if (lower === 'service') principal.service.push(...values);
    else if (lower === 'federated') principal.federated.push(...values);
    else principal.other[kind] = values;
  }
  return principal;
}

function parseStatement(raw: unknown, index: number): PolicyStatement {
  const at = `Statement[${index}]`;
  if (!isObject(raw)) throw new PolicyParseError(at, 'must be an object');
  const effectRaw = field(raw, 'Effect');
  const effect = EFFECTS.find((e) => typeof effectRaw === 'string' && e.toLowerCase() === effectRaw.toLowerCase());
  if (!effect) throw new PolicyParseError(`${at}.Effect`, 'must be "Allow" or "Deny"');

  const action = field(raw, 'Action');
  const notAction = field(raw, 'NotAction');
  if ((action === undefined) === (notAction === undefined)) {
    throw new PolicyParseError(at, 'must have exactly one of Action and NotAction');
  }
  const actionPart: ActionPart =
    action !== undefined ? { actions: stringList(action, `${at}.Action`) } : { notActions: stringList(notAction, `${at}.NotAction`) };

  const principal = parsePrincipal(field(raw, 'Principal'), `${at}.Principal`);
  const notPrincipal = parsePrincipal(field(raw, 'NotPrincipal'), `${at}.NotPrincipal`);
  const resource = field(raw, 'Resource');
  const notResource = field(raw, 'NotResource');
  if (resource !== undefined && notResource !== undefined) {
    throw new PolicyParseError(at, 'must not have both Resource and NotResource');
  }
  let resourcePart: ResourcePart;
  if (resource !== undefined) resourcePart = { resources: stringList(resource, `${at}.Resource`) };
  else if (notResource !== undefined) resourcePart = { notResources: stringList(notResource, `${at}.NotResource`) };
  else if (principal || notPrincipal) resourcePart = { resources: null };
  // RAM rejects identity policies without Resource; guessing "all" or "none" would be a silent decision.
  else throw new PolicyParseError(at, 'must have Resource or NotResource (or a Principal in a trust policy)');

  const conditions = parseConditions(field(raw, 'Condition'), `${at}.Condition`);
  return { ...actionPart, ...resourcePart, index, effect, conditions, principal, notPrincipal };
}

/**
 * Parses a RAM policy or trust policy document (a JSON string, as RAM returns it). Tolerates `Sid` and
 * unknown keys, a single statement object instead of an array, and scalar `Action`/`Resource`.
 * @throws PolicyParseError on invalid JSON or a shape RAM would not accept.
 */
export function parsePolicy(json: string): PolicyDocument {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (cause) {
    throw new PolicyParseError('', 'is not valid JSON', { cause });
  }
  if (!isObject(raw)) throw new PolicyParseError('', 'must be a JSON object');
  const versionRaw = field(raw, 'Version');
  if (versionRaw !== undefined && typeof versionRaw !== 'string') throw new PolicyParseError('Version', 'must be a string');
  const statementsRaw = field(raw, 'Statement');
  if (statementsRaw === undefined) throw new PolicyParseError('Statement', 'is missing');
  const list = Array.isArray(statementsRaw) ? statementsRaw : [statementsRaw];
  return { version: versionRaw ?? null, statements: list.map((s, i) => parseStatement(s, i)) };
}

/** Like {@link parsePolicy} but returns the error instead of throwing, for rules that map it to `unknown`. */
export function tryParsePolicy(json: string): PolicyDocument | PolicyParseError {
  try {
    return parsePolicy(json);
  } catch (error) {
    if (error instanceof PolicyParseError) return error;
    throw error;
  }
}
