import type { Finding } from '../domain/finding.js';
import type { RemediationPlan } from '../domain/remediation.js';
import type { Decision, ReviewTask, TaskState } from '../review/types.js';

/** One scan run, as recorded. */
export interface ScanRecord {
  id: string;
  accountId: string;
  startedAt: string;
  finishedAt: string;
  partial: boolean;
  findingCount: number;
  apiCalls: number;
}

/** A finding across scans, keyed by fingerprint. */
export interface FindingRecord {
  fingerprint: string;
  rule: string;
  finding: Finding;
  firstSeen: string;
  lastSeen: string;
  /** `open` while the latest scan reports it; `gone` when a complete scan no longer does. */
  status: 'open' | 'gone';
}

/** Where a prompt was posted, so it can be updated in place when any of its tasks changes. */
export interface MessageRef {
  id: string;
  platform: 'slack' | 'dingtalk' | 'console';
  /** Person id of the recipient. */
  recipient: string;
  /** Slack: channel id + ts; DingTalk: outTrackId; console: a local id. */
  channel: string | null;
  messageKey: string;
  taskIds: string[];
  kind: 'prompt' | 'reminder' | 'escalation' | 'attestation' | 'approval';
  createdAt: string;
  updatedAt: string;
}

/** A waiver silences one finding (by fingerprint) until it expires. */
export interface Waiver {
  fingerprint: string;
  reason: string;
  /** Person id who owns the waiver decision. */
  owner: string;
  createdAt: string;
  expiresAt: string | null;
}

/** An entry to append; seq, prev_hash and hash are assigned by the store. */
export interface AuditInput {
  at: string;
  /** Person id, "system", or "scan". */
  actor: string;
  /** e.g. "task.opened", "decision.recorded", "task.resolved". */
  action: string;
  /** What it is about: a task id, fingerprint, or "account:<id>". */
  subject: string;
  data: Record<string, unknown>;
}

export interface AuditEntry extends AuditInput {
  seq: number;
  prevHash: string;
  hash: string;
}

export interface TaskFilter {
  states?: TaskState[];
  assignee?: string;
  rule?: string;
  limit?: number;
}

/** Where an execution of an approved plan stands (shared/remediation). */
export const EXECUTION_STATES = ['pending', 'applying', 'applied', 'observed', 'refused', 'failed', 'drift', 'rolled_back'] as const;
export type ExecutionState = (typeof EXECUTION_STATES)[number];

/** Per step: pending → intent (written before the RAM call) → done (after the read-back), or refused / failed; rolled_back after its inverse. */
export type StepStatus = 'pending' | 'intent' | 'done' | 'refused' | 'failed' | 'rolled_back';

export interface StepRecord {
  status: StepStatus;
  intentAt: string | null;
  doneAt: string | null;
  /** The live state read just before acting (JSON, per action). */
  observed: Record<string, unknown> | null;
  /** The live state read back after the call. */
  verified: Record<string, unknown> | null;
  error: string | null;
  /** Observe mode: what would have been called. */
  wouldApply?: string | null;
  note?: string | null;
  rollbackIntentAt?: string | null;
  rolledBackAt?: string | null;
}

/** One approved plan being applied (table plan_executions). */
export interface PlanExecution {
  id: string;
  /** The review task it was approved on; at most one live (pending/applying/observed/applied) per task. */
  taskId: string;
  plan: RemediationPlan;
  state: ExecutionState;
  mode: 'observe' | 'enforce';
  /** Same length and order as plan.steps. */
  steps: StepRecord[];
  /** Why it ended refused / failed / drift. */
  error: string | null;
  /** Compare-and-set counter. */
  version: number;
  claimedBy: string | null;
  leaseUntil: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A runner taking an execution: allowed from `from` states, or from `applying` once the holder's lease has passed. */
export interface ExecutionClaim {
  runner: string;
  mode: PlanExecution['mode'];
  at: string;
  leaseUntil: string;
  from: ExecutionState[];
}

/** Operations inside one transaction. Every state change appends its audit entry in the same one. */
export interface StoreTx {
  recordScan(scan: ScanRecord): Promise<void>;
  upsertFinding(record: FindingRecord): Promise<void>;
  getFinding(fingerprint: string): Promise<FindingRecord | null>;
  listFindings(status?: FindingRecord['status']): Promise<FindingRecord[]>;

  insertTask(task: ReviewTask): Promise<void>;
  getTask(id: string): Promise<ReviewTask | null>;
  getTaskByFingerprint(fingerprint: string): Promise<ReviewTask | null>;
  listTasks(filter?: TaskFilter): Promise<ReviewTask[]>;
  /**
   * Compare-and-set: writes `task` (with version = expectedVersion + 1) only if the stored version is
   * still `expectedVersion`. Returns false when someone else changed it first (nothing written).
   */
  updateTask(task: ReviewTask, expectedVersion: number): Promise<boolean>;

  insertDecision(decision: Decision): Promise<void>;
  listDecisions(taskId: string): Promise<Decision[]>;

  upsertMessage(ref: MessageRef): Promise<void>;
  messagesForTask(taskId: string): Promise<MessageRef[]>;

  upsertWaiver(waiver: Waiver): Promise<void>;
  getWaiver(fingerprint: string): Promise<Waiver | null>;

  insertExecution(execution: PlanExecution): Promise<void>;
  getExecution(id: string): Promise<PlanExecution | null>;
  /** The task's latest execution (a task approved again after drift or a rollback has several). */
  getExecutionByTask(taskId: string): Promise<PlanExecution | null>;
  /** Oldest first. */
  listExecutions(filter?: { states?: ExecutionState[]; taskId?: string; limit?: number }): Promise<PlanExecution[]>;
  /**
   * Compare-and-set claim: moves the execution to `applying` held by `claim.runner` until
   * `claim.leaseUntil`, only if its version is still `expectedVersion` and it is in one of
   * `claim.from` (or `applying` with a lease that has passed at `claim.at`). Returns the claimed
   * execution (version + 1), or null when someone else has it.
   */
  claimExecution(id: string, expectedVersion: number, claim: ExecutionClaim): Promise<PlanExecution | null>;
  /** Compare-and-set: writes `execution` with version = expectedVersion + 1 only if still at expectedVersion. */
  updateExecution(execution: PlanExecution, expectedVersion: number): Promise<boolean>;

  /** Appends to the hash-chained ledger; concurrent appenders are serialised by the store. */
  appendAudit(entry: AuditInput): Promise<AuditEntry>;

  /** Small key/value cache (e.g. Slack ids looked up by email). */
  getCache(key: string): Promise<string | null>;
  setCache(key: string, value: string): Promise<void>;
  /**
   * Compare-and-set on one cache key: writes `value` only if the stored value is still `expected`
   * (`null`: the key is absent). Returns false, writing nothing, when it is not. Atomic against
   * concurrent callers on both adapters (one statement), so it can claim a key (shared/fc/run-once.ts).
   */
  compareAndSetCache(key: string, expected: string | null, value: string): Promise<boolean>;
}

/** The Store port: PostgreSQL (`pg`) in production, PGlite embedded; one contract suite for both. */
export interface Store {
  readonly kind: 'postgres' | 'pglite';
  /** Applies pending migrations (idempotent; recorded in schema_migrations). */
  migrate(): Promise<void>;
  /** Runs `fn` in one transaction; a throw rolls everything back, ledger entries included. */
  tx<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  /** Reads the whole ledger in seq order (for verification and evidence export). */
  readAudit(fromSeq?: number): AsyncIterable<AuditEntry>;
  close(): Promise<void>;
}
