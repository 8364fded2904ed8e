/** The human lines on a card: what the identity is, and where its task stands. */
import type { Finding, Subject } from '../domain/finding.js';
import type { Directory } from '../people/types.js';
import { parseUntil, showDay } from './dates.js';
import type { Decision, ReviewTask } from './types.js';

/** A task with the last answer recorded on it (for "kept by Alice: still used by CI"). */
export interface TaskEntry {
  task: ReviewTask;
  lastDecision: Decision | null;
}

/** `LTAI5tBuildAgent7Q2` → `LTAI…7Q2`: enough to recognise the key, not enough to search logs for it. */
export function maskKeyId(id: string): string {
  return id.length > 8 ? `${id.slice(0, 4)}…${id.slice(-3)}` : id;
}

/** "access key LTAI…7Q2 of build-agent", "user ops-wu", "role ci-deployer". */
export function subjectLabel(subject: Subject): string {
  switch (subject.type) {
    case 'accessKey':
      return `access key ${maskKeyId(subject.name)}${subject.user ? ` of ${subject.user}` : ''}`;
    case 'user':
      return `user ${subject.name}`;
    case 'role':
      return `role ${subject.name}`;
    case 'group':
      return `group ${subject.name}`;
    case 'policy':
      return `policy ${subject.name}`;
    case 'account':
      return `account ${subject.name}`;
    case 'trail':
      return `ActionTrail trail ${subject.name}`;
    case 'secret':
      return `KMS secret ${subject.name}`;
  }
}

/** The subject as prompts name it: with its member account in a multi-account deployment ("user alice in account prod (2000…)"). */
export function findingLabel(finding: Pick<Finding, 'subject' | 'account'>): string {
  const subject = subjectLabel(finding.subject);
  return finding.account ? `${subject} in account ${finding.account.name} (${finding.account.id})` : subject;
}

export function personName(id: string, directory: Directory): string {
  return id === 'system' ? 'ramparts' : (directory.byId(id)?.name ?? id);
}

function names(ids: readonly string[], directory: Directory): string {
  return ids.length === 0 ? 'nobody' : ids.map((id) => personName(id, directory)).join(', ');
}

function because(reason: string | null | undefined): string {
  return reason ? `: ${reason}` : '';
}

/** What happened last, when it explains the current state (a decline, a pass-on, an expired snooze). */
function lastAnswerNote({ lastDecision: d }: TaskEntry, directory: Directory): string {
  if (!d) return '';
  const by = personName(d.actor, directory);
  if (d.action === 'not_mine') return ` · passed on by ${by}${because(d.reason)}`;
  if (d.action === 'decline') return ` · keep declined by ${by}${because(d.reason)}`;
  if (d.action === 'snooze') {
    const until = d.until ? parseUntil(d.until) : null;
    return ` · the fix-by date${until ? ` ${showDay(until.toISOString())}` : ''} passed`;
  }
  return '';
}

/** One line for the task's current state, shown under the finding on every card that carries it. */
export function statusLine(entry: TaskEntry, directory: Directory): string {
  const { task, lastDecision: d } = entry;
  const by = d ? personName(d.actor, directory) : 'someone';
  switch (task.state) {
    case 'open':
      return 'new: waiting to be sent to its owner';
    case 'awaiting_owner':
      return `waiting for an answer${task.dueAt ? `, due ${showDay(task.dueAt)}` : ''}${lastAnswerNote(entry, directory)}`;
    case 'snoozed':
      return `${by} will fix it by ${task.snoozedUntil ? showDay(task.snoozedUntil) : 'a date'}`;
    case 'escalated':
      return `no answer by ${task.dueAt ? showDay(task.dueAt) : 'the due date'}; now with ${names(task.assignees, directory)}`;
    case 'awaiting_attestation':
      return `kept by ${by}${because(d?.reason)} — waiting for ${names(task.assignees, directory)} to attest`;
    case 'kept':
      return d?.action === 'attest' ? `kept; attested by ${by}` : `kept by ${by}${because(d?.reason)}`;
    case 'awaiting_approval':
      if ((task.approvals ?? []).length > 0) return `approved by ${names(task.approvals ?? [], directory)}; a second approver (security) is still needed`;
      return d?.action === 'revoke'
        ? `revocation requested by ${by}${because(d.reason)}; waiting for ${names(task.assignees, directory)} to approve`
        : `no decision by the deadline: revocation requested; waiting for ${names(task.assignees, directory)} to approve`;
    case 'approved': {
      const approved = `revocation approved by ${names(task.approvals ?? [], directory)}`;
      if (!task.finding.remediation.plan) return `${approved}; there is no automatic fix, the security team carries it out`;
      if (task.execution?.mode === 'observe') return `${approved}; observe mode — ramparts would ${(task.execution.wouldApply ?? []).join('; ') || task.finding.remediation.plan.summary}, and changes nothing until remediation.mode is enforce`;
      return `${approved}; waiting to be applied`;
    }
    case 'applied': {
      const at = task.execution?.appliedAt;
      const last = task.notes.at(-1);
      const partial = last?.by === 'system' && last.text.includes('rolled back') ? ` · ${last.text}` : '';
      return `applied${at ? ` on ${showDay(at)}` : ''}: ${task.finding.remediation.plan?.summary ?? 'revoked'}${partial}`;
    }
    case 'failed':
      return task.notes.at(-1)?.text ?? 'applying the revocation failed; the security team follows up';
    case 'rollback_requested':
      if ((task.approvals ?? []).length > 0) return `rollback approved by ${names(task.approvals ?? [], directory)}; a second approver (security) is still needed`;
      return `rollback requested by ${personName(task.request?.by ?? by, directory)}${because(task.request?.reason)}; waiting for ${names(task.assignees, directory)} to approve`;
    case 'rollback_approved':
      return `rollback approved by ${names(task.approvals ?? [], directory)}; waiting to be applied`;
    case 'rolled_back':
      return `rolled back${task.execution?.rolledBackAt ? ` on ${showDay(task.execution.rolledBackAt)}` : ''}: access restored${because(task.request?.reason)}`;
    case 'rejected':
      return task.notes.at(-1)?.text ?? `revocation rejected by ${by}`;
    case 'resolved':
      return 'resolved: the latest scan no longer finds it';
    case 'waived':
      return task.notes.at(-1)?.text ?? 'waived';
  }
}
