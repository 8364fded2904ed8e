/**
 * A store with one review story per task, written in time order as the workflow would (decisions,
 * plan executions, ledger entries), for the evidence export tests. The period is June 2026.
 */
import { plans } from '../../../shared/domain/remediation.js';
import { createDirectory } from '../../../shared/people/index.js';
import type { Person } from '../../../shared/people/types.js';
import { createExecution } from '../../../shared/remediation/index.js';
import type { Decision, ReviewTask, TaskState } from '../../../shared/review/types.js';
import type { PlanExecution, StepRecord, Store } from '../../../shared/store/port.js';
import { makeDecision, makeFinding, makeTask } from '../../contract/store-fixtures.js';

export const FROM = new Date('2026-06-01T00:00:00.000Z');
export const TO = new Date('2026-06-30T23:59:59.999Z');
export const NOW = new Date('2026-07-02T08:00:00.000Z');

const person = (id: string, name: string, groups: string[], manager: string | null = null): Person => ({
  id,
  name,
  email: `${id}@corp.example`,
  slackUserId: null,
  dingtalkUserId: null,
  manager,
  groups,
});
export const PEOPLE = [person('li.na', 'Li Na', ['security']), person('wang.fang', 'Wang Fang', ['approvers']), person('chen.jie', 'Chen Jie', ['platform'], 'wang.fang')];
export const directory = createDirectory(PEOPLE);

/** A keep reason an auditor would write: a comma, quotes and a line break. */
export const KEEP_REASON = 'still used by CI, says "ops"\nsee ticket OPS-1';
export const REJECT_REASON = 'needed for DR, see RISK-12';

const day = (d: string) => `2026-${d}:00.000Z`;

/** Task ids in the order the export lists them (by when they were opened). */
export const IN_PERIOD = ['late-decision', 'kept', 'applied', 'rolled-back', 'rejected'] as const;

