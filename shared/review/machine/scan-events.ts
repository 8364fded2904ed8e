/** Handlers for what scans and waivers report: prompted, finding seen/gone/returned, waived, waiver expired. */
import { severityRank } from '../../domain/finding.js';
import { answerersFor } from '../../people/relations.js';
import { showDay } from '../dates.js';
import { audit, change, NO_WINDOW, notify, ok, on, pastPoints, refuse, sameJson } from './common.js';

/** open → awaiting_owner: the prompt went out; the answer window starts now. */
export const prompted = on('prompted', (task, event, { now, policy }) => {
  const due = new Date(event.dueAt).getTime();
  if (!(due > now.getTime()) || !(new Date(event.deadlineAt).getTime() >= due)) {
    return refuse('bad_date', `the due date ${event.dueAt} must be in the future and not after the deadline ${event.deadlineAt}`);
  }
  const next = change(
    task,
    { state: 'awaiting_owner', dueAt: event.dueAt, deadlineAt: event.deadlineAt, snoozedUntil: null, remindersSent: pastPoints(event.dueAt, now, policy) },
    now,
  );
  return ok(next, [
    audit('task.prompted', task, next, { dueAt: event.dueAt, deadlineAt: event.deadlineAt, assignees: next.assignees }),
    notify('prompt', next.ownership.owner),
  ]);
});

/**
 * A scan still reports the finding: keep the latest evidence. Unchanged evidence is no change at all
 * (nothing written, nothing audited); only a rise in severity is worth re-rendering the cards.
 */
export const refresh = on('finding_seen', (task, event, { now }) => {
  const { finding } = event;
  if (sameJson(task.finding, finding) && task.severity === finding.severity) return ok(task, []);
  const request = task.request;
  if (task.state === 'awaiting_approval' && request?.kind === 'revocation' && !sameJson(request.plan ?? null, finding.remediation.plan)) {
    // The change on the approvers' cards is no longer what would run: earlier approvals do not carry over.
    const text = 'the proposed change was updated by a new scan; earlier approvals no longer count';
    const next = change(
      task,
      { finding, severity: finding.severity, approvals: [], request: { ...request, plan: finding.remediation.plan }, notes: [...task.notes, { at: now.toISOString(), by: 'system', text }] },
      now,
    );
    return ok(next, [
      audit('task.refreshed', task, next, { severity: { from: task.severity, to: finding.severity }, planChanged: true, evidence: finding.evidence.summary }),
      notify('update', next.ownership.owner),
      ...next.assignees.map((id) => notify('approval', { kind: 'person', id }, text)),
    ]);
  }
  const next = change(task, { finding, severity: finding.severity }, now);
  const rose = severityRank(finding.severity) > severityRank(task.severity);
  return ok(next, [
    audit('task.refreshed', task, next, { severity: { from: task.severity, to: finding.severity }, evidence: finding.evidence.summary }),
    ...(rose ? [notify('update', next.ownership.owner, `severity rose from ${task.severity} to ${finding.severity}`)] : []),
  ]);
});

/** A complete scan no longer reports the finding: nothing left to answer. */
export const resolve = on('finding_gone', (task, _event, { now }) => {
  const next = change(task, { state: 'resolved', assignees: [], snoozedUntil: null }, now);
  return ok(next, [audit('task.resolved', task, next), notify('update', next.ownership.owner)]);
});

/** resolved → open: the finding came back; the next prompt asks the owner again. */
export const reopen = on('finding_returned', (task, event, { now, policy, directory }) => {
  const next = change(
    task,
    {
      state: 'open',
      finding: event.finding,
      severity: event.finding.severity,
      assignees: answerersFor(task.ownership.owner, directory, policy.securityGroup),
      ...NO_WINDOW,
    },
    now,
  );
  return ok(next, [audit('task.reopened', task, next, { evidence: event.finding.evidence.summary })]);
});

/** An explicit waiver (or a config exclusion) silences the finding until it expires. */
export const waive = on('waived', (task, event, { now }) => {
  const until = event.until ? ` until ${showDay(event.until)}` : '';
  const next = change(
    task,
    { state: 'waived', assignees: [], ...NO_WINDOW, notes: [...task.notes, { at: now.toISOString(), by: event.by, text: `waived${until}: ${event.reason}` }] },
    now,
  );
  return ok(next, [
    audit('task.waived', task, next, { by: event.by, reason: event.reason, until: event.until }),
    notify('update', next.ownership.owner),
  ]);
});

/** waived → open: the waiver ran out while the finding is still there, so the owner is asked again. */
export const unwaive = on('waiver_expired', (task, _event, { now, policy, directory }) => {
  const next = change(task, { state: 'open', assignees: answerersFor(task.ownership.owner, directory, policy.securityGroup), ...NO_WINDOW }, now);
  return ok(next, [audit('task.waiver_expired', task, next)]);
});
