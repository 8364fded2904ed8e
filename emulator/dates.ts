/**
 * Date helpers. Scenario dates may be relative to the emulator's clock ("-400d", "now") so a scenario
 * means the same thing whatever day it runs; the wire always carries second-precision UTC
 * (`2015-01-23T12:33:18Z`), the format RAM and IMS answer with.
 */

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Resolves a scenario date (`now`, `-90d`, `+2h`, `2026-01-31`, `2026-01-31T00:00:00Z`) against `now`. */
export function resolveDate(value: string, now: Date): Date {
  if (value === 'now') return new Date(now.getTime());
  const rel = /^([-+])(\d+)([smhd])$/.exec(value);
  if (rel) {
    const [, sign, amount, unit] = rel as unknown as [string, string, string, string];
    const delta = Number(amount) * (UNIT_MS[unit] ?? 0);
    return new Date(now.getTime() + (sign === '-' ? -delta : delta));
  }
  const date = new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(date.getTime())) throw new RangeError(`not a date: ${value}`);
  return date;
}

/** Like {@link resolveDate}, but `null`/`undefined` (never) stays `null`. */
export function resolveOptionalDate(value: string | null | undefined, now: Date): Date | null {
  return value === null || value === undefined ? null : resolveDate(value, now);
}

/** `YYYY-MM-DDThh:mm:ssZ`, the timestamp format of the RAM/IMS wire and the credential report. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Wire form of an optional date: absent (`undefined`, so JSON omits the field) when null. */
export function isoOrUndefined(date: Date | null): string | undefined {
  return date ? isoSeconds(date) : undefined;
}

/** The later of two dates (attach and join dates cannot precede either side's creation). */
export function later(a: Date, b: Date): Date {
  return a.getTime() >= b.getTime() ? a : b;
}

/** `days` days before/after `date`. */
export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * UNIT_MS.d!);
}

/** Seconds in a scenario duration (`7d`, `12h`, `30m`, `604800s`). */
export function durationSeconds(value: string): number {
  const m = /^(\d+)([smhd])$/.exec(value);
  if (!m) throw new RangeError(`not a duration: ${value}`);
  return (Number(m[1]) * (UNIT_MS[m[2]!] ?? 0)) / 1000;
}
