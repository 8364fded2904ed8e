import { differenceInDays, isValid, parseISO } from 'date-fns';

/** Dates in a snapshot are ISO-8601 strings; an unparseable one is data we do not have (fail closed). */
export function parseDate(value: string | null | undefined): Date | null {
  if (!value) return null;
  const date = parseISO(value);
  return isValid(date) ? date : null;
}

/** Whole days from `date` to `now` (negative when `date` is in the future). */
export function ageInDays(date: Date, now: Date): number {
  return differenceInDays(now, date);
}

/** `2026-11-26`, in UTC so evidence does not depend on the machine's time zone. */
export function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The later of two optional dates. */
export function latest(a: Date | null, b: Date | null): Date | null {
  if (!a) return b;
  if (!b) return a;
  return a.getTime() >= b.getTime() ? a : b;
}

/** A snapshot date for evidence: its UTC day, or the raw text when it does not parse. */
export function showDay(value: string): string {
  const date = parseDate(value);
  return date ? day(date) : value;
}
