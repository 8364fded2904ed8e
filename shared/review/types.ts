import type { Finding, Severity } from '../domain/finding.js';
import type { RemediationPlan } from '../domain/remediation.js';
import type { Ownership, OwnerRef } from '../people/types.js';
import type { SodVerdict } from '../sod/types.js';

/**
 * Review task states (DESIGN "Review workflow"). A revocation goes awaiting_approval → approved →
 * applied | failed (or back to awaiting_owner when the live state drifted); an applied revocation can
 * be rolled back: rollback_requested (approved like a revocation) → rollback_approved → rolled_back.
 */
export const TASK_STATES = [
  'open',
  'awaiting_owner',
  'snoozed',
  'escalated',
  'awaiting_attestation',
  'kept',
  'awaiting_approval',
  'approved',
  'rejected',
  'applied',
  'failed',
  'rollback_requested',
  'rollback_approved',
  'rolled_back',
  'resolved',
  'waived',
] as const;
export type TaskState = (typeof TASK_STATES)[number];

/** What an owner (or a manager standing in) can answer on a prompt. */
export const OWNER_ACTIONS = ['keep', 'revoke', 'snooze', 'not_mine'] as const;
export type OwnerAction = (typeof OWNER_ACTIONS)[number];

/** Manager answers on an attestation card (keep on a high/critical finding). */
export const ATTEST_ACTIONS = ['attest', 'decline'] as const;
export type AttestAction = (typeof ATTEST_ACTIONS)[number];

/** Approver answers on a revocation request (checked against separation of duties). */
export const APPROVAL_ACTIONS = ['approve', 'reject'] as const;
export type ApprovalAction = (typeof APPROVAL_ACTIONS)[number];

/** The owner asks to undo an applied revocation (restores access, so it is approved like one). */
export const ROLLBACK_ACTIONS = ['rollback'] as const;
export type RollbackAction = (typeof ROLLBACK_ACTIONS)[number];

export type TaskAction = OwnerAction | AttestAction | ApprovalAction | RollbackAction;
/** Every answer a button, callback or `ramparts decide` can carry. */
export const TASK_ACTIONS: readonly TaskAction[] = [...OWNER_ACTIONS, ...ATTEST_ACTIONS, ...APPROVAL_ACTIONS, ...ROLLBACK_ACTIONS];

/** Per-rule action when the deadline passes: it can only *request* a revocation, never apply one. */
export const DEADLINE_ACTIONS = ['request-revocation', 'escalate-to-security', 'none'] as const;
export type DeadlineAction = (typeof DEADLINE_ACTIONS)[number];

/** A review task: one per finding fingerprint (deduplicated), refreshed by each scan. */
export interface ReviewTask {
  id: string;
  fingerprint: string;
  /** The finding as last seen (evidence refreshed by every scan). */
  finding: Finding;
  state: TaskState;
  severity: Severity;
  ownership: Ownership;
  /** Person ids who may answer now (the owner's members, or the manager once escalated). */
  assignees: string[];
  createdAt: string;
  updatedAt: string;
  /** Answer due (set when the prompt is sent). */
  dueAt: string | null;
  /** Deadline action fires at this time (dueAt + grace). */
  deadlineAt: string | null;
  /** Snooze: the owner said "I'll fix it by". */
  snoozedUntil: string | null;
  /** Reminders already sent, as ISO times, to keep the cadence idempotent. */
  remindersSent: string[];
  /** Optimistic-lock version; every update is compare-and-set on it. */
  version: number;
  /** Free-text notes (not-mine note, decline reason), newest last. */
  notes: Array<{ at: string; by: string; text: string }>;
  /** Person ids who approved the open request (revocation or rollback) so far (privileged subjects need two). */
  approvals?: string[];
  /** The request waiting for approval, or last approved: who asked, why, and (rollback) which step. */
  request?: ChangeRequest | null;
  /** The execution of the approved plan (shared/remediation), once the apply job has reported on it. */
  execution?: TaskExecution | null;
}

export interface ChangeRequest {
  kind: 'revocation' | 'rollback';
  /** Person id, or "system" for the deadline action. */
  by: string;
  at: string;
  reason: string | null;
  /** Rollback of one plan step only (0-based); null = the whole plan. */
  step?: number | null;
  /** Revocation: the plan as the approvers' cards showed it; the execution runs exactly this. */
  plan?: RemediationPlan | null;
  /** Rollback: the state to return to when it is rejected or only part of the plan is undone. */
  from?: 'applied' | 'failed';
  /** Rollback: the apply run holding it (a lease, so concurrent runs never undo it twice). */
  claim?: { by: string; until: string } | null;
}