/** Fills an empty, migrated store. */
export async function fillStore(store: Store): Promise<void> {
  const log = (subject: string, action: string, at: string, actor = 'system', data: Record<string, unknown> = {}) =>
    store.tx((tx) => tx.appendAudit({ at: day(at), actor, action, subject, data }));
  const decide = (taskId: string, action: Decision['action'], actor: string, at: string, reason: string | null = null) =>
    store.tx((tx) => tx.insertDecision(makeDecision(taskId, { id: `d-${taskId}-${action}-${at}`, action, actor, at: day(at), reason })));
  const open = async (n: number, id: string, rule: string, state: TaskState, at: string, plan = plans.requireMfa(`user-${n}`)) => {
    const base = makeTask(n);
    const finding = makeFinding(n, { rule, remediation: { summary: plan.summary, plan } });
    const task: ReviewTask = { ...base, id, finding, fingerprint: finding.fingerprint, state, ownership: { owner: { kind: 'person', id: 'chen.jie' }, source: 'pattern', matched: 'user-*' }, createdAt: day(at), updatedAt: day(at) };
    await store.tx((tx) => tx.insertTask(task));
    await log(id, 'task.opened', at, 'system', { rule });
  };
  const execute = async (taskId: string, at: string, state: PlanExecution['state'], steps: Array<Partial<StepRecord>>) => {
    const task = await store.tx((tx) => tx.getTask(taskId));
    const plan = task?.finding.remediation.plan;
    if (!plan) throw new Error(`no plan on ${taskId}`);
    const ex = await createExecution(store, { id: `exec-${taskId}`, taskId, plan, mode: 'enforce', now: new Date(day(at)) });
    return { ex, finish: (doneAt: string) => update(store, ex, { state, updatedAt: day(doneAt), steps: ex.steps.map((s, i) => ({ ...s, ...steps[i] })) }) };
  };

  // Outside the period: opened and kept in April.
  await open(9, 'old', 'ram.access-key-stale', 'kept', '04-01T10:00');
  await decide('old', 'keep', 'chen.jie', '04-02T10:00', 'fine');
  await log('old', 'decision.recorded', '04-02T10:00', 'chen.jie');

  // Opened in May, snoozed in June: its only activity in the period is the decision.
  await open(8, 'late-decision', 'ram.access-key-unused', 'snoozed', '05-20T10:00');
  await decide('late-decision', 'snooze', 'chen.jie', '06-20T10:00');

  // Kept with a reason, attested by the manager.
  await open(1, 'kept', 'ram.access-key-stale', 'kept', '06-02T10:00');
  await decide('kept', 'keep', 'chen.jie', '06-03T10:00', KEEP_REASON);
  await log('kept', 'decision.recorded', '06-03T10:00', 'chen.jie');
  await decide('kept', 'attest', 'wang.fang', '06-04T10:00');
  await log('kept', 'decision.recorded', '06-04T10:00', 'wang.fang');

  // Revoked by the owner, approved twice, applied and read back.
  await open(2, 'applied', 'ram.user-console-without-mfa', 'applied', '06-05T09:00');
  await decide('applied', 'revoke', 'chen.jie', '06-05T10:00', 'left the team');
  await log('applied', 'revocation.requested', '06-05T10:00', 'chen.jie', { reason: 'left the team' });
  await decide('applied', 'approve', 'wang.fang', '06-06T10:00');
  await decide('applied', 'approve', 'li.na', '06-06T11:00');
  const applied = await execute('applied', '06-06T11:00', 'applied', [{ status: 'done', intentAt: day('06-07T09:59'), doneAt: day('06-07T10:00'), verified: { mfaBindRequired: true } }]);
  await applied.finish('06-07T10:00');
  await log('applied', 'remediation.applied', '06-07T10:00');

  // Requested by the deadline, approved, applied, then rolled back at the owner's request.
  await open(3, 'rolled-back', 'ram.policy-full-admin', 'rolled_back', '06-07T12:00', plans.detachPolicy('user', 'user-3', 'AdministratorAccess', 'System'));
  await log('rolled-back', 'revocation.requested', '06-08T00:00', 'system', { reason: 'no decision by the deadline (2026-06-08)' });
  await decide('rolled-back', 'approve', 'wang.fang', '06-09T10:00');
  const rolled = await execute('rolled-back', '06-09T10:00', 'rolled_back', [
    { status: 'rolled_back', intentAt: day('06-10T09:59'), doneAt: day('06-10T10:00'), verified: { attached: false }, rollbackIntentAt: day('06-12T09:59'), rolledBackAt: day('06-12T10:00') },
  ]);
  await decide('rolled-back', 'rollback', 'chen.jie', '06-11T10:00', 'broke the deploys');
  await log('rolled-back', 'rollback.requested', '06-11T10:00', 'chen.jie');
  await decide('rolled-back', 'approve', 'li.na', '06-11T12:00');
  await rolled.finish('06-12T10:00');
  await log('rolled-back', 'remediation.rolled_back', '06-12T10:00');

  // Revocation rejected by the approver.
  await open(4, 'rejected', 'ram.access-key-stale', 'rejected', '06-14T10:00');
  await decide('rejected', 'revoke', 'chen.jie', '06-15T10:00', 'unused');
  await log('rejected', 'revocation.requested', '06-15T10:00', 'chen.jie', { reason: 'unused' });
  await decide('rejected', 'reject', 'wang.fang', '06-16T10:00', REJECT_REASON);
  await log('rejected', 'decision.recorded', '06-16T10:00', 'wang.fang');

  // After the period.
  await open(5, 'july', 'ram.access-key-stale', 'awaiting_owner', '07-01T10:00');
}

async function update(store: Store, ex: PlanExecution, change: Partial<PlanExecution>): Promise<void> {
  const ok = await store.tx((tx) => tx.updateExecution({ ...ex, ...change }, ex.version));
  if (!ok) throw new Error(`execution ${ex.id} changed meanwhile`);
}
