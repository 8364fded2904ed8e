/**
 * Day arithmetic for the review cadence, in UTC so due dates and cards do not depend on the
 * machine's time zone (FC runs in UTC; a per-team time zone can come later).
 */

const DAY_MS = 24 * 60 * 60 * 1000;
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}

export function startOfUtcDay(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}

/** The last millisecond of the UTC day: "due Tue 3 Dec" means until that day ends. */
export function endOfUtcDay(date: Date): Date {
  return new Date(startOfUtcDay(date).getTime() + DAY_MS - 1);
}

/** "Tue 3 Dec", as shown on cards. */
export function showDay(iso: string): string {
  const d = new Date(iso);
  return `${WEEKDAYS[d.getUTCDay()] ?? ''} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()] ?? ''}`;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Parses a snooze target as typed: a bare date (`2024-12-20`, what date pickers send) means the end
 * of that day; anything else must be a full ISO time. Null when it does not parse.
 */
export function parseUntil(text: string): Date | null {
  const trimmed = text.trim();
  const date = new Date(DATE_ONLY.test(trimmed) ? `${trimmed}T00:00:00Z` : trimmed);
  if (Number.isNaN(date.getTime())) return null;
  return DATE_ONLY.test(trimmed) ? endOfUtcDay(date) : date;
}