export interface TaskExecution {
  id: string;
  mode: 'observe' | 'enforce';
  /** When the plan was applied (enforce) — the rollback window counts from here. */
  appliedAt: string | null;
  /** Observe mode: the calls enforce mode would make. */
  wouldApply?: string[];
  rolledBackAt?: string | null;
}

/** An answer recorded on a task; attributable (who, when, via which channel). */
export interface Decision {
  id: string;
  taskId: string;
  action: TaskAction;
  /** Person id of the clicker. */
  actor: string;
  reason: string | null;
  /** Snooze target date. */
  until: string | null;
  at: string;
  via: 'slack' | 'dingtalk' | 'cli' | 'console' | 'system';
}

/** Events the pure transition table accepts. */
export type TaskEvent =
  | { type: 'prompted'; dueAt: string; deadlineAt: string }
  | { type: 'finding_seen'; finding: Finding }
  | { type: 'finding_gone' }
  | { type: 'finding_returned'; finding: Finding }
  | { type: 'waived'; by: string; reason: string; until: string | null }
  | { type: 'waiver_expired' }
  | { type: 'answer'; decision: Decision; actorIsOwner: boolean; actorIsManager: boolean; sod?: SodVerdict; step?: number | null }
  | { type: 'tick' }
  /** The apply job ran the task's execution to an end (shared/remediation). */
  | {
      type: 'execution_ended';
      executionId: string;
      outcome: 'applied' | 'observed' | 'drift' | 'refused' | 'failed';
      mode: 'observe' | 'enforce';
      reason: string | null;
      wouldApply?: string[];
      /** When the last step that did get applied was read back (steps done before a drift or failure count). */
      appliedAt?: string | null;
      /** Steps applied (done) when it ended. */
      done?: number;
    }
  /** The apply job ran an approved rollback. `remaining`: steps still applied afterwards. */
  | { type: 'rollback_ended'; executionId: string; outcome: 'rolled_back' | 'observed' | 'failed'; remaining: number; reason: string | null; calls?: string[] };

/** Effects are data, executed at the edge (STYLE §10). */
export type TaskEffect =
  | { type: 'audit'; action: string; data: Record<string, unknown> }
  | { type: 'notify'; kind: 'prompt' | 'update' | 'reminder' | 'escalation' | 'attestation' | 'approval' | 'security'; to: OwnerRef | { kind: 'person'; id: string }; note?: string }
  | { type: 'record-decision'; decision: Decision }
  | { type: 'request-revocation'; requestedBy: string; reason: string | null }
  /** Approved: record the plan exactly as the approvers saw it, to be applied by the apply job. */
  | { type: 'create-execution' };

/** Why an event was refused: shown to the clicker, recorded, and mapped to a 4xx by interact. */
export interface TransitionRefusal {
  code: 'invalid_state' | 'not_allowed' | 'reason_required' | 'bad_date' | 'not_assignee';
  message: string;
}

export type TransitionResult = { ok: true; task: ReviewTask; effects: TaskEffect[] } | { ok: false; refusal: TransitionRefusal };

/** Input of the decide use case (chat callbacks, CLI). */
export interface DecideInput {
  taskId: string;
  action: TaskAction;
  /** Person id of whoever clicked or typed it. */
  actor: string;
  reason?: string | null;
  /** Snooze target (ISO date) for `snooze`. */
  until?: string | null;
  /** `rollback` of one plan step only (0-based). */
  step?: number | null;
  /** approve / reject from a card: the request that card asked about (`request.at`); a stale card is refused. */
  request?: string | null;
  via: Decision['via'];
}

/**
 * `recorded`: this call changed the task. `duplicate`: the same answer was already recorded (a retry or
 * a double click) — nothing written. `refused`: not allowed, with the reason for the clicker.
 */
export type DecideOutcome =
  | { status: 'recorded'; task: ReviewTask; decision: Decision }
  | { status: 'duplicate'; task: ReviewTask }
  | { status: 'refused'; task: ReviewTask; refusal: TransitionRefusal }
  | { status: 'not_found' };
