/**
 * Glob matching with the two RAM wildcards: `*` (any run of characters, including none) and `?`
 * (exactly one character). Used for actions, resources, condition values and exclusion patterns.
 */

const cache = new Map<string, RegExp>();
/** Patterns come from a snapshot or config, so the cache is bounded only to stay safe in long-lived processes. */
const CACHE_LIMIT = 10_000;

function escapeRegExp(text: string): string {
  return text.replace(/[.+^${}()|[\]\\/-]/g, '\\$&');
}

/** Compiles a glob to an anchored regular expression; `ignoreCase` for actions and names that RAM folds. */
export function globToRegExp(pattern: string, ignoreCase = false): RegExp {
  const key = `${ignoreCase ? 'i' : 's'}:${pattern}`;
  const hit = cache.get(key);
  if (hit) return hit;
  let source = '';
  for (const ch of pattern) {
    if (ch === '*') source += '.*';
    else if (ch === '?') source += '.';
    else source += escapeRegExp(ch);
  }
  const compiled = new RegExp(`^${source}$`, ignoreCase ? 'is' : 's');
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, compiled);
  return compiled;
}

/** True when `value` matches the glob `pattern` as a whole. */
export function matchesGlob(pattern: string, value: string, options: { ignoreCase?: boolean } = {}): boolean {
  if (pattern === '*') return true;
  return globToRegExp(pattern, options.ignoreCase ?? false).test(value);
}

/** True when the pattern contains a wildcard character. */
export function hasWildcard(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}
