/** The transition table as a whole: every state × event, and the invariants every cell keeps. */
import { describe, expect, it } from 'vitest';
import { acceptedEvents, transition } from '../../../shared/review/machine.js';
import { TASK_STATES, type ReviewTask, type TaskEvent, type TaskState } from '../../../shared/review/types.js';
import { answer, DEADLINE, deepFreeze, directory, DUE, noMfa, NOW, policy, task, withSod } from './builders.js';

type EventType = TaskEvent['type'];
const EVENT_TYPES: EventType[] = ['prompted', 'finding_seen', 'finding_gone', 'finding_returned', 'waived', 'waiver_expired', 'answer', 'tick', 'execution_ended', 'rollback_ended'];

/** A task in `state` shaped as that state has it (who may answer, what is scheduled). */
function taskIn(state: TaskState): ReviewTask {
  const assignees = state === 'awaiting_owner' ? ['alice'] : state === 'escalated' || state === 'awaiting_attestation' ? ['bob'] : [];
  const snoozedUntil = state === 'snoozed' ? '2024-12-20T23:59:59.999Z' : null;
  const window = state === 'open' || state === 'resolved' ? { dueAt: null, deadlineAt: null } : {};
  const execution = state === 'applied' || state === 'failed' || state.startsWith('rollback') ? { execution: { id: 'exec-1', mode: 'enforce' as const, appliedAt: NOW.toISOString() } } : {};
  return task({ state, assignees, snoozedUntil, ...window, ...execution });
}

/** One representative event per type; answers are given by whoever may answer in that state. */
function eventFor(type: EventType, t: ReviewTask): TaskEvent {
  switch (type) {
    case 'prompted':
      return { type, dueAt: DUE, deadlineAt: DEADLINE };
    case 'finding_seen':
      return { type, finding: { ...noMfa, evidence: { summary: 'console access, no MFA, last logon 2024-11-26' } } };
    case 'finding_gone':
      return { type };
    case 'finding_returned':
      return { type, finding: noMfa };
    case 'waived':
      return { type, by: 'sec1', reason: 'break-glass account, SEC-12', until: null };
    case 'waiver_expired':
      return { type };
    case 'answer':
      if (t.state === 'awaiting_attestation') return answer(t, 'attest', 'bob');
      // The use case runs separation of duties and passes its verdict; here it allowed the approval.
      if (t.state === 'awaiting_approval' || t.state === 'rollback_requested') return withSod(answer(t, 'approve', 'bob'), { allowed: true, needsMore: null });
      if (t.state === 'applied' || t.state === 'failed') return answer(t, 'rollback', 'alice', { reason: 'still used by the billing export' });
      return answer(t, 'keep', t.assignees[0] ?? 'alice', { reason: 'still needed' });
    case 'tick':
      return { type };
    case 'execution_ended':
      return { type, executionId: 'exec-1', outcome: 'applied', mode: 'enforce', reason: null };
    case 'rollback_ended':
      return { type, executionId: 'exec-1', outcome: 'rolled_back', remaining: 0, reason: null };
  }
}

/** Expected next state per cell; absent = refused with invalid_state. */
const EXPECTED: Record<TaskState, Partial<Record<EventType, TaskState>>> = {
  open: { prompted: 'awaiting_owner', finding_seen: 'open', finding_gone: 'resolved', waived: 'waived', tick: 'open' },
  awaiting_owner: { answer: 'kept', finding_seen: 'awaiting_owner', finding_gone: 'resolved', waived: 'waived', tick: 'awaiting_owner' },
  snoozed: { finding_seen: 'snoozed', finding_gone: 'resolved', waived: 'waived', tick: 'snoozed' },
  escalated: { answer: 'kept', finding_seen: 'escalated', finding_gone: 'resolved', waived: 'waived', tick: 'escalated' },
  awaiting_attestation: { answer: 'kept', finding_seen: 'awaiting_attestation', finding_gone: 'resolved', waived: 'waived', tick: 'awaiting_attestation' },
  kept: { finding_seen: 'kept', waived: 'waived' },
  awaiting_approval: { answer: 'approved', finding_seen: 'awaiting_approval', finding_gone: 'resolved', tick: 'awaiting_approval' },
  approved: { execution_ended: 'applied', finding_seen: 'approved' },
  rejected: { finding_seen: 'rejected' },
  applied: { answer: 'rollback_requested', finding_seen: 'applied' },
  failed: { answer: 'rollback_requested', finding_seen: 'failed' },
  rollback_requested: { answer: 'rollback_approved', finding_seen: 'rollback_requested', tick: 'rollback_requested' },
  rollback_approved: { rollback_ended: 'rolled_back', finding_seen: 'rollback_approved' },
  rolled_back: { finding_seen: 'rolled_back' },
  resolved: { finding_returned: 'open' },
  waived: { finding_seen: 'waived', finding_gone: 'resolved', waiver_expired: 'open' },
};

describe('transition table', () => {
  for (const state of TASK_STATES) {
    for (const type of EVENT_TYPES) {
      const expected = EXPECTED[state][type];
      it(`${state} × ${type} → ${expected ?? 'refused'}`, () => {
        const before = deepFreeze(taskIn(state));
        const result = transition(before, eventFor(type, before), NOW, policy, directory);
        if (expected === undefined) {
          expect(result).toMatchObject({ ok: false, refusal: { code: 'invalid_state' } });
          if (!result.ok) expect(result.refusal.message).toContain(`the task is ${state.replace(/_/g, ' ')}`);
          return;
        }
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        expect(result.task.state).toBe(expected);
        // The store bumps version on its compare-and-set; the machine never does.
        expect(result.task.version).toBe(before.version);
        const changed = JSON.stringify(result.task) !== JSON.stringify(before);
        const audits = result.effects.filter((e) => e.type === 'audit');
        expect(audits.length > 0).toBe(changed);
        if (!changed) expect(result.effects).toEqual([]);
      });
    }
    it(`acceptedEvents(${state}) lists exactly the table row`, () => {
      expect(acceptedEvents(state).sort()).toEqual(Object.keys(EXPECTED[state]).sort());
    });
  }

  it('says what the task waits for when an answer comes too late', () => {
    const kept = task({ state: 'kept', assignees: [] });
    const result = transition(kept, answer(kept, 'revoke', 'alice'), NOW, policy, directory);
    expect(result).toEqual({
      ok: false,
      refusal: { code: 'invalid_state', message: 'Cannot record "revoke": the task is kept — it was kept; it will be reviewed again later.' },
    });
  });
});
