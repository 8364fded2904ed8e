/**
 * The scan function over many accounts. FC is the engine: the timer run (the dispatcher) resolves the
 * member accounts and queues one asynchronous invocation of the scan function per member (a worker);
 * each worker scans its member through the member's read-only role and syncs that member's review tasks.
 *
 * A worker's event is timer-shaped — the dispatcher's `triggerTime` and `triggerName#<accountId>` — so
 * run-once (run-once.ts) keys every member's run on its own: an FC retry of the dispatcher queues the
 * members again, and a member already scanned returns its recorded result instead of scanning twice.
 *
 * The event names only the account. The worker derives the role to assume from its own configuration
 * and refuses an account the configuration does not cover, so whoever can invoke the function cannot
 * make it assume an arbitrary role.
 */
import { z } from 'zod';
import { memberRoleArn, type Config } from '../config/index.js';
import { RampartsError } from '../errors.js';
import type { Logger } from '../logger.js';
import { resolveTargets, type ScanTarget } from '../scan/scan-accounts.js';
import type { CloudClients } from '../cloud/clients.js';
import type { AsyncInvoker } from './invoke-async.js';
import type { FcTimerEvent } from './types.js';

/** The scan job a timer payload or a worker event carries. */
export interface ScanJob {
  job: 'scan';
  /** Set on a worker's event: the member to scan. */
  account?: { id: string; name?: string };
}

const scanJobSchema = z.object({
  job: z.literal('scan', { error: 'must be "scan"' }),
  account: z
    .object({
      id: z.string().regex(/^\d{16}$/, { error: 'must be a 16-digit account id' }),
      name: z.string().min(1).max(128).optional(),
    })
    .optional(),
});

/**
 * The job in a timer event's payload. An empty payload (a manual run, or a trigger configured without
 * one) is the plain scan job; anything else must be the JSON the trigger and the dispatcher write.
 */
export function parseScanJob(payload: string | undefined): ScanJob {
  if (payload === undefined || payload.trim() === '') return { job: 'scan' };
  let raw: unknown;
  try {
    raw = JSON.parse(payload);
  } catch {
    throw new RampartsError('BAD_EVENT', `the timer payload is not JSON (${payload.length} chars): set the trigger's payload to {"job":"scan"}`);
  }
  const parsed = scanJobSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length > 0 ? `payload.${issue.path.join('.')}` : 'payload';
    throw new RampartsError('BAD_EVENT', `the timer ${where} ${issue.message}: the scan trigger's payload is {"job":"scan"}`);
  }
  return parsed.data;
}

/** The worker's event for one member: timer-shaped, keyed by the member's id. */
export function workerEvent(timer: Pick<FcTimerEvent, 'triggerTime' | 'triggerName'>, target: Pick<ScanTarget, 'accountId' | 'name'>): Buffer {
  const job: ScanJob = { job: 'scan', account: { id: target.accountId, name: target.name } };
  return Buffer.from(JSON.stringify({ triggerTime: timer.triggerTime, triggerName: `${timer.triggerName}#${target.accountId}`, payload: JSON.stringify(job) }));
}

/**
 * The target a worker scans, from the configuration alone (the role ARN is never taken from the event).
 * Refuses a single-account configuration, an account `list` mode does not list, and one the Resource
 * Directory mode excludes or does not include.
 */
export function workerTarget(config: Config, account: NonNullable<ScanJob['account']>): ScanTarget {
  const { accounts } = config;
  const member = accounts.members.find((m) => m.id === account.id);
  const refuse = (why: string) => new RampartsError('ACCOUNT_NOT_CONFIGURED', `refusing to scan account ${account.id}: ${why}`);
  if (accounts.mode === 'single') throw refuse('accounts.mode is single, so the scan function scans only its own account');
  if (accounts.mode === 'list' && !member) throw refuse('it is not in accounts.members');
  if (accounts.mode === 'resource-directory') {
    if (accounts.exclude.includes(account.id)) throw refuse('accounts.exclude names it');
    if (accounts.include.length > 0 && !accounts.include.includes(account.id)) throw refuse('accounts.include does not name it');
  }
  return { accountId: account.id, name: member?.name ?? account.name ?? account.id, roleArn: memberRoleArn(accounts, { id: account.id, roleArn: member?.roleArn }) };
}

/** What the dispatcher did: one line per member. */
export interface FanOutSummary {
  mode: 'fan-out';
  accountsMode: Config['accounts']['mode'];
  /** The members whose worker FC accepted. */
  invoked: Array<{ accountId: string; name: string; requestId?: string }>;
  /** The members whose worker could not be queued, with the reason. */
  failed: Array<{ accountId: string; name: string; error: string }>;
  /** Members left out on purpose (not active in the directory, unknown include ids). */
  notes: string[];
}

export interface FanOutDeps {
  /** Clients of the function's own role: ResourceManager ListAccounts in resource-directory mode. */
  clients: CloudClients;
  config: Config;
  timer: FcTimerEvent;
  /** The scan function's own name (context.function.name): the workers run in it. */
  functionName: string;
  invoker: AsyncInvoker;
  logger: Pick<Logger, 'info' | 'warn'>;
}

/**
 * Queues one worker per member. Every member is tried; if any could not be queued the run fails
 * (FAN_OUT_INCOMPLETE, after all the others were queued) so FC reports the invocation as failed and a
 * retry — which run-once lets through — queues the missing ones while the queued ones replay.
 */
export async function fanOut(deps: FanOutDeps): Promise<FanOutSummary> {
  const { targets, notes } = await resolveTargets(deps.clients, deps.config);
  const summary: FanOutSummary = { mode: 'fan-out', accountsMode: deps.config.accounts.mode, invoked: [], failed: [], notes };
  for (const t of targets) {
    try {
      const { requestId } = await deps.invoker.invokeAsync(deps.functionName, workerEvent(deps.timer, t));
      summary.invoked.push({ accountId: t.accountId, name: t.name, ...(requestId ? { requestId } : {}) });
    } catch (err) {
      summary.failed.push({ accountId: t.accountId, name: t.name, error: err instanceof Error ? err.message : String(err) });
    }
  }
  deps.logger.info({ fanOut: summary }, 'scan workers queued');
  if (summary.failed.length > 0) {
    const list = summary.failed.map((f) => `${f.name} (${f.accountId}): ${f.error}`).join('; ');
    throw new RampartsError('FAN_OUT_INCOMPLETE', `${summary.failed.length} of ${targets.length} member scans could not be queued — ${list}`);
  }
  return summary;
}
