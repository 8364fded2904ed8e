import { randomUUID } from 'node:crypto';
import { classifyError, isRetryable } from '../cloud/classify.js';
import type { CloudClients } from '../cloud/clients.js';
import { CloudError } from '../errors.js';
import type { ExecutionState, PlanExecution } from '../store/port.js';
import { protectedReason } from './protected.js';
import { ExecutionSession, LostClaimError } from './session.js';
import { handlerFor, type Observation, type StepContext } from './steps/index.js';
import { clientsForPlan, NoMemberAccessError, type ExecutionResult, type ExecutorDeps } from './types.js';

/** How long a claim holds by default before another runner may take the execution over. */
export const DEFAULT_LEASE_MS = 10 * 60_000;

/** A cloud failure that a later run may get past (throttling, 5xx, network). */
function transient(err: unknown): boolean {
  return isRetryable(classifyError(err instanceof CloudError && err.cause !== undefined ? err.cause : err));
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Applies approved plans (DESIGN "Remediation safety"). Per plan: claim it (compare-and-set, so one
 * runner at a time), refuse protected principals, then per step: intent → re-read the live state →
 * compare with what the approver saw (drift refuses, nothing written) → observe mode stops here →
 * one write call → read back → done. A rerun after a crash re-reads first and records done without
 * writing when the target state is already live. Errors other than cloud errors propagate (a crash:
 * the claim's lease lets a later run resume).
 *
 * @param ids executions to run; default every pending one (and, in enforce mode, observed ones),
 *   oldest first. At most `deps.maxPerRun` are taken.
 */
export async function applyApproved(deps: ExecutorDeps, ids?: string[]): Promise<ExecutionResult[]> {
  const from: ExecutionState[] = deps.mode === 'enforce' ? ['pending', 'observed'] : ['pending'];
  // Only enforce takes over an interrupted run: an observe run must never relabel a half-written execution.
  const takeOver: ExecutionState[] = deps.mode === 'enforce' ? ['applying'] : [];
  const candidates = (
    ids
      ? (await deps.store.tx(async (tx) => Promise.all(ids.map((id) => tx.getExecution(id))))).filter((e): e is PlanExecution => e !== null)
      : await deps.store.tx((tx) => tx.listExecutions({ states: [...from, ...takeOver] }))
  ).filter((e) => deps.mode === 'enforce' || (e.state !== 'applying' && !e.steps.some((st) => st.status === 'intent' || st.status === 'done')));
  const runner = deps.runner ?? `run-${randomUUID()}`;
  const results: ExecutionResult[] = [];
  let taken = 0;
  for (const candidate of candidates) {
    const base = { executionId: candidate.id, taskId: candidate.taskId, writes: 0 };
    if (taken >= deps.maxPerRun) {
      results.push({ ...base, outcome: 'over-limit', reason: `at most ${deps.maxPerRun} plans per run (remediation.maxRevocationsPerRun)` });
      continue;
    }
    const now = deps.clock.now();
    const leaseUntil = new Date(now.getTime() + (deps.leaseMs ?? DEFAULT_LEASE_MS)).toISOString();
    const claimed = await deps.store.tx(async (tx) => {
      const e = await tx.claimExecution(candidate.id, candidate.version, { runner, mode: deps.mode, at: now.toISOString(), leaseUntil, from });
      if (e) {
        const resumed = candidate.state === 'applying';
        await tx.appendAudit({
          at: now.toISOString(),
          actor: deps.actor ?? 'system',
          action: 'remediation.claimed',
          subject: e.taskId,
          data: { executionId: e.id, runner, mode: deps.mode, from: candidate.state, ...(resumed ? { resumedFrom: candidate.claimedBy } : {}) },
        });
      }
      return e;
    });
    if (!claimed) {
      results.push({ ...base, outcome: from.includes(candidate.state) || candidate.state === 'applying' ? 'busy' : 'not-claimable', reason: `state ${candidate.state}` });
      continue;
    }
    taken++;
    results.push(await runExecution(deps, claimed));
  }
  return results;
}

async function runExecution(deps: ExecutorDeps, execution: PlanExecution): Promise<ExecutionResult> {
  const s = new ExecutionSession(deps.store, execution, deps.actor ?? 'system');
  const result: ExecutionResult = { executionId: execution.id, taskId: execution.taskId, outcome: 'applied', writes: 0 };
  const now = () => deps.clock.now();
  const lease = () => new Date(now().getTime() + (deps.leaseMs ?? DEFAULT_LEASE_MS)).toISOString();
  const end = async (state: ExecutionState, outcome: ExecutionResult['outcome'], action: string, data: Record<string, unknown>, error: string | null = null) => {
    await s.save((e) => ({ ...e, state, error, leaseUntil: null }), { at: now(), action, data });
    return { ...result, outcome, ...(error ? { reason: error } : {}) };
  };

  try {
    // Blast radius first: nothing at all is read or written for a protected principal.
    for (const [i, step] of execution.plan.steps.entries()) {
      const h = handlerFor(step);
      const reason = protectedReason(h.principal(step), deps.protectedPrincipals) ?? h.refuse?.(step) ?? null;
      if (reason) {
        await s.saveStep(i, { status: 'refused', error: reason }, { at: now(), action: 'remediation.step.refused', data: { action: step.action, reason } });
        return await end('refused', 'refused', 'remediation.refused', { reason }, reason);
      }
    }

    // A member account's plan runs with that member's clients (its apply role), never with ours.
    let clients: CloudClients;
    try {
      clients = await clientsForPlan(deps, execution.plan);
    } catch (err) {
      if (err instanceof NoMemberAccessError) return await end('refused', 'refused', 'remediation.refused', { reason: err.message }, err.message);
      if (err instanceof CloudError && err.code === 'ASSUME_ROLE_FAILED') return await end('failed', 'failed', 'remediation.failed', { reason: err.message }, err.message);
      throw err;
    }

    const wouldApply: string[] = [];
    for (const [i, step] of execution.plan.steps.entries()) {
      const rec = s.current.steps[i];
      if (rec?.status === 'done') continue;
      const h = handlerFor(step);
      const ctx: StepContext = {
        clients,
        now: now(),
        deleteKeyAfterInactiveDays: deps.deleteKeyAfterInactiveDays,
        approvedAt: new Date(execution.createdAt),
      };
      const at = { execution: s.current, step: i };
      const resumed = rec?.status === 'intent';
      const enforce = deps.mode === 'enforce';

      if (enforce && !resumed) {
        await s.saveStep(i, { status: 'intent', intentAt: now().toISOString(), error: null }, {
          at: now(),
          action: 'remediation.step.intent',
          data: { action: step.action, call: h.describe(step), target: step.target, expect: step.expect },
        }, { leaseUntil: lease() });
      }

      const live = await h.read(ctx, step);
      if (resumed && h.applied(step, live)) {
        // The earlier run's write went through but was not recorded: record it, write nothing.
        await s.saveStep(i, { status: 'done', doneAt: now().toISOString(), observed: rec?.observed ?? null, verified: live, note: 'already applied when resumed; no second write' }, {
          at: now(),
          action: 'remediation.step.done',
          data: { action: step.action, verified: live, resumed: true },
        });
        continue;
      }

      const differences = h.differences(step, live, ctx);
      if (differences.length > 0) {
        const reason = `live state differs from what was approved: ${differences.join('; ')}`;
        const kind = step.action === 'delete-access-key' && live.exists === true && live.status === 'Inactive' ? 'refused' : 'drift';
        await s.saveStep(i, { status: 'refused', observed: live, error: reason }, {
          at: now(),
          action: kind === 'drift' ? 'remediation.drift' : 'remediation.step.refused',
          data: { action: step.action, expected: step.expect, observed: live, differences },
        });
        const ended = await end(kind, kind, kind === 'drift' ? 'remediation.drift.refused' : 'remediation.refused', { step: i, differences }, reason);
        return { ...ended, differences };
      }

      if (!enforce) {
        const call = h.describe(step);
        wouldApply.push(call);
        await s.saveStep(i, { observed: live, wouldApply: call }, { at: now(), action: 'remediation.step.would-apply', data: { action: step.action, call, observed: live } });
        continue;
      }

      await deps.hooks?.beforeWrite?.(at);
      let writeError: unknown = null;
      try {
        result.writes++;
        await h.apply(ctx, step);
      } catch (err) {
        writeError = err;
      }
      await deps.hooks?.afterWrite?.(at);

      let note: string | null = null;
      if (writeError !== null) {
        // The outcome of a failed write is unknown (a 5xx may come after the change): look.
        const after = await h.read(ctx, step);
        if (!h.applied(step, after)) {
          if (transient(writeError)) throw writeError;
          const reason = `${h.describe(step)} failed: ${message(writeError)}`;
          await s.saveStep(i, { status: 'failed', observed: live, verified: after, error: reason }, { at: now(), action: 'remediation.step.failed', data: { action: step.action, reason } });
          return await end('failed', 'failed', 'remediation.failed', { step: i, reason }, reason);
        }
        note = `the write answered "${message(writeError)}" but the live state shows it applied`;
      }

      await deps.hooks?.beforeVerify?.(at);
      const verified = await h.read(ctx, step);
      if (!h.applied(step, verified)) {
        const reason = `read-back after ${h.describe(step)} does not show the change: ${JSON.stringify(verified)}`;
        await s.saveStep(i, { status: 'failed', observed: live, verified, error: reason }, { at: now(), action: 'remediation.step.failed', data: { action: step.action, reason } });
        return await end('failed', 'failed', 'remediation.failed', { step: i, reason }, reason);
      }
      await s.saveStep(i, { status: 'done', doneAt: now().toISOString(), observed: live, verified, error: null, note }, {
        at: now(),
        action: 'remediation.step.done',
        data: { action: step.action, call: h.describe(step), observed: live, verified },
      });
    }

    if (deps.mode === 'observe') {
      const ended = await end('observed', 'observed', 'remediation.observed', { wouldApply });
      return { ...ended, wouldApply };
    }
    return await end('applied', 'applied', 'remediation.applied', { steps: execution.plan.steps.length });
  } catch (err) {
    if (err instanceof LostClaimError) return { ...result, outcome: 'busy', reason: err.message };
    if (!(err instanceof CloudError)) throw err;
    // A cloud error: release the execution so a later run resumes it (steps in intent re-read first).
    const reason = message(err);
    await s.save((e) => ({ ...e, state: 'pending', error: reason, leaseUntil: null }), { at: now(), action: 'remediation.deferred', data: { reason } });
    return { ...result, outcome: 'deferred', reason };
  }
}

export type { Observation };
