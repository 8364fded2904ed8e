/**
 * Turns zod issues into `<field.path>: <what to do>` lines, one per problem, so a ConfigError lists
 * every mistake in the file at once.
 */
import { z } from 'zod';
import { didYouMean, unknownRuleMessage } from './suggest.js';

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `cloud.endpoints.ram`, `exclusions[0].reason`, `rules."ram.access-key-stale".params.maxAgeDays`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else {
      const name = String(key);
      const segment = IDENTIFIER.test(name) ? name : JSON.stringify(name);
      out += out === '' ? segment : `.${segment}`;
    }
  }
  return out;
}

function describeValue(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'a mapping';
  if (typeof input === 'string') return `text ${JSON.stringify(input.length > 40 ? `${input.slice(0, 40)}…` : input)}`;
  return `${typeof input} ${String(input)}`;
}

const EXPECTED: Record<string, string> = {
  object: 'a mapping of keys',
  array: 'a list',
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
};

/**
 * Per-parse messages for issues whose schema did not set its own: a rule's params schema, wrong
 * types. Schema-level messages take precedence over these (zod's error precedence).
 */
export const explainIssue: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
      return `must be ${EXPECTED[issue.expected] ?? issue.expected}, not ${describeValue(issue.input)}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map(String).join(', ')}`;
    case 'too_small':
      return `must be ${issue.inclusive === false ? 'more than' : 'at least'} ${String(issue.minimum)}${unit(issue.origin)}`;
    case 'too_big':
      return `must be ${issue.inclusive === false ? 'less than' : 'at most'} ${String(issue.maximum)}${unit(issue.origin)}`;
    default:
      return undefined;
  }
};

function unit(origin: string): string {
  if (origin === 'string') return ' characters long';
  if (origin === 'array' || origin === 'set') return ' items';
  return '';
}

/** Strips optional/nullable/default wrappers to reach the object or array underneath. */
function unwrap(schema: z.ZodType): z.ZodType {
  let current: z.ZodType = schema;
  for (;;) {
    if (
      current instanceof z.ZodOptional ||
      current instanceof z.ZodNullable ||
      current instanceof z.ZodDefault ||
      current instanceof z.ZodPrefault
    ) {
      current = current.unwrap() as z.ZodType;
    } else if (current instanceof z.ZodPipe) {
      current = current.in as z.ZodType;
    } else {
      return current;
    }
  }
}

/** The keys an object at `path` accepts, found by walking the schema (for "expected one of"). */
function keysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let current = unwrap(schema);
  for (const key of path) {
    if (current instanceof z.ZodObject) {
      const child: unknown = (current.shape as Record<string, unknown>)[String(key)];
      if (!(child instanceof z.ZodType)) return [];
      current = unwrap(child);
    } else if (current instanceof z.ZodArray) {
      current = unwrap(current.element as z.ZodType);
    } else {
      return [];
    }
  }
  return current instanceof z.ZodObject ? Object.keys(current.shape as Record<string, unknown>) : [];
}

function unknownKeyMessage(key: string, allowed: readonly string[]): string {
  if (allowed.length === 0) return 'unknown key; remove it';
  return `unknown key; ${didYouMean(key, allowed)}expected one of ${allowed.join(', ')}`;
}

/**
 * One line per problem, sorted by path so related problems sit together. An unrecognized-keys issue
 * becomes one line per key, with the key in its path; under `rules` it names valid rule ids.
 */
export function formatIssues(issues: readonly z.core.$ZodIssue[], schema: z.ZodType, ruleIds: readonly string[]): string[] {
  const lines: Array<{ path: string; message: string }> = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      const allowed = keysAt(schema, issue.path);
      const underRules = issue.path.length === 1 && issue.path[0] === 'rules';
      for (const key of issue.keys) {
        const message = underRules ? unknownRuleMessage(key, ruleIds) : unknownKeyMessage(key, allowed);
        lines.push({ path: formatPath([...issue.path, key]), message });
      }
    } else {
      lines.push({ path: formatPath(issue.path), message: issue.message });
    }
  }
  return lines
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map(({ path, message }) => `${path === '' ? '(top level)' : path}: ${message}`);
}
