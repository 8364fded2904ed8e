/**
 * The usage index's high-water mark: the newest event time plus the ids of the events within
 * {@link SETTLE_MS} of it, so each read fetches only new events and re-reading the settling span adds
 * nothing twice.
 */

/**
 * How late an event may reach the source after a newer one (ActionTrail's own delivery takes minutes;
 * a trail's OSS files are aggregated for 5 minutes and delivered within about 10). Each read starts
 * this long before the high-water mark, and the ids seen in that span are kept, so a late event is
 * taken in on the next read and an early one is not taken twice.
 */
export const SETTLE_MS = 15 * 60_000;

export class HighWater {
  /** Ids (with times) of the events within {@link SETTLE_MS} of the mark. */
  private readonly recent = new Map<string, number>();
  private pruneAt = 1024;

  constructor(public time: number) {}

  /** An event older than the settling span before the mark, or one within it whose id was seen. */
  seen(id: string, time: number): boolean {
    return time < this.time - SETTLE_MS || this.recent.has(id);
  }

  /** Moves the mark to `time` when newer and remembers `id` when it falls within the settling span. */
  mark(id: string, time: number): void {
    this.advance(time);
    if (time < this.time - SETTLE_MS) return;
    this.recent.set(id, time);
    // Events arriving oldest-first pass through the span: drop the ones it left, amortised.
    if (this.recent.size >= this.pruneAt) {
      this.prune();
      this.pruneAt = Math.max(1024, this.recent.size * 2);
    }
  }

  /** Moves the mark to `time` when newer, remembering no event. */
  advance(time: number): void {
    if (time > this.time) this.time = time;
  }

  /** Takes in another mark: the newer time, and its remembered ids. */
  absorb(other: HighWater): void {
    this.advance(other.time);
    for (const [id, t] of other.recent) this.mark(id, t);
  }

  /** Ids of the events at the mark itself, sorted. */
  idsAtMark(): string[] {
    return [...this.recent].filter(([, t]) => t === this.time).map(([id]) => id).sort();
  }

  /** The remembered ids still within the settling span, sorted, with their times. */
  within(): Array<[string, number]> {
    return [...this.recent].filter(([, t]) => t >= this.time - SETTLE_MS).sort(([a], [b]) => (a < b ? -1 : 1));
  }

  private prune(): void {
    for (const [i, t] of this.recent) if (t < this.time - SETTLE_MS) this.recent.delete(i);
  }
}
