/**
 * Exactly-once-ish timer runs. FC invokes timer functions asynchronously and retries a failed
 * asynchronous invocation (reference chat-and-function-compute.md §2.6); `triggerName` +
 * `triggerTime` name one run, so a retry finds the run's claim in the store:
 *
 * - done → the recorded summary is returned and nothing runs again;
 * - failed (the use case threw) → it runs again;
 * - running, claimed longer ago than the function's timeout → the holder crashed or was stopped
 *   (FC ends an invocation at its timeout), so it runs again;
 * - running, younger → another instance is still at it: RUN_IN_PROGRESS (FC retries later).
 *
 * Running again is safe because each use case is itself safe to rerun: the scan upserts its records
 * and opens a task once per fingerprint, remind keys every reminder to the task's state and time,
 * and apply claims each plan compare-and-set under a lease and re-reads the live state before a
 * write. The claim only saves the retry's cloud calls and duplicate messages, and makes the result
 * of a retried run the recorded one.
 */
import type { Clock } from '../clock.js';
import { RampartsError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/port.js';
import type { FcTimerEvent } from './types.js';

/** Where one timer run stands, as stored (JSON) under its claim key. */
export type RunRecord =
  | { state: 'running'; runner: string; claimedAt: string }
  | { state: 'failed'; runner: string; claimedAt: string; failedAt: string; error: string }
  | { state: 'done'; runner: string; claimedAt: string; finishedAt: string; result: unknown };

export interface RunOnceOptions {
  store: Pick<Store, 'tx'>;
  /** The function's short name (`scan`, `remind`, `apply`): part of the key. */
  fn: string;
  timer: FcTimerEvent;
  /** Who runs it (`fc-<requestId>`), recorded in the claim. */
  runner: string;
  /** The function's timeout (`context.function.timeout`): a claim older than this (plus a minute) is taken over. */
  timeoutSeconds: number;
  /** The wall clock (not the pinned trigger time): claims age in real time. */
  clock: Clock;
  logger?: Pick<Logger, 'info' | 'warn'>;
}

export interface RunOnceOutcome<T> {
  result: T;
  /** True when this invocation ran nothing and returned the run's recorded result. */
  replayed: boolean;
}

/** Headroom over the timeout for clock skew between FC instances and the store. */
const GRACE_MS = 60_000;
/** Tries at claiming while others keep changing the record (each loss means someone else moved it). */
const CLAIM_ATTEMPTS = 3;

/** The store key of one timer run. */
export function runKey(fn: string, timer: Pick<FcTimerEvent, 'triggerName' | 'triggerTime'>): string {
  return `run:${fn}:${timer.triggerName}:${timer.triggerTime}`;
}

type Claim = { kind: 'claimed'; value: string } | { kind: 'done'; result: unknown };

/** Runs `run` unless this timer run already completed; see the module comment for the states. */
export async function runOnce<T>(opts: RunOnceOptions, run: () => Promise<T>): Promise<RunOnceOutcome<T>> {
  const key = runKey(opts.fn, opts.timer);
  const claim = await claimRun(opts, key);
  if (claim.kind === 'done') {
    opts.logger?.info({ key }, 'timer run already completed: returning its recorded result');
    return { result: claim.result as T, replayed: true };
  }
  let result: T;
  try {
    result = await run();
  } catch (error) {
    await settle(opts, key, claim.value, { state: 'failed', error: error instanceof Error ? error.message : String(error) }).catch(() => false);
    throw error;
  }
  if (!(await settle(opts, key, claim.value, { state: 'done', result }))) {
    opts.logger?.warn({ key, runner: opts.runner }, 'timer run finished after another invocation took over its claim; its result is not recorded');
  }
  return { result, replayed: false };
}

async function claimRun(opts: RunOnceOptions, key: string): Promise<Claim> {
  for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
    const claim = await opts.store.tx(async (tx): Promise<Claim | null> => {
      const current = await tx.getCache(key);
      const record = current === null ? null : parseRecord(current);
      if (record?.state === 'done') return { kind: 'done', result: record.result };
      if (record?.state === 'running') {
        const age = opts.clock.now().getTime() - Date.parse(record.claimedAt);
        if (!(age > opts.timeoutSeconds * 1000 + GRACE_MS)) {
          throw new RampartsError(
            'RUN_IN_PROGRESS',
            `timer run ${key} is in progress (claimed by ${record.runner} at ${record.claimedAt}); FC retries this invocation later, and a claim older than the function timeout (${opts.timeoutSeconds} s) is taken over`,
          );
        }
        opts.logger?.warn({ key, runner: record.runner, claimedAt: record.claimedAt }, 'taking over a timer run whose invocation ended without finishing');
      }
      const value = JSON.stringify({ state: 'running', runner: opts.runner, claimedAt: opts.clock.now().toISOString() } satisfies RunRecord);
      // Compare-and-set against what was read: of two invocations reading the same record, one wins.
      return (await tx.compareAndSetCache(key, current, value)) ? { kind: 'claimed', value } : null;
    });
    if (claim) return claim;
  }
  throw new RampartsError('RUN_IN_PROGRESS', `timer run ${key} is being claimed by other invocations at the same time; FC retries this one later`);
}

/** Moves the claim from running to done or failed; false when it is no longer ours. */
async function settle(
  opts: RunOnceOptions,
  key: string,
  claimed: string,
  end: { state: 'done'; result: unknown } | { state: 'failed'; error: string },
): Promise<boolean> {
  const { runner, claimedAt } = JSON.parse(claimed) as { runner: string; claimedAt: string };
  const at = opts.clock.now().toISOString();
  const record: RunRecord =
    end.state === 'done' ? { state: 'done', runner, claimedAt, finishedAt: at, result: end.result } : { state: 'failed', runner, claimedAt, failedAt: at, error: end.error };
  return opts.store.tx((tx) => tx.compareAndSetCache(key, claimed, JSON.stringify(record)));
}

/** A record this code did not write (hand-edited, older format) counts as a failed run: run again. */
function parseRecord(value: string): RunRecord | null {
  try {
    const parsed = JSON.parse(value) as Partial<RunRecord> | null;
    if (parsed && (parsed.state === 'done' || parsed.state === 'running' || parsed.state === 'failed') && typeof parsed.claimedAt === 'string' && !Number.isNaN(Date.parse(parsed.claimedAt))) return parsed as RunRecord;
  } catch {
    // fall through
  }
  return null;
}
