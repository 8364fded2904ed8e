/**
 * The frame every timer function runs its one use case in: event → trigger time (checked), config and
 * chat secrets (checked before the store is opened or the cloud is called), logger, workflow on the
 * configured store, the run claimed once per trigger (run-once.ts), the store always closed.
 */
import type { Clock } from '../clock.js';
import { staticCredential } from '../cloud/clients.js';
import type { CredentialClient } from '../cloud/sdk.js';
import { loadConfig, readChatSecrets, type Config } from '../config/index.js';
import { RampartsError } from '../errors.js';
import { createLogger, type Logger } from '../logger.js';
import { ALL_RULES } from '../rules/registry.js';
import { createWorkflow, type Workflow } from '../workflow.js';
import { runOnce } from './run-once.js';
import { isTimerEvent, parseEvent, type FcContext, type FcTimerEvent } from './types.js';

/** What the use case gets. */
export interface TimerJobEnv {
  config: Config;
  logger: Logger;
  workflow: Workflow;
  /** The trigger time (the wall clock for a manual invocation without one). */
  now: Date;
  clock: Clock;
  /** Signs cloud calls with the invocation's role credentials (they rotate: read per invocation). */
  credential: CredentialClient;
  /** `fc-<requestId>`: who holds the run's claim and the executor's plan claims. */
  runner: string;
  /** The timer event (null for a manual invocation without one): its payload says which job to run. */
  timer: FcTimerEvent | null;
}

export interface TimerJob {
  /** Short function name, part of the run key: `scan`, `remind`, `apply`. */
  fn: string;
  event: Buffer | string | object;
  context: FcContext;
  /**
   * `pinned`: "now" stays at the trigger time, so a rerun judges ages the same way (scan, remind).
   * `moving`: starts at the trigger time and moves with the wall clock (apply renews leases from it).
   */
  clock: 'pinned' | 'moving';
}

/** The event's timer fields and the run's start time; a timer event without a valid triggerTime is refused. */
export function triggerOf(event: Buffer | string | object, wallClock: Clock): { timer: FcTimerEvent | null; at: Date } {
  const parsed = parseEvent<unknown>(event);
  if (!isTimerEvent(parsed)) return { timer: null, at: wallClock.now() };
  const at = new Date(parsed.triggerTime);
  if (Number.isNaN(at.getTime())) throw new RampartsError('BAD_EVENT', `timer event triggerTime "${String(parsed.triggerTime)}" is not an ISO-8601 time`);
  return { timer: parsed, at };
}

/** Runs `useCase` for one timer invocation and returns its result (or a completed run's recorded one). */
export async function runTimerJob<T>(job: TimerJob, useCase: (env: TimerJobEnv) => Promise<T>): Promise<T> {
  // The composition root: the only place the system clock is read.
  const wallClock: Clock = { now: () => new Date() };
  const started = Date.now();
  const { timer, at } = triggerOf(job.event, wallClock);
  const clock: Clock = job.clock === 'pinned' ? { now: () => at } : { now: () => new Date(at.getTime() + (Date.now() - started)) };

  const config = await loadConfig({ env: process.env, cwd: process.cwd(), rules: ALL_RULES });
  readChatSecrets(config, process.env);
  const logger = createLogger(config.logLevel);
  const { accessKeyId, accessKeySecret, securityToken } = job.context.credentials;
  const credential = staticCredential(accessKeyId, accessKeySecret, securityToken);
  const runner = `fc-${job.context.requestId}`;

  const workflow = await createWorkflow({ config, env: process.env, logger, clock });
  try {
    const run = () => useCase({ config, logger, workflow, now: at, clock, credential, runner, timer });
    if (!timer) return await run();
    const once = { store: workflow.store, fn: job.fn, timer, runner, timeoutSeconds: job.context.function.timeout, clock: wallClock, logger };
    return (await runOnce(once, run)).result;
  } finally {
    await workflow.close();
  }
}
