import { memoryUsageStore, type UsageStore } from './activity/usage-store.js';
import { createCloudClients, type CloudClients } from './cloud/clients.js';
import type { CredentialClient } from './cloud/sdk.js';
import type { Config } from './config/index.js';
import type { ProgressEvent } from './inventory/context.js';
import { createLogger, type Logger } from './logger.js';
import type { ScanReport } from './report/types.js';
import { scanAccount } from './scan/scan-account.js';
import { realSleep, systemClock, type Clock } from './clock.js';

export { realSleep, systemClock, type Clock } from './clock.js';

export interface AppDeps {
  config: Config;
  clock?: Clock;
  cloud?: CloudClients;
  /** Credentials to sign with instead of the default chain (FC passes its invocation's STS keys). */
  credential?: CredentialClient;
  logger?: Logger;
  /** Where the usage index is kept between scans; default: memory (each scan reads the whole history). */
  usageStore?: UsageStore;
  /** Waits between rate-limited activity pages; default: a real timer (tests pass a no-op). */
  sleep?: (ms: number) => Promise<void>;
}


export interface App {
  config: Config;
  clock: Clock;
  logger: Logger;
  cloud: CloudClients;
  usageStore: UsageStore;
  /** Scan the account once (inventory, activity, rules); `now` defaults to the clock (a timer pins it to its trigger time). */
  scan(opts?: { now?: Date; progress?: (e: ProgressEvent) => void }): Promise<ScanReport>;
}

/** Composition root: production defaults for whatever the caller (a test, a function) did not pass. */
export function createApp(deps: AppDeps): App {
  const { config } = deps;
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger ?? createLogger(config.logLevel);
  const cloud =
    deps.cloud ??
    createCloudClients(config.cloud, {
      credential: deps.credential,
      onRetry: ({ product, action, attempt, error }) =>
        logger.debug({ product, action, attempt, code: error.code, requestId: error.requestId }, 'retrying cloud call'),
    });
  const usageStore = deps.usageStore ?? memoryUsageStore();
  const sleep = deps.sleep ?? realSleep;
  return {
    config,
    clock,
    logger,
    cloud,
    usageStore,
    scan: (opts = {}) => scanAccount({ clients: cloud, config, now: opts.now ?? clock.now(), progress: opts.progress, usageStore, sleep, logger }),
  };
}
