/** Handlers for answers: owner (or manager standing in) on a prompt, manager on an attestation card. */
import { answerersFor, managerOf, ownerLabel } from '../../people/relations.js';
import type { Directory } from '../../people/types.js';
import { addDays, endOfUtcDay, parseUntil, showDay } from '../dates.js';
import type { Decision, ReviewTask, TaskEffect, TaskEvent, TransitionResult } from '../types.js';
import { requestApproval } from './approvals.js';
import { audit, change, freshWindow, notify, ok, on, ownedBySecurity, person, refuse, securityRef, type MachineContext } from './common.js';

type Answer = Extract<TaskEvent, { type: 'answer' }>;

function names(ids: readonly string[], directory: Directory): string {
  return ids.length === 0 ? 'nobody (configure a manager or the security group)' : ids.map((id) => directory.byId(id)?.name ?? id).join(', ');
}

/** Every recorded answer: the decision row, its ledger entry, and the cards re-rendered. */
function answered(task: ReviewTask, next: ReviewTask, decision: Decision, extra: TaskEffect[] = []): TransitionResult {
  return ok(next, [
    { type: 'record-decision', decision },
    audit('decision.recorded', task, next, {
      decisionId: decision.id,
      action: decision.action,
      actor: decision.actor,
      reason: decision.reason,
      until: decision.until,
      via: decision.via,
    }),
    notify('update', task.ownership.owner),
    ...extra,
  ]);
}

function reasonOf(decision: Decision): string | null {
  const reason = decision.reason?.trim() ?? '';
  return reason === '' ? null : reason;
}

/**
 * Keep. On an attested severity the keep needs a manager who is not an owner: SoD refuses "a keep on
 * a high or critical finding attested by the owner alone", so an owner who is also a manager waits
 * for someone else. The keeper never attests their own keep.
 */
function keep(task: ReviewTask, event: Answer, { now, policy, directory }: MachineContext): TransitionResult {
  const { decision } = event;
  if (!reasonOf(decision)) {
    return refuse('reason_required', 'Keeping access needs a reason (for example "still used by the nightly CI job"); it is recorded in the audit ledger.');
  }
  const needsAttestation = policy.attestSeverities.includes(task.severity) && (!event.actorIsManager || event.actorIsOwner);
  if (!needsAttestation) return answered(task, change(task, { state: 'kept', assignees: [], snoozedUntil: null }, now), decision);
  const managers = managerOf(task.ownership.owner, directory).filter((id) => id !== decision.actor);
  const attesters = managers.length > 0 ? managers : answerersFor(securityRef(policy), directory, policy.securityGroup).filter((id) => id !== decision.actor);
  if (attesters.length === 0) {
    return refuse(
      'not_allowed',
      `A keep on a ${task.severity} finding needs a manager's attestation, but nobody other than you can attest for ${ownerLabel(task.ownership.owner, directory)}: configure a manager or add members to the "${policy.securityGroup}" group.`,
    );
  }
  const next = change(task, { state: 'awaiting_attestation', assignees: attesters }, now);
  return answered(task, next, decision, attesters.map((id) => notify('attestation', person(id))));
}

/** Revoke only *requests* a revocation: the approval stage (SoD) decides and applies it. */
function revoke(task: ReviewTask, event: Answer, { now, policy, directory }: MachineContext): TransitionResult {
  const { decision } = event;
  const request = { kind: 'revocation' as const, by: decision.actor, at: now.toISOString(), reason: reasonOf(decision), plan: task.finding.remediation.plan };
  const asked = requestApproval(task, change(task, { state: 'awaiting_approval', snoozedUntil: null }, now), request, policy, directory, now);
  return answered(task, asked.task, decision, [{ type: 'request-revocation', requestedBy: decision.actor, reason: reasonOf(decision) }, ...asked.effects]);
}

