/**
 * Executes notify effects at the edge: one new message per recipient per run (kinds merged), every
 * existing message of a changed task re-rendered in place, notices to the security channel. Chat
 * failures are reported, never thrown: the state change is already committed and the next run
 * (reminders, updates) catches up.
 */
import type { SecurityNotice } from '../chat/port.js';
import { answerersFor } from '../people/relations.js';
import type { MessageRef, StoreTx } from '../store/port.js';
import { newId, type ReviewDeps } from './deps.js';
import type { TaskEntry } from './status.js';
import type { ReviewTask, TaskEffect } from './types.js';
import { buildPromptView } from './view.js';

type Notify = Extract<TaskEffect, { type: 'notify' }>;
type PostKind = MessageRef['kind'];

/** When one recipient gets several kinds in one run, the message is introduced as the most urgent. */
const PRECEDENCE: readonly PostKind[] = ['escalation', 'approval', 'attestation', 'reminder', 'prompt'];

export interface Outbox {
  /** Recipient person id → what to post to them. */
  posts: Map<string, { kinds: Set<PostKind>; taskIds: Set<string> }>;
  /** Tasks whose existing messages must be re-rendered. */
  updates: Set<string>;
  notices: SecurityNotice[];
}

export interface DeliveryReport {
  posted: number;
  updated: number;
  notices: number;
  failures: Array<{ to: string; error: string }>;
}

export function createOutbox(): Outbox {
  return { posts: new Map(), updates: new Set(), notices: [] };
}

/** Files a transition's notify effects; a task that changed state has its cards updated too. */
export function collect(outbox: Outbox, before: ReviewTask | null, after: ReviewTask, effects: readonly TaskEffect[], deps: Pick<ReviewDeps, 'directory' | 'policy'>): void {
  if (before && before.state !== after.state) outbox.updates.add(after.id);
  for (const effect of effects.filter((e): e is Notify => e.type === 'notify')) {
    if (effect.kind === 'update') outbox.updates.add(after.id);
    else if (effect.kind === 'security') {
      outbox.notices.push({ title: after.finding.title, text: effect.note ?? after.finding.evidence.summary, severity: after.severity });
    } else {
      for (const id of answerersFor(effect.to, deps.directory, deps.policy.securityGroup)) {
        const post = outbox.posts.get(id) ?? { kinds: new Set<PostKind>(), taskIds: new Set<string>() };
        post.kinds.add(effect.kind);
        post.taskIds.add(after.id);
        outbox.posts.set(id, post);
      }
    }
  }
}

async function entries(tx: StoreTx, ids: Iterable<string>): Promise<TaskEntry[]> {
  const out: TaskEntry[] = [];
  for (const id of new Set(ids)) {
    const task = await tx.getTask(id);
    if (!task) continue;
    const decisions = await tx.listDecisions(id);
    const lastDecision = [...decisions].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0)).at(-1) ?? null;
    out.push({ task, lastDecision });
  }
  return out;
}

function failure(to: string, error: unknown): { to: string; error: string } {
  return { to, error: error instanceof Error ? error.message : String(error) };
}

/** Re-renders every message (on this platform) that carries one of the changed tasks. */
async function updateMessages(deps: ReviewDeps, taskIds: Iterable<string>, report: DeliveryReport): Promise<void> {
  const refs = new Map<string, MessageRef>();
  await deps.store.tx(async (tx) => {
    for (const id of taskIds) for (const ref of await tx.messagesForTask(id)) refs.set(ref.id, ref);
  });
  for (const ref of refs.values()) {
    const recipient = deps.directory.byId(ref.recipient);
    if (!recipient || ref.platform !== deps.chat.platform) continue;
    try {
      const items = await deps.store.tx((tx) => entries(tx, ref.taskIds));
      await deps.chat.updatePrompt({ channel: ref.channel, messageKey: ref.messageKey }, buildPromptView(deps, ref.kind, recipient, items));
      await deps.store.tx((tx) => tx.upsertMessage({ ...ref, updatedAt: deps.clock.now().toISOString() }));
      report.updated += 1;
    } catch (error) {
      report.failures.push(failure(ref.recipient, error));
    }
  }
}

/**
 * Delivers the outbox: updates first (so a card posted now is not re-rendered straight away), then
 * one message per recipient, then security notices. `expand` lets a scan add the recipient's other
 * pending tasks to their prompt.
 */
export async function deliver(
  deps: ReviewDeps,
  outbox: Outbox,
  expand?: (tx: StoreTx, recipientId: string, kind: PostKind) => Promise<string[]>,
): Promise<DeliveryReport> {
  const report: DeliveryReport = { posted: 0, updated: 0, notices: 0, failures: [] };
  await updateMessages(deps, outbox.updates, report);
  for (const [recipientId, post] of [...outbox.posts].sort(([a], [b]) => a.localeCompare(b))) {
    const recipient = deps.directory.byId(recipientId);
    const kind = PRECEDENCE.find((k) => post.kinds.has(k));
    if (!recipient || !kind) continue;
    try {
      const items = await deps.store.tx(async (tx) => entries(tx, [...post.taskIds, ...(expand ? await expand(tx, recipientId, kind) : [])]));
      if (items.length === 0) continue;
      const where = await deps.chat.postPrompt(buildPromptView(deps, kind, recipient, items));
      const at = deps.clock.now().toISOString();
      const ref: MessageRef = { id: newId(deps), platform: deps.chat.platform, recipient: recipientId, ...where, taskIds: items.map((e) => e.task.id), kind, createdAt: at, updatedAt: at };
      await deps.store.tx((tx) => tx.upsertMessage(ref));
      report.posted += 1;
    } catch (error) {
      report.failures.push(failure(recipientId, error));
    }
  }
  for (const notice of outbox.notices) {
    try {
      await deps.chat.notifySecurity(notice);
      report.notices += 1;
    } catch (error) {
      report.failures.push(failure('security', error));
    }
  }
  return report;
}
