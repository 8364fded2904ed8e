/**
 * Per-action adaptive pacing. Alibaba Cloud throttles per API (`Throttling.User`) without publishing
 * the limits, so each action starts unpaced and learns its rate: on throttling the rate drops below
 * what actually got through in the last second; successes raise it again, quickly while well below
 * the last ceiling and slowly near it (a small AIMD/CUBIC-like loop).
 */
export interface PacerClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realPacerClock: PacerClock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

const WINDOW_MS = 1000;

export class ActionPacer {
  /** Requests per second; Infinity until the first throttle. */
  rate = Infinity;
  private ceiling = Infinity;
  private nextSlot = 0;
  private readonly successes: number[] = [];
  throttles = 0;

  constructor(private readonly clock: PacerClock = realPacerClock) {}

  /** Waits for this action's next send slot. */
  async acquire(): Promise<void> {
    if (!Number.isFinite(this.rate)) return;
    const now = this.clock.now();
    const slot = Math.max(now, this.nextSlot);
    this.nextSlot = slot + 1000 / this.rate;
    if (slot > now) await this.clock.sleep(slot - now);
  }

  onSuccess(): void {
    const now = this.clock.now();
    this.successes.push(now);
    this.trim(now);
    if (!Number.isFinite(this.rate)) return;
    // Additive increase in requests/second per second of successes.
    const perSecond = this.rate < 0.9 * this.ceiling ? Math.max(2, this.ceiling * 0.1) : Math.max(0.25, this.ceiling * 0.01);
    this.rate += perSecond / this.rate;
  }

  onThrottle(): void {
    const now = this.clock.now();
    this.throttles++;
    this.trim(now);
    const observed = this.successes.length;
    const base = Number.isFinite(this.rate) ? Math.min(this.rate, Math.max(observed, 1)) : Math.max(observed, 1);
    this.ceiling = base;
    this.rate = Math.max(1, base * 0.85);
    // Re-space from now so queued callers don't all fire at the old pace.
    this.nextSlot = Math.max(this.nextSlot, now + 1000 / this.rate);
  }

  private trim(now: number): void {
    while (this.successes.length > 0 && (this.successes[0] ?? 0) < now - WINDOW_MS) this.successes.shift();
  }
}
