/**
 * The review lifecycle as one explicit table, state × event → handler (DESIGN "Review workflow",
 * STYLE §10). Pure: time, policy and the people directory come in as arguments; effects come out as
 * data for the use cases to execute. A missing cell is a refusal that says what the task waits for.
 */
import type { Directory } from '../people/types.js';
import { attestationAnswer, ownerAnswer } from './machine/answers.js';
import { approvalAnswer, rollbackRequest, tickApproval } from './machine/approvals.js';
import { executionEnded, rollbackEnded } from './machine/remediation.js';
import { refuse, type EventType, type Handler } from './machine/common.js';
import { prompted, refresh, reopen, resolve, unwaive, waive } from './machine/scan-events.js';
import { idle, tickAwaitingOwner, tickEscalated, tickSnoozed } from './machine/timers.js';
import type { ReviewPolicy } from './policy.js';
import type { ReviewTask, TaskEvent, TaskState, TransitionResult } from './types.js';

/** Scan events every state still under review accepts. */
const SCANNED = { finding_seen: refresh, finding_gone: resolve, waived: waive } as const;

/** The table. */
const TABLE: { readonly [S in TaskState]: Partial<Record<EventType, Handler>> } = {
  open: { prompted, ...SCANNED, tick: idle },
  awaiting_owner: { answer: ownerAnswer, ...SCANNED, tick: tickAwaitingOwner },
  snoozed: { ...SCANNED, tick: tickSnoozed },
  escalated: { answer: ownerAnswer, ...SCANNED, tick: tickEscalated },
  awaiting_attestation: { answer: attestationAnswer, ...SCANNED, tick: idle },
  // A keep stays a keep when the finding goes (a later review re-checks keeps); a waiver may still cover it.
  kept: { finding_seen: refresh, waived: waive },
  // Nothing left to revoke once the finding is gone; a waiver cannot cancel a pending request here.
  awaiting_approval: { answer: approvalAnswer, finding_seen: refresh, finding_gone: resolve, tick: tickApproval },
  // The apply job reports how the execution ended; the finding going away meanwhile changes nothing.
  approved: { execution_ended: executionEnded, finding_seen: refresh },
  // A rejected request stays on record (the next review revisits it).
  rejected: { finding_seen: refresh },
  // Applied revocations are the record: a scan no longer seeing the finding is the expected outcome.
  applied: { answer: rollbackRequest, finding_seen: refresh },
  failed: { answer: rollbackRequest, finding_seen: refresh },
  rollback_requested: { answer: approvalAnswer, finding_seen: refresh, tick: tickApproval },
  rollback_approved: { rollback_ended: rollbackEnded, finding_seen: refresh },
  rolled_back: { finding_seen: refresh },
  resolved: { finding_returned: reopen },
  waived: { finding_seen: refresh, finding_gone: resolve, waiver_expired: unwaive },
};

/** What each state waits for, for refusal messages ("what can be done"). */
const WAITING_FOR: Record<TaskState, string> = {
  open: 'it has not been sent to its owner yet; the next scan prompts them',
  awaiting_owner: 'it waits for the owner to keep, revoke, snooze it or say it is not theirs',
  snoozed: 'the owner said it will be fixed by a date; it comes back if the finding is still there then',
  escalated: 'the owner did not answer in time; the manager can keep, revoke, snooze it or say it is not theirs',
  awaiting_attestation: "a keep waits for the manager's attest or decline",
  kept: 'it was kept; it will be reviewed again later',
  awaiting_approval: 'a revocation was requested and waits for an approver to approve or reject it',
  approved: 'the revocation was approved and waits to be applied',
  rejected: 'the revocation was rejected',
  applied: 'the revocation was applied; its owner can request a rollback from the applied card',
  failed: 'the revocation (or its rollback) failed or was refused; the security team follows up',
  rollback_requested: 'a rollback was requested and waits for an approver to approve or reject it',
  rollback_approved: 'the rollback was approved and waits for the apply job',
  rolled_back: 'the revocation was rolled back',
  resolved: 'the finding is gone; there is nothing to answer',
  waived: 'a waiver covers the finding until it expires',
};

function describe(event: TaskEvent): string {
  return event.type === 'answer' ? `record "${event.decision.action}"` : `apply ${event.type}`;
}

/** Events a state accepts (the table's row), for tests and for callers that skip what would be refused. */
export function acceptedEvents(state: TaskState): EventType[] {
  return Object.keys(TABLE[state]).filter((type): type is EventType => TABLE[state][type as EventType] !== undefined);
}

/**
 * Applies one event. Never mutates `task` and never bumps `version` (the store does, on its
 * compare-and-set). Every change comes with an `audit` effect; an unchanged task comes with none.
 */
export function transition(task: ReviewTask, event: TaskEvent, now: Date, policy: ReviewPolicy, directory: Directory): TransitionResult {
  const handler = TABLE[task.state][event.type];
  if (!handler) {
    return refuse('invalid_state', `Cannot ${describe(event)}: the task is ${task.state.replace(/_/g, ' ')} — ${WAITING_FOR[task.state]}.`);
  }
  return handler(task, event, { now, policy, directory });
}
