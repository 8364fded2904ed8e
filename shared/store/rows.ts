import type { Finding } from '../domain/finding.js';
import type { Decision, ReviewTask } from '../review/types.js';
import type { RemediationPlan } from '../domain/remediation.js';
import type { AuditEntry, ExecutionState, FindingRecord, MessageRef, PlanExecution, ScanRecord, StepRecord, Waiver } from './port.js';

/*
 * Row ↔ record mapping. Instants are TIMESTAMPTZ and come back as `Date.toISOString()` (UTC, ms), so
 * ISO strings in that form round-trip exactly; documents (finding, task, audit data) are JSONB and
 * keep their strings verbatim. BIGINT arrives as a string from `pg` and a number from PGlite.
 */

/** A timestamp column as an ISO string. */
export function iso(value: unknown): string {
  const d = value instanceof Date ? value : new Date(String(value));
  return d.toISOString();
}

/** A nullable timestamp column as an ISO string or null. */
export function isoOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : iso(value);
}

/** A `scans` row. */
export interface ScanRow {
  id: string;
  account_id: string;
  started_at: unknown;
  finished_at: unknown;
  partial: boolean;
  finding_count: number;
  api_calls: number;
}

/** ScanRecord from its row (there is no getter on the port; tests and reports read it raw). */
export function rowToScan(r: ScanRow): ScanRecord {
  return {
    id: r.id,
    accountId: r.account_id,
    startedAt: iso(r.started_at),
    finishedAt: iso(r.finished_at),
    partial: r.partial,
    findingCount: Number(r.finding_count),
    apiCalls: Number(r.api_calls),
  };
}

/** A `findings` row. */
export interface FindingRow {
  fingerprint: string;
  rule: string;
  finding: Finding;
  first_seen: unknown;
  last_seen: unknown;
  status: FindingRecord['status'];
}

/** FindingRecord from its row. */
export function rowToFinding(r: FindingRow): FindingRecord {
  return { fingerprint: r.fingerprint, rule: r.rule, finding: r.finding, firstSeen: iso(r.first_seen), lastSeen: iso(r.last_seen), status: r.status };
}

/** The two `review_tasks` columns a task is read from. */
export interface TaskRow {
  version: number | string;
  task: Omit<ReviewTask, 'version'>;
}

/** The task document stored in `review_tasks.task`: everything but `version`, which is its own column. */
export function taskDocument(task: ReviewTask): string {
  const { version: _version, ...doc } = task;
  return JSON.stringify(doc);
}

/** ReviewTask from its document, with the version column as the authority. */
export function rowToTask(r: TaskRow): ReviewTask {
  return { ...r.task, version: Number(r.version) };
}

/** A `decisions` row. */
export interface DecisionRow {
  id: string;
  task_id: string;
  action: Decision['action'];
  actor: string;
  reason: string | null;
  until: string | null;
  at: unknown;
  via: Decision['via'];
}

/** Decision from its row. */
export function rowToDecision(r: DecisionRow): Decision {
  return { id: r.id, taskId: r.task_id, action: r.action, actor: r.actor, reason: r.reason, until: r.until, at: iso(r.at), via: r.via };
}

/** A `chat_messages` row. */
export interface MessageRow {
  id: string;
  platform: MessageRef['platform'];
  recipient: string;
  channel: string | null;
  message_key: string;
  task_ids: string[];
  kind: MessageRef['kind'];
  created_at: unknown;
  updated_at: unknown;
}

/** MessageRef from its row. */
export function rowToMessage(r: MessageRow): MessageRef {
  return {
    id: r.id,
    platform: r.platform,
    recipient: r.recipient,
    channel: r.channel,
    messageKey: r.message_key,
    taskIds: r.task_ids,
    kind: r.kind,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

/** A `waivers` row. */
export interface WaiverRow {
  fingerprint: string;
  reason: string;
  owner: string;
  created_at: unknown;
  expires_at: unknown;
}

/** Waiver from its row. */
export function rowToWaiver(r: WaiverRow): Waiver {
  return { fingerprint: r.fingerprint, reason: r.reason, owner: r.owner, createdAt: iso(r.created_at), expiresAt: isoOrNull(r.expires_at) };
}

/** An `audit_ledger` row. */
export interface AuditRow {
  seq: number | string;
  at: unknown;
  actor: string;
  action: string;
  subject: string;
  data: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

/** AuditEntry from its row. */
export function rowToAudit(r: AuditRow): AuditEntry {
  return { seq: Number(r.seq), at: iso(r.at), actor: r.actor, action: r.action, subject: r.subject, data: r.data, prevHash: r.prev_hash, hash: r.hash };
}

/** A `plan_executions` row. */
export interface ExecutionRow {
  id: string;
  task_id: string;
  plan: RemediationPlan;
  state: ExecutionState;
  mode: PlanExecution['mode'];
  steps: StepRecord[];
  error: string | null;
  version: number | string;
  claimed_by: string | null;
  lease_until: unknown;
  created_at: unknown;
  updated_at: unknown;
}

/** PlanExecution from its row. */
export function rowToExecution(r: ExecutionRow): PlanExecution {
  return {
    id: r.id,
    taskId: r.task_id,
    plan: r.plan,
    state: r.state,
    mode: r.mode,
    steps: r.steps,
    error: r.error,
    version: Number(r.version),
    claimedBy: r.claimed_by,
    leaseUntil: isoOrNull(r.lease_until),
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}
