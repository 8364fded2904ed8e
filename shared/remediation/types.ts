import type { CloudClients } from '../cloud/clients.js';
import type { PlanExecution, Store } from '../store/port.js';
import type { ProtectedPrincipals } from './protected.js';

/** Thrown when a plan changes a member account and the run has no way to act there. */
export class NoMemberAccessError extends Error {
  readonly code = 'NO_MEMBER_ACCESS';
}

/** The clients that act in the account a plan changes: the run's own, or the member's (its apply role). */
export async function clientsForPlan(deps: Pick<ExecutorDeps, 'clients' | 'clientsFor'>, plan: { account?: string }): Promise<CloudClients> {
  if (plan.account === undefined) return deps.clients;
  if (!deps.clientsFor) {
    throw new NoMemberAccessError(
      `the plan changes member account ${plan.account}, but this run acts only in its own account: set accounts.mode to list or resource-directory so apply assumes the member's apply role (accounts.applyRoleName)`,
    );
  }
  return deps.clientsFor(plan.account);
}

/** Test hooks: a throw here stands for the process dying at that point (nothing is recorded). */
export interface ExecutorHooks {
  beforeWrite?(at: { execution: PlanExecution; step: number }): void | Promise<void>;
  afterWrite?(at: { execution: PlanExecution; step: number }): void | Promise<void>;
  beforeVerify?(at: { execution: PlanExecution; step: number }): void | Promise<void>;
}

export interface ExecutorDeps {
  store: Store;
  clients: CloudClients;
  /**
   * Clients that act in member account `accountId` (the member's apply role, assumed through STS), for
   * plans whose `account` is set. Absent (a single-account deployment): such plans are refused.
   */
  clientsFor?: (accountId: string) => Promise<CloudClients>;
  clock: { now(): Date };
  /** observe records what it would do and makes no write call; enforce applies. */
  mode: 'observe' | 'enforce';
  /** Blast radius: at most this many plans taken per run (remediation.maxRevocationsPerRun). */
  maxPerRun: number;
  protectedPrincipals: ProtectedPrincipals;
  /** remediation.deleteKeyAfterInactiveDays. */
  deleteKeyAfterInactiveDays: number;
  /** Ledger actor; default "system". */
  actor?: string;
  /** Who holds a claimed execution; default a random id per call. */
  runner?: string;
  /** How long a claim holds before another runner may take over (crash recovery); default 10 minutes. */
  leaseMs?: number;
  hooks?: ExecutorHooks;
}

/**
 * What happened to one execution in a run: applied / observed (observe mode) / drift (send the task
 * back to review) / refused (protected principal, unsupported action, delete-key conditions) /
 * failed / deferred (a cloud error; a later run resumes it) / busy (another runner holds it) /
 * over-limit (maxPerRun reached) / not-claimable (not in a state that runs).
 */
export type ExecutionOutcome = 'applied' | 'observed' | 'drift' | 'refused' | 'failed' | 'deferred' | 'busy' | 'over-limit' | 'not-claimable';

export interface ExecutionResult {
  executionId: string;
  taskId: string;
  outcome: ExecutionOutcome;
  reason?: string;
  /** Drift: what differed from what the approver saw. */
  differences?: string[];
  /** Write calls made by this run for this execution. */
  writes: number;
  /** Observe mode: the calls enforce mode would make. */
  wouldApply?: string[];
}

export interface RollbackResult {
  executionId: string;
  taskId: string;
  /** rolled_back: every selected step is back; observed: observe mode, nothing written. */
  outcome: 'rolled_back' | 'observed' | 'failed' | 'nothing-to-roll-back';
  steps: Array<{ step: number; action: string; outcome: 'rolled_back' | 'already' | 'would-roll-back' | 'failed'; reason?: string }>;
  writes: number;
}
