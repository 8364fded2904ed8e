/** The products the emulator answers for, by API version. */
export const PRODUCTS = ['ram', 'ims', 'sts', 'actiontrail', 'resourcemanager', 'kms'] as const;
export type Product = (typeof PRODUCTS)[number];

/** Per-action counters. */
export interface ActionCounters {
  /** Every request naming the action, whatever its outcome. */
  calls: Record<string, number>;
  /** Requests answered `Throttling.User`. */
  throttled: Record<string, number>;
  /** Requests answered with any other error (signature, entity not found, injected fault, …). */
  errors: Record<string, number>;
  /** Requests naming an action that changes the account (UpdateAccessKey, DetachPolicyFromUser, …), whatever their outcome. */
  writes: Record<string, number>;
  total: number;
}

/**
 * Call statistics. Top-level counters are keyed by the bare action name, so RAM and IMS `ListUsers`
 * add up under `ListUsers`; `byProduct` keeps them apart.
 */
export interface EmulatorStats extends ActionCounters {
  byProduct: Record<Product, ActionCounters>;
}

/** How a call ended, for the counters. */
export type Outcome = 'ok' | 'throttled' | 'error';

function empty(): ActionCounters {
  return { calls: {}, throttled: {}, errors: {}, writes: {}, total: 0 };
}

function bump(c: ActionCounters, action: string, outcome: Outcome, write: boolean): void {
  c.calls[action] = (c.calls[action] ?? 0) + 1;
  if (write) c.writes[action] = (c.writes[action] ?? 0) + 1;
  c.total++;
  if (outcome === 'throttled') c.throttled[action] = (c.throttled[action] ?? 0) + 1;
  if (outcome === 'error') c.errors[action] = (c.errors[action] ?? 0) + 1;
}

/** Collects {@link EmulatorStats}. */
export class StatsCollector {
  private stats = StatsCollector.fresh();

  private static fresh(): EmulatorStats {
    // Built from PRODUCTS so a new product gets its counters without another edit here.
    const byProduct = Object.fromEntries(PRODUCTS.map((p) => [p, empty()])) as Record<Product, ActionCounters>;
    return { ...empty(), byProduct };
  }

  /** Counts one call, under the bare action name and under its product; `write`: the action changes state. */
  record(product: Product, action: string, outcome: Outcome, write = false): void {
    bump(this.stats, action, outcome, write);
    bump(this.stats.byProduct[product], action, outcome, write);
  }

  /** A deep copy, safe to keep while the emulator keeps counting. */
  snapshot(): EmulatorStats {
    return structuredClone(this.stats);
  }

  /** Zeroes every counter. */
  reset(): void {
    this.stats = StatsCollector.fresh();
  }
}
