import type { Finding } from '../domain/finding.js';
import { answerersFor, isMember, managerOf } from '../people/relations.js';
import type { Directory, Ownership } from '../people/types.js';
import type { ReviewPolicy } from './policy.js';
import type { Decision, ReviewTask, TaskEvent } from './types.js';

/** A fresh task for a finding seen for the first time: `open`, answered by the owner (or security). */
export function newTask(input: {
  id: string;
  finding: Finding;
  ownership: Ownership;
  now: Date;
  directory: Directory;
  policy: ReviewPolicy;
}): ReviewTask {
  const at = input.now.toISOString();
  return {
    id: input.id,
    fingerprint: input.finding.fingerprint,
    finding: input.finding,
    state: 'open',
    severity: input.finding.severity,
    ownership: input.ownership,
    assignees: answerersFor(input.ownership.owner, input.directory, input.policy.securityGroup),
    createdAt: at,
    updatedAt: at,
    dueAt: null,
    deadlineAt: null,
    snoozedUntil: null,
    remindersSent: [],
    version: 1,
    notes: [],
  };
}

/** The answer event with the people facts the machine needs (owner? manager of the owner?). */
export function answerEvent(task: ReviewTask, decision: Decision, directory: Directory): Extract<TaskEvent, { type: 'answer' }> {
  return {
    type: 'answer',
    decision,
    actorIsOwner: isMember(decision.actor, task.ownership.owner, directory),
    actorIsManager: managerOf(task.ownership.owner, directory).includes(decision.actor),
  };
}
