import { randomUUID } from 'node:crypto';
import { RampartsError } from '../errors.js';
import type { RemediationPlan } from '../domain/remediation.js';
import type { PlanExecution, StepRecord, Store, StoreTx } from '../store/port.js';

/** Another runner changed the execution under us (its lease was taken over): stop touching it. */
export class LostClaimError extends RampartsError {
  constructor(id: string) {
    super('REMEDIATION_CONFLICT', `plan execution ${id} was changed by another runner; this run stops working on it`);
  }
}

export function emptyStep(): StepRecord {
  return { status: 'pending', intentAt: null, doneAt: null, observed: null, verified: null, error: null };
}

/** Executions that hold a task: a second approval of the same task returns the one already here. */
const LIVE: PlanExecution['state'][] = ['pending', 'applying', 'observed', 'applied'];

/**
 * Records an approved plan to be executed (state pending), with its ledger entry. At most one live
 * execution per task: recording a task that already has one returns it (the store's partial unique
 * index holds the same line against concurrent writers). After drift, refusal, failure or rollback a
 * new approval gets a new execution.
 */
export async function createExecution(
  store: Store,
  input: { taskId: string; plan: RemediationPlan; mode?: PlanExecution['mode']; id?: string; actor?: string; now: Date },
): Promise<PlanExecution> {
  return store.tx((tx) => recordExecution(tx, input));
}

/** {@link createExecution} inside the caller's transaction (the approval that makes it, for one). */
export async function recordExecution(
  tx: StoreTx,
  input: { taskId: string; plan: RemediationPlan; mode?: PlanExecution['mode']; id?: string; actor?: string; now: Date },
): Promise<PlanExecution> {
  const existing = await tx.getExecutionByTask(input.taskId);
  if (existing && LIVE.includes(existing.state)) return existing;
  const at = input.now.toISOString();
  const execution: PlanExecution = {
    id: input.id ?? `exec-${randomUUID()}`,
    taskId: input.taskId,
    plan: input.plan,
    state: 'pending',
    mode: input.mode ?? 'observe',
    steps: input.plan.steps.map(emptyStep),
    error: null,
    version: 1,
    claimedBy: null,
    leaseUntil: null,
    createdAt: at,
    updatedAt: at,
  };
  await tx.insertExecution(execution);
  await tx.appendAudit({
    at,
    actor: input.actor ?? 'system',
    action: 'remediation.execution.created',
    subject: input.taskId,
    data: { executionId: execution.id, summary: input.plan.summary, steps: input.plan.steps.map((s) => s.action) },
  });
  return execution;
}

/**
 * The execution as one runner holds it: every change is a compare-and-set on its version, written
 * together with its ledger entry in one transaction.
 */
export class ExecutionSession {
  constructor(
    private readonly store: Store,
    public current: PlanExecution,
    private readonly actor: string,
  ) {}

  async save(
    change: (e: PlanExecution) => PlanExecution,
    audit: { at: Date; action: string; data: Record<string, unknown> },
  ): Promise<PlanExecution> {
    const at = audit.at.toISOString();
    const next = { ...change(structuredClone(this.current)), updatedAt: at };
    const expected = this.current.version;
    const ok = await this.store.tx(async (tx) => {
      if (!(await tx.updateExecution(next, expected))) return false;
      await tx.appendAudit({ at, actor: this.actor, action: audit.action, subject: next.taskId, data: { executionId: next.id, ...audit.data } });
      return true;
    });
    if (!ok) throw new LostClaimError(next.id);
    this.current = { ...next, version: expected + 1 };
    return this.current;
  }

  /** Changes step `i` (and optionally the execution). */
  saveStep(
    i: number,
    patch: Partial<StepRecord>,
    audit: { at: Date; action: string; data: Record<string, unknown> },
    exec: Partial<Pick<PlanExecution, 'state' | 'error' | 'leaseUntil'>> = {},
  ): Promise<PlanExecution> {
    return this.save((e) => {
      const steps = e.steps.map((s, j) => (j === i ? { ...s, ...patch } : s));
      return { ...e, ...exec, steps };
    }, { ...audit, data: { step: i, ...audit.data } });
  }
}
