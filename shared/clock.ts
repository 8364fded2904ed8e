/**
 * Time. Its own module so the functions that never scan (interact, remind) can take a clock without
 * importing shared/app.ts, which pulls the scan and activity stack (and with it every cloud SDK).
 */

/** Time source. Only the composition root reads the system clock (STYLE §1). */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A real timer: the production default for waits between rate-limited pages. */
export const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
