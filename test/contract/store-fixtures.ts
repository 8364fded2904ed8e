import { GENESIS_HASH } from '../../shared/audit/hash.js';
import { fingerprint, type Finding } from '../../shared/domain/finding.js';
import { plans } from '../../shared/domain/remediation.js';
import type { Decision, ReviewTask } from '../../shared/review/types.js';
import type { AuditInput, Store } from '../../shared/store/port.js';
import { isSqlStore, type SqlStore } from '../../shared/store/sql.js';

/** The contract suite needs the adapters' raw SQL hook (resets and tampering). */
export function sql(store: Store): SqlStore {
  if (!isSqlStore(store)) throw new Error(`store ${store.kind} has no rawQuery/readAuditHead test hooks`);
  return store;
}

/** Empties every table between tests; the append-only triggers are lifted for the TRUNCATE only. */
export async function resetStore(store: Store): Promise<void> {
  const db = sql(store);
  await db.rawQuery('ALTER TABLE audit_ledger DISABLE TRIGGER USER');
  try {
    await db.rawQuery('TRUNCATE scans, findings, decisions, review_tasks, chat_messages, waivers, audit_ledger, kv_cache, plan_executions');
  } finally {
    await db.rawQuery('ALTER TABLE audit_ledger ENABLE TRIGGER USER');
  }
  await db.rawQuery('UPDATE audit_head SET seq = 0, hash = $1 WHERE id = 1', [GENESIS_HASH]);
}

/** Runs statements as a superuser would after disabling the ledger's append-only trigger. */
export async function tamper(store: Store, ...statements: Array<[string, unknown[]?]>): Promise<void> {
  const db = sql(store);
  await db.rawQuery('ALTER TABLE audit_ledger DISABLE TRIGGER USER');
  try {
    for (const [text, params] of statements) await db.rawQuery(text, params);
  } finally {
    await db.rawQuery('ALTER TABLE audit_ledger ENABLE TRIGGER USER');
  }
}

export function makeFinding(n: number, over: Partial<Finding> = {}): Finding {
  const rule = over.rule ?? 'ram.access-key-stale';
  const subject = { type: 'accessKey' as const, id: `LTAI${n}`, name: `LTAI${n}`, user: `user-${n}` };
  return {
    rule,
    status: 'fail',
    severity: 'high',
    title: `access key LTAI${n} is 412 days old`,
    subject,
    evidence: { summary: 'active, 412 days old, last used yesterday (Ecs)', path: [`user:user-${n}`], ageDays: 412, lastUsed: '2026-11-26T08:00:00Z', nested: { é: 'ü', list: [1, 2.5, null, true] } },
    remediation: { summary: 'deactivate it', plan: plans.deactivateAccessKey(`user-${n}`, `LTAI${n}`) },
    fingerprint: fingerprint(rule, subject),
    partial: false,
    ...over,
  };
}

export function makeTask(n: number, over: Partial<ReviewTask> = {}): ReviewTask {
  const finding = makeFinding(n, over.finding ? { rule: over.finding.rule } : {});
  return {
    id: `task-${n}`,
    fingerprint: finding.fingerprint,
    finding,
    state: 'awaiting_owner',
    severity: 'high',
    ownership: { owner: { kind: 'person', id: 'alice' }, source: 'pattern', matched: 'build-*' },
    assignees: ['alice'],
    createdAt: `2026-11-0${1 + (n % 9)}T10:00:00.000Z`,
    updatedAt: '2026-11-20T10:00:00.000Z',
    dueAt: '2026-12-03T00:00:00.000Z',
    deadlineAt: null,
    snoozedUntil: null,
    remindersSent: ['2026-11-21T09:00:00.000Z'],
    version: 1,
    notes: [{ at: '2026-11-20T10:00:00.000Z', by: 'alice', text: 'looking — "quoted", ünïcode' }],
    ...over,
  };
}

export function makeDecision(taskId: string, over: Partial<Decision> = {}): Decision {
  return { id: `d-${taskId}-${Math.random().toString(36).slice(2)}`, taskId, action: 'keep', actor: 'alice', reason: 'build agent', until: null, at: '2026-11-22T10:00:00.000Z', via: 'slack', ...over };
}

export function auditInput(i: number, over: Partial<AuditInput> = {}): AuditInput {
  return { at: new Date(Date.UTC(2026, 10, 1) + i * 1000).toISOString(), actor: 'system', action: 'task.opened', subject: `task-${i}`, data: { i, tags: ['a', 'b'], z: { b: 1, a: 2 } }, ...over };
}