/** "I'll fix it by DATE": checked again when the date passes (tick) and by every scan. */
function snooze(task: ReviewTask, event: Answer, { now, policy }: MachineContext): TransitionResult {
  const { decision } = event;
  const until = decision.until ? parseUntil(decision.until) : null;
  const latest = endOfUtcDay(addDays(now, policy.maxSnoozeDays));
  if (!until) return refuse('bad_date', 'Give the date you will fix it by, for example 2024-12-20.');
  if (until.getTime() <= now.getTime()) return refuse('bad_date', `The fix-by date ${decision.until} has already passed; pick a later date.`);
  if (until.getTime() > latest.getTime()) {
    return refuse('bad_date', `The fix-by date can be at most ${policy.maxSnoozeDays} days away (${showDay(latest.toISOString())} at the latest).`);
  }
  return answered(task, change(task, { state: 'snoozed', snoozedUntil: until.toISOString() }, now), decision);
}

/** Not mine: the security group owns it from now on, with a fresh window and the clicker's note. */
function notMine(task: ReviewTask, event: Answer, { now, policy, directory }: MachineContext): TransitionResult {
  const { decision } = event;
  if (ownedBySecurity(task, policy)) {
    return refuse('not_allowed', `This identity is already with the security team ("${policy.securityGroup}"); keep, snooze or revoke it instead.`);
  }
  const reason = reasonOf(decision);
  const security = securityRef(policy);
  const next = change(
    task,
    {
      state: 'awaiting_owner',
      ownership: { owner: security, source: 'orphaned', matched: null },
      assignees: answerersFor(security, directory, policy.securityGroup),
      ...freshWindow(now, policy),
      notes: [...task.notes, { at: now.toISOString(), by: decision.actor, text: reason ? `not mine: ${reason}` : 'not mine' }],
    },
    now,
  );
  const passedBy = directory.byId(decision.actor)?.name ?? decision.actor;
  return answered(task, next, decision, [notify('prompt', security, `${passedBy} says this is not theirs${reason ? `: ${reason}` : ''}`)]);
}

function checkAssignee(task: ReviewTask, actor: string, directory: Directory): TransitionResult | null {
  if (task.assignees.includes(actor)) return null;
  return refuse('not_assignee', `Only ${names(task.assignees, directory)} can answer this now.`);
}

/** awaiting_owner and escalated: the owner, or the manager standing in, answers like an owner. */
export const ownerAnswer = on('answer', (task, event, ctx) => {
  const { action, actor } = event.decision;
  if (action === 'rollback') return refuse('invalid_state', 'Nothing has been revoked yet, so there is nothing to roll back.');
  if (action === 'attest' || action === 'decline' || action === 'approve' || action === 'reject') {
    return refuse('invalid_state', `There is no keep to ${action} yet: the task is ${task.state.replace('_', ' ')} and waits for keep, snooze, revoke or not mine.`);
  }
  const refused = checkAssignee(task, actor, ctx.directory);
  if (refused) return refused;
  if (action === 'keep') return keep(task, event, ctx);
  if (action === 'revoke') return revoke(task, event, ctx);
  if (action === 'snooze') return snooze(task, event, ctx);
  return notMine(task, event, ctx);
});

/** awaiting_attestation: a manager attests the keep, or declines it back to the owner with a reason. */
export const attestationAnswer = on('answer', (task, event, ctx) => {
  const { decision } = event;
  const { now, policy, directory } = ctx;
  if (decision.action !== 'attest' && decision.action !== 'decline') {
    return refuse('invalid_state', `A keep is waiting for a manager's attestation; only attest or decline is possible now, not ${decision.action}.`);
  }
  const refused = checkAssignee(task, decision.actor, directory);
  if (refused) return refused;
  if (decision.action === 'attest') return answered(task, change(task, { state: 'kept', assignees: [] }, now), decision);
  const reason = reasonOf(decision);
  if (!reason) return refuse('reason_required', 'Declining a keep needs a reason, so the owner knows what to reconsider.');
  const next = change(
    task,
    {
      state: 'awaiting_owner',
      assignees: answerersFor(task.ownership.owner, directory, policy.securityGroup),
      ...freshWindow(now, policy),
      notes: [...task.notes, { at: now.toISOString(), by: decision.actor, text: `keep declined: ${reason}` }],
    },
    now,
  );
  const by = directory.byId(decision.actor)?.name ?? decision.actor;
  return answered(task, next, decision, [notify('prompt', task.ownership.owner, `${by} declined the keep: ${reason}`)]);
});
