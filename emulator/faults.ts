import { ApiError } from './errors.js';
import { seededRandom } from './ids.js';

/** One action made to fail deterministically. */
export interface ActionFailure {
  code: string;
  status: number;
  /** Fail only the first N calls; absent = every call. */
  times?: number;
  message?: string;
}

/** Faults injected into responses, to exercise a client's retries, throttling and error handling. */
export interface Faults {
  /** Added to every response. */
  latencyMs?: number;
  /** Calls allowed per action and product per 1 s window; the excess gets 400 `Throttling.User`. */
  qpsPerAction?: number;
  /** Share of calls (0..1) answered 503 `ServiceUnavailable`, drawn from the seeded PRNG. */
  errorRate?: number;
  /** Keyed by action name (`ListUsers`, every product) or `product:Action` (`ims:ListUsers`). */
  failActions?: Record<string, ActionFailure>;
  /**
   * Keyed like `failActions`: the action is applied to the state, then answered 503 `ServiceUnavailable`,
   * as when the cloud made the change but the caller lost the response. `times`: the first N successful
   * calls only; absent = every one. Calls that fail on their own (404, 409, …) are not counted.
   */
  failAfterApply?: Record<string, { times?: number }>;
}

/**
 * Decides, per call, whether to answer with an injected fault. Throttling windows use real time
 * (not the scenario clock): flow control is about request rate, which a fixed test clock would freeze.
 */
export class FaultInjector {
  private faults: Faults = {};
  private random: () => number;
  private failures = new Map<string, number>();
  private applied = new Map<string, number>();
  private windows = new Map<string, { start: number; count: number }>();

  constructor(
    faults: Faults | undefined,
    private readonly seed: number,
  ) {
    this.random = seededRandom(seed);
    this.set(faults ?? {});
  }

  /** Replaces the faults; failure counts, throttling windows and the PRNG start over. */
  set(faults: Faults): void {
    this.faults = { ...faults };
    this.failures = new Map();
    this.applied = new Map();
    this.windows = new Map();
    this.random = seededRandom(this.seed);
  }

  /** Milliseconds to wait before every response. */
  get latencyMs(): number {
    return this.faults.latencyMs ?? 0;
  }

  /** After a call was applied: the error to answer instead of its result ({@link Faults.failAfterApply}), if any. */
  afterApply(product: string, action: string): ApiError | undefined {
    const rules = this.faults.failAfterApply;
    if (!rules) return undefined;
    const qualified = `${product}:${action}`;
    const key = rules[qualified] ? qualified : action;
    const rule = rules[key];
    if (!rule) return undefined;
    const n = (this.applied.get(key) ?? 0) + 1;
    this.applied.set(key, n);
    if (rule.times !== undefined && n > rule.times) return undefined;
    return new ApiError(
      503,
      'ServiceUnavailable',
      `The request has failed due to a temporary failure of the server. (Injected after ${action} was applied, call ${n}.)`,
    );
  }

  /** The fault to answer this call with, if any. Deterministic failures come first, then QPS, then random errors. */
  check(product: string, action: string, nowMs: number): ApiError | undefined {
    const qualified = `${product}:${action}`;
    // A bare key (`ListUsers`) counts its calls across products; `ims:ListUsers` only IMS's.
    const failKey = this.faults.failActions?.[qualified] ? qualified : action;
    const failure = this.faults.failActions?.[failKey];
    if (failure) {
      const n = (this.failures.get(failKey) ?? 0) + 1;
      this.failures.set(failKey, n);
      if (failure.times === undefined || n <= failure.times) {
        return new ApiError(failure.status, failure.code, failure.message ?? `Injected failure of ${action} (call ${n}).`);
      }
    }
    const qps = this.faults.qpsPerAction;
    if (qps !== undefined) {
      let w = this.windows.get(qualified);
      if (!w || nowMs - w.start >= 1000) {
        w = { start: nowMs, count: 0 };
        this.windows.set(qualified, w);
      }
      if (++w.count > qps) {
        const retryAfter = String(Math.max(1, Math.ceil(w.start + 1000 - nowMs)));
        return new ApiError(400, 'Throttling.User', 'Request was denied due to user flow control.', {
          'x-acs-retry-after': retryAfter,
        });
      }
    }
    const rate = this.faults.errorRate ?? 0;
    if (rate > 0 && this.random() < rate) {
      return new ApiError(503, 'ServiceUnavailable', 'The request has failed due to a temporary failure of the server.');
    }
    return undefined;
  }
}
