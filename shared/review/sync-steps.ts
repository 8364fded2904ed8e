/** One compare-and-set transaction per task for the scan sync: load, apply the scan's events, write. */
import type { Finding } from '../domain/finding.js';
import type { Ownership } from '../people/types.js';
import type { StoreTx, Waiver } from '../store/port.js';
import type { newTaskCounter } from './counts.js';
import { newId, type ReviewDeps } from './deps.js';
import { transition } from './machine.js';
import { collect, type Outbox } from './outbox.js';
import { persist, withRetry, writeEffects } from './persist.js';
import { newTask } from './task.js';
import type { ReviewTask, TaskEffect, TaskEvent } from './types.js';

export interface SyncContext {
  deps: ReviewDeps;
  now: Date;
  outbox: Outbox;
  counter: ReturnType<typeof newTaskCounter>;
}

/** Applies events in order; one the table refuses is skipped (it does not apply in that state). */
export function applyAll(ctx: SyncContext, task: ReviewTask, events: readonly TaskEvent[]): { task: ReviewTask; effects: TaskEffect[] } {
  let current = task;
  const effects: TaskEffect[] = [];
  for (const event of events) {
    const result = transition(current, event, ctx.now, ctx.deps.policy, ctx.deps.directory);
    if (!result.ok) continue;
    current = result.task;
    effects.push(...result.effects);
  }
  return { task: current, effects };
}

/**
 * Runs `events(task)` on one task in its own transaction, retried once if another writer won the
 * compare-and-set. A step with no effects writes nothing.
 */
export async function stepTask(
  ctx: SyncContext,
  load: (tx: StoreTx) => Promise<ReviewTask | null>,
  events: (tx: StoreTx, task: ReviewTask) => Promise<TaskEvent[]>,
): Promise<void> {
  const written = await withRetry(() =>
    ctx.deps.store.tx(async (tx) => {
      const task = await load(tx);
      if (!task) return null;
      const { task: next, effects } = applyAll(ctx, task, await events(tx, task));
      if (effects.length === 0) return null;
      const stored = await persist(tx, task, next, effects, ctx.now, 'scan');
      return stored ? { before: task, task: stored, effects } : 'conflict';
    }),
  );
  if (!written || written === 'conflict') return;
  collect(ctx.outbox, written.before, written.task, written.effects, ctx.deps);
  ctx.counter.add(written.effects);
}

export function waiverActive(waiver: Waiver | null, now: Date): waiver is Waiver {
  return waiver !== null && (waiver.expiresAt === null || new Date(waiver.expiresAt).getTime() > now.getTime());
}

/** What a waiver (active or not) means for a task in its current state. */
export function waiverEvents(task: ReviewTask, waiver: Waiver | null, now: Date): TaskEvent[] {
  if (waiverActive(waiver, now)) {
    return task.state === 'waived' ? [] : [{ type: 'waived', by: waiver.owner, reason: waiver.reason, until: waiver.expiresAt }];
  }
  return task.state === 'waived' ? [{ type: 'waiver_expired' }] : [];
}

/** Records the finding (first/last seen) and opens a task for a new fingerprint, waived at once if covered. */
export async function openTask(ctx: SyncContext, tx: StoreTx, finding: Finding, ownership: Ownership): Promise<void> {
  const task = newTask({ id: newId(ctx.deps), finding, ownership, now: ctx.now, directory: ctx.deps.directory, policy: ctx.deps.policy });
  const waiver = await tx.getWaiver(finding.fingerprint);
  const opened: TaskEffect = {
    type: 'audit',
    action: 'task.opened',
    data: { to: 'open', rule: finding.rule, subject: finding.subject, severity: finding.severity, owner: ownership.owner, ownerSource: ownership.source, assignees: task.assignees },
  };
  const { task: final, effects } = applyAll(ctx, task, waiverEvents(task, waiver, ctx.now));
  await tx.insertTask(final);
  await writeEffects(tx, final, [opened, ...effects], ctx.now, 'scan');
  ctx.counter.add([opened, ...effects]);
}

/**
 * The findings table keeps first/last seen across scans, and whether the latest complete scan had it.
 * Returns the status it had before (null for a new fingerprint).
 */
export async function recordFinding(tx: StoreTx, finding: Finding, seenAt: string, status: 'open' | 'gone'): Promise<'open' | 'gone' | null> {
  const known = await tx.getFinding(finding.fingerprint);
  await tx.upsertFinding({
    fingerprint: finding.fingerprint,
    rule: finding.rule,
    finding: status === 'gone' && known ? known.finding : finding,
    firstSeen: known?.firstSeen ?? seenAt,
    lastSeen: status === 'gone' && known ? known.lastSeen : seenAt,
    status,
  });
  return known?.status ?? null;
}

/**
 * A finding that goes, or comes back, while its task is past review (kept, approved, applied, rejected,
 * rolled back…) changes no task, yet the ledger records it: the digest's trend and "resolved" counts
 * are rebuilt from the ledger, and an applied revocation is only remediated once its finding is gone.
 */
export async function recordPresence(tx: StoreTx, task: ReviewTask, change: 'gone' | 'returned', at: Date): Promise<void> {
  await tx.appendAudit({
    at: at.toISOString(),
    actor: 'scan',
    action: `finding.${change}`,
    subject: task.id,
    data: { fingerprint: task.fingerprint, rule: task.finding.rule, severity: task.severity, state: task.state },
  });
}
