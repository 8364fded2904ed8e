import type { SodVerdict } from '../../../shared/sod/types.js';
/** Small builders for review tests: one account, a handful of people, two findings with real shapes. */
import { fingerprint, type Finding, type Subject } from '../../../shared/domain/finding.js';
import { plans } from '../../../shared/domain/remediation.js';
import { createDirectory } from '../../../shared/people/directory.js';
import type { Person } from '../../../shared/people/types.js';
import { createReviewPolicy } from '../../../shared/review/policy.js';
import { answerEvent } from '../../../shared/review/task.js';
import type { Decision, ReviewTask, TaskAction, TaskEvent } from '../../../shared/review/types.js';

/** Tuesday 26 Nov 2024, 10:00 UTC: a 7-day window is "due Tue 3 Dec". */
export const NOW = new Date('2024-11-26T10:00:00Z');
export const DUE = '2024-12-03T23:59:59.999Z';
export const DEADLINE = '2024-12-10T23:59:59.999Z';

export function at(iso: string): Date {
  return new Date(iso);
}

function person(id: string, patch: Partial<Person> = {}): Person {
  return { id, name: id[0]?.toUpperCase() + id.slice(1), email: `${id}@example.com`, slackUserId: null, dingtalkUserId: null, manager: null, groups: [], ...patch };
}

/**
 * alice → bob → carol (managers); dave and erin form group "platform" (dave's manager bob, erin's
 * manager frank, and frank is in the group too); sec1 and sec2 are "security"; nomad has no manager.
 */
export const PEOPLE: Person[] = [
  person('alice', { manager: 'bob', slackUserId: 'U0ALICE' }),
  person('bob', { manager: 'carol' }),
  person('carol'),
  person('dave', { manager: 'bob', groups: ['platform'] }),
  person('erin', { manager: 'frank', groups: ['platform'] }),
  person('frank', { groups: ['platform'] }),
  person('sec1', { groups: ['security'] }),
  person('sec2', { groups: ['security'] }),
  person('nomad'),
];
export const directory = createDirectory(PEOPLE);
export const policy = createReviewPolicy({ deadlineActions: { 'ram.user-console-without-mfa': 'request-revocation', 'ram.access-key-unused': 'none' } });

export const keySubject: Subject = { type: 'accessKey', id: 'LTAI5tBuildAgent7Q2', name: 'LTAI5tBuildAgent7Q2', user: 'build-agent' };
export const userSubject: Subject = { type: 'user', id: '2001', name: 'ops-wu' };

export const staleKey: Finding = {
  rule: 'ram.access-key-stale',
  status: 'fail',
  severity: 'high',
  title: 'Access key not rotated',
  subject: keySubject,
  evidence: { summary: 'active, 412 days old (created 2023-10-10), last used 2024-11-25', ageDays: 412 },
  remediation: { summary: 'rotate it', plan: null },
  fingerprint: fingerprint('ram.access-key-stale', keySubject),
  partial: false,
};

export const noMfa: Finding = {
  rule: 'ram.user-console-without-mfa',
  status: 'fail',
  severity: 'medium',
  title: 'Console user without MFA',
  subject: userSubject,
  evidence: { summary: 'console access, no MFA, last logon 2024-11-24', path: ['user:ops-wu'] },
  remediation: { summary: 'require MFA', plan: plans.requireMfa('ops-wu') },
  fingerprint: fingerprint('ram.user-console-without-mfa', userSubject),
  partial: false,
};

/** A task for `finding` owned by alice, in `state`, with whatever else the test spells out. */
export function task(patch: Partial<ReviewTask> = {}, finding: Finding = noMfa): ReviewTask {
  return {
    id: 'task-1',
    fingerprint: finding.fingerprint,
    finding,
    state: 'awaiting_owner',
    severity: finding.severity,
    ownership: { owner: { kind: 'person', id: 'alice' }, source: 'pattern', matched: 'ops-*' },
    assignees: ['alice'],
    createdAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
    dueAt: DUE,
    deadlineAt: DEADLINE,
    snoozedUntil: null,
    remindersSent: [],
    version: 3,
    notes: [],
    ...patch,
  };
}

let seq = 0;
export function decision(action: TaskAction, actor: string, patch: Partial<Decision> = {}): Decision {
  seq += 1;
  return { id: `d-${seq}`, taskId: 'task-1', action, actor, reason: null, until: null, at: NOW.toISOString(), via: 'slack', ...patch };
}

/** The answer event, with the people facts computed as the use cases do. */
export function answer(t: ReviewTask, action: TaskAction, actor: string, patch: Partial<Decision> = {}): TaskEvent {
  return answerEvent(t, decision(action, actor, patch), directory);
}

/** Freezes deeply, so a handler that mutates its input throws in strict mode. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** An answer event carrying the separation-of-duties verdict the decide use case would compute. */
export function withSod(event: TaskEvent, sod: SodVerdict): TaskEvent {
  if (event.type !== 'answer') throw new Error('withSod needs an answer event');
  return { ...event, sod };
}
