/**
 * "Did you mean" hints for misspelt keys and rule ids, so a typo's message says what to write.
 */

/** Levenshtein distance; inputs are short config keys, so the quadratic table is fine. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The closest candidate, if it is close enough to be a plausible typo (case-insensitive). */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  let best: { candidate: string; score: number } | undefined;
  for (const candidate of candidates) {
    const score = distance(lower, candidate.toLowerCase());
    if (best === undefined || score < best.score) best = { candidate, score };
  }
  const limit = Math.max(2, Math.floor(word.length / 3));
  return best !== undefined && best.score <= limit ? best.candidate : undefined;
}

/** `did you mean "x"? ` or nothing. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const guess = closest(word, candidates);
  return guess === undefined ? '' : `did you mean "${guess}"? `;
}

/** `did you mean "x"? valid ids include a, b, …`: what to write instead of `id`. */
export function ruleIdHint(id: string, ruleIds: readonly string[]): string {
  if (ruleIds.length === 0) return 'no rules are registered';
  const sorted = [...ruleIds].sort();
  const few = sorted.slice(0, 5).join(', ') + (sorted.length > 5 ? `, … (${sorted.length} rules)` : '');
  return `${didYouMean(id, sorted)}valid ids include ${few}`;
}

/** The message for an id that is not in the rule registry: a guess plus a few valid ids. */
export function unknownRuleMessage(id: string, ruleIds: readonly string[]): string {
  return `unknown rule id "${id}"; ${ruleIdHint(id, ruleIds)}`;
}
