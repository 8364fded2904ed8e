import pLimit, { type LimitFunction } from 'p-limit';
import pRetry from 'p-retry';
import { CloudError } from '../errors.js';
import { classifyError, isRetryable, type ErrorInfo } from './classify.js';
import { ActionPacer, realPacerClock, type PacerClock } from './pacer.js';

export const PRODUCTS = ['ram', 'ims', 'sts', 'actiontrail', 'resourcemanager', 'kms'] as const;

const REPACE = Symbol('repace');
export type Product = (typeof PRODUCTS)[number];

export interface CallerOptions {
  /** Max calls in flight across all actions. */
  concurrency: number;
  /** Attempts per call including the first. */
  maxAttempts: number;
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
  /** Where each product is sent, for error messages ("ram.aliyuncs.com" or "127.0.0.1:8080"). */
  endpoints: Record<Product, string>;
  clock?: PacerClock;
  /** Called once per retry, for progress/debug logs; never receives secrets. */
  onRetry?: (event: { product: Product; action: string; attempt: number; error: ErrorInfo; delayMs: number }) => void;
}

/** Requests per action actually sent (each attempt counts: it is what the cloud meters). */
export interface CallStats {
  calls: Record<string, number>;
  byProduct: Record<Product, Record<string, number>>;
  throttled: Record<string, number>;
  retries: number;
  total: number;
}

/**
 * Every cloud call goes through here: bounded concurrency, per-action adaptive pacing, retries with
 * exponential backoff and jitter on throttling, 5xx and connection errors, and per-action counting.
 * Failures that remain after retries become a `CloudError` naming the action, the code and the fix.
 */
export class CloudCaller {
  private readonly limit: LimitFunction;
  private readonly pacers = new Map<string, ActionPacer>();
  private readonly clock: PacerClock;
  readonly stats: CallStats = {
    calls: {},
    byProduct: Object.fromEntries(PRODUCTS.map((p) => [p, {}])) as Record<Product, Record<string, number>>,
    throttled: {},
    retries: 0,
    total: 0,
  };

  constructor(private readonly opts: CallerOptions) {
    this.limit = pLimit(opts.concurrency);
    this.clock = opts.clock ?? realPacerClock;
  }

  /** Attempts per call as configured. */
  get maxAttempts(): number {
    return this.opts.maxAttempts;
  }

  /**
   * Runs `fn` (one SDK request) with pacing, limits and retries.
   * @param maxAttempts overrides the configured attempts (e.g. fewer for a preflight check).
   */
  async call<T>(product: Product, action: string, fn: () => Promise<T>, maxAttempts = this.opts.maxAttempts): Promise<T> {
    const pacer = this.pacer(product, action);
    let attempt = 0;
    try {
      return await pRetry(
        async () => {
          attempt++;
          for (;;) {
            const epoch = await pacer.acquire();
            const outcome = await this.limit(async () => {
              // Paced for a rate the server has since refused: give the slot back and queue again.
              if (epoch !== pacer.epoch) return REPACE;
              this.count(product, action);
              try {
                const result = await fn();
                pacer.onSuccess();
                return { result };
              } catch (err) {
                if (classifyError(err).kind === 'throttled') {
                  pacer.onThrottle();
                  this.stats.throttled[action] = (this.stats.throttled[action] ?? 0) + 1;
                }
                throw err;
              }
            });
            if (outcome !== REPACE) return outcome.result;
          }
        },
        {
          retries: maxAttempts - 1,
          factor: 2,
          minTimeout: this.opts.retryBaseDelayMs,
          maxTimeout: this.opts.retryMaxDelayMs,
          randomize: true,
          shouldRetry: ({ error }) => isRetryable(classifyError(error)),
          onFailedAttempt: async ({ error, retriesLeft }) => {
            const info = classifyError(error);
            if (!isRetryable(info) || retriesLeft === 0) return;
            this.stats.retries++;
            const delayMs = info.retryAfterMs ?? 0;
            this.opts.onRetry?.({ product, action, attempt, error: info, delayMs });
            // Honour the server's x-acs-retry-after on top of p-retry's own backoff.
            if (delayMs > 0) await this.clock.sleep(Math.min(delayMs, this.opts.retryMaxDelayMs));
          },
        },
      );
    } catch (err) {
      throw this.toCloudError(product, action, err, attempt);
    }
  }

