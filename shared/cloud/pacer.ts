/**
 * Per-action adaptive pacing. Alibaba Cloud throttles per API (`Throttling.User`) without publishing
 * the limits, so each action starts unpaced and learns its rate: throttled while paced, it backs off
 * to 90 % of the refused rate (the ceiling); successes raise it again, quickly while well below the
 * ceiling and slowly near it, and quickly again once past it (a small AIMD/CUBIC-like loop).
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
/** Fewer successes than this in the window is no measurement. */
const MIN_SAMPLE = 5;
const INITIAL_GUESS = 10;

export class ActionPacer {
  /** Requests per second; Infinity until the first throttle. */
  rate = Infinity;
  private ceiling = Infinity;
  private lastDecrease = -Infinity;
  private readonly successes: number[] = [];
  throttles = 0;

  constructor(private readonly clock: PacerClock = realPacerClock) {}

  /**
   * Bumped on every rate decrease. A caller released under an older epoch must not send (it was paced
   * for a rate the server just refused) and queues again.
   */
  epoch = 0;
  private readonly waiting: Array<(epoch: number) => void> = [];
  private pumping = false;
  private lastRelease = -Infinity;

  /**
   * Waits for this action's next send slot; resolves to the epoch it was released under. Waiters are
   * released one by one at the *current* rate (not a slot reserved at enqueue time), so a rate that
   * recovers speeds up everyone already queued.
   */
  acquire(): Promise<number> {
    if (!Number.isFinite(this.rate) && this.waiting.length === 0) return Promise.resolve(this.epoch);
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      void this.pump();
    });
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.waiting.length > 0) {
        const interval = Number.isFinite(this.rate) ? 1000 / this.rate : 0;
        const wait = this.lastRelease + interval - this.clock.now();
        if (wait > 0) await this.clock.sleep(wait);
        this.lastRelease = this.clock.now();
        this.waiting.shift()?.(this.epoch);
      }
    } finally {
      this.pumping = false;
    }
  }

  onSuccess(): void {
    const now = this.clock.now();
    this.successes.push(now);
    this.trim(now);
    if (!Number.isFinite(this.rate)) return;
    // Past the ceiling without being throttled: the limit has grown, so probe quickly again.
    if (Number.isFinite(this.ceiling) && this.rate > 1.05 * this.ceiling) this.ceiling = Infinity;
    // Additive increase, in requests/second gained per second of successes: fast while well below the
    // last ceiling (or when none is known), slow near it.
    const nearCeiling = Number.isFinite(this.ceiling) && this.rate >= 0.95 * this.ceiling;
    const perSecond = nearCeiling ? Math.max(0.1, 0.01 * this.rate) : Math.max(2, 0.2 * this.rate);
    this.rate += perSecond / this.rate;
  }

  onThrottle(): void {
    const now = this.clock.now();
    this.throttles++;
    // Requests already in flight when the rate dropped come back throttled too: one congestion event,
    // one decrease (otherwise a burst of 8 rejections would cut the rate by 0.85^8).
    if (now - this.lastDecrease < WINDOW_MS) return;
    this.lastDecrease = now;
    this.trim(now);
    if (Number.isFinite(this.rate)) {
      // We were sending at `rate` and it was refused: that is the ceiling, back off below it.
      this.ceiling = this.rate;
      this.rate = Math.max(1, this.rate * 0.9);
    } else {
      // First throttle of an unpaced burst: what got through in the last second is a floor for the
      // limit, not the limit (the second was shared with other actions), so probe up from there fast.
      const observed = this.successes.length;
      this.rate = observed >= MIN_SAMPLE ? observed : INITIAL_GUESS;
      this.ceiling = Infinity;
    }
    // Callers released at the old pace see the new epoch and queue again.
    this.epoch++;
  }

  private trim(now: number): void {
    while (this.successes.length > 0 && (this.successes[0] ?? 0) < now - WINDOW_MS) this.successes.shift();
  }
}
