/**
 * Exclusion expiry. An expired exclusion stays valid config (the file need not be edited the day it
 * lapses); it just stops suppressing findings.
 */
import type { Exclusion } from './schema.js';

const DAY_MS = 86_400_000;

/** Whether an exclusion still applies at `now`: `expires` is the last day it applies, inclusive, in UTC. */
export function isExclusionActive(exclusion: Exclusion, now: Date): boolean {
  if (exclusion.expires === undefined) return true;
  return now.getTime() < Date.parse(`${exclusion.expires}T00:00:00Z`) + DAY_MS;
}

/** The exclusions that still apply at `now` (time is passed in, never read here; STYLE §1). */
export function activeExclusions(exclusions: readonly Exclusion[], now: Date): Exclusion[] {
  return exclusions.filter((exclusion) => isExclusionActive(exclusion, now));
}