  private pacer(product: Product, action: string): ActionPacer {
    const key = `${product}:${action}`;
    let pacer = this.pacers.get(key);
    if (!pacer) {
      pacer = new ActionPacer(this.clock);
      this.pacers.set(key, pacer);
    }
    return pacer;
  }

  private count(product: Product, action: string): void {
    this.stats.calls[action] = (this.stats.calls[action] ?? 0) + 1;
    const p = this.stats.byProduct[product];
    p[action] = (p[action] ?? 0) + 1;
    this.stats.total++;
  }

  private toCloudError(product: Product, action: string, err: unknown, attempts: number): CloudError {
    if (err instanceof CloudError) return err;
    const info = classifyError(err);
    const endpoint = this.opts.endpoints[product];
    const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
    const rid = info.requestId ? ` (request id ${info.requestId})` : '';
    const [what, advice] = describe(product, action, endpoint, info);
    const message = `${what}${tries}${rid}${advice ? ` — ${advice}` : ''}`;
    return new CloudError(action, message, { cause: err, cloudCode: info.code, code: codeFor(info) });
  }
}

function codeFor(info: ErrorInfo): string {
  switch (info.kind) {
    case 'auth':
      return 'CLOUD_AUTH_FAILED';
    case 'unreachable':
      return 'CLOUD_UNREACHABLE';
    case 'permission':
      return 'CLOUD_NO_PERMISSION';
    case 'throttled':
      return 'CLOUD_THROTTLED';
    default:
      return 'CLOUD_CALL_FAILED';
  }
}

/** The cause and what to do about it, for one line. */
function describe(product: Product, action: string, endpoint: string, info: ErrorInfo): [string, string] {
  const where = `${product.toUpperCase()} ${action}`;
  switch (info.kind) {
    case 'auth':
      return [`${where} was rejected (${info.code})`, 'check ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET (or the configured credential source)'];
    case 'unreachable':
      return [`cannot reach the ${product} endpoint ${endpoint} (${info.code})`, `check cloud.endpoints.${product}, RAMPARTS_CLOUD_ENDPOINT and the network`];
    case 'permission':
      return [`${where} was denied (${info.code})`, `grant ${permissionFor(product, action)} to the role ramparts runs as (${policyHint(product, action)})`];
    case 'throttled':
      return [`${where} stayed throttled (${info.code})`, 'lower cloud.concurrency or retry later'];
    case 'transient':
      return [`${where} failed with a server error (${info.code})`, ''];
    default:
      return [`${where} failed: ${firstLine(info.message)}`, ''];
  }
}

/** The RAM service code that authorizes a product's actions: IMS reads authorize as `ram:` (reference §7.3). */
const RAM_CODE: Record<Product, string> = { ram: 'ram', ims: 'ram', sts: 'sts', actiontrail: 'actiontrail', resourcemanager: 'resourcemanager', kms: 'kms' };

/** RAM write APIs: only the apply role makes them. */
const WRITE_VERB = /^(Create|Update|Delete|Attach|Detach|Add|Remove|Set|Put|Bind|Unbind|Change)/;

/** Which policy template holds the grant. KMS is optional: without it only the secret rules report unknown. */
function policyHint(product: Product, action: string): string {
  switch (product) {
    case 'sts':
    case 'resourcemanager':
      return 'see templates/ram-policy-scan-accounts.json';
    case 'kms':
      return 'see templates/ram-policy-scan.json; without it the KMS secret rules report unknown';
    case 'actiontrail':
      return 'see templates/ram-policy-scan.json';
    default:
      return WRITE_VERB.test(action) ? 'see templates/ram-policy-apply.json' : 'see templates/ram-policy-scan.json';
  }
}

/** The RAM permission a call needs, e.g. `ram:ListUsers` for IMS ListUsers, `kms:ListSecrets`. */
export function permissionFor(product: Product, action: string): string {
  return `${RAM_CODE[product]}:${action}`;
}

function firstLine(s: string): string {
  return (s.split('\n')[0] ?? s).slice(0, 300);
}
