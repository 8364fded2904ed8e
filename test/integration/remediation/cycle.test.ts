/**
 * The whole approval → apply → rollback cycle through the workflow, on the demo account: a real scan
 * of the emulator opens the tasks, answers go through `decide` (the use case behind every chat
 * button), the apply run writes to the emulator with the real SDK, and the ledger verifies at the end.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../../emulator/index.js';
import { verifyStore } from '../../../shared/audit/verify-store.js';
import { createApp } from '../../../shared/app.js';
import { $Ram } from '../../../shared/cloud/sdk.js';
import { staticCredential, type CloudClients } from '../../../shared/cloud/clients.js';
import { parseConfig } from '../../../shared/config/index.js';
import { createLogger } from '../../../shared/logger.js';
import type { ScanReport } from '../../../shared/report/types.js';
import type { ReviewTask } from '../../../shared/review/types.js';
import { ALL_RULES } from '../../../shared/rules/registry.js';
import { createStore, type SqlStore } from '../../../shared/store/index.js';
import { createWorkflow, type Workflow } from '../../../shared/workflow.js';
import { resetStore } from '../../contract/store-fixtures.js';
import { clientsFor, emulatorWith, NOW, SCANNER } from '../harness.js';
import { RecordingChat } from '../review/recording-chat.js';

const ENV = { RAMPARTS_BUTTON_SECRET: 'fake-button-secret-for-tests-0123456789' };
const PEOPLE = [
  { id: 'li.na', name: 'Li Na', groups: ['security', 'approvers'] },
  { id: 'wang.fang', name: 'Wang Fang', groups: ['approvers'] },
  { id: 'chen.jie', name: 'Chen Jie', manager: 'wang.fang', groups: ['platform'] },
  { id: 'zhou.min', name: 'Zhou Min', groups: [] },
];
const KEY = { userName: 'report-bot', accessKeyId: 'LTAI5tDemoReportBot00001' };
const HOUR = 3_600_000;

let report: ScanReport;
let emulator: Emulator;
let clients: CloudClients;
let store: SqlStore;
let wf: Workflow;
let chat: RecordingChat;
let offset = 0;

async function open(mode: 'observe' | 'enforce'): Promise<void> {
  const config = parseConfig(
    { people: PEOPLE, owners: [{ pattern: 'report-bot', owner: 'chen.jie' }], remediation: { mode } },
    { env: {}, rules: ALL_RULES },
  );
  chat = new RecordingChat();
  wf = await createWorkflow({ config, env: ENV, clock: { now: () => new Date(NOW.getTime() + offset) }, store, chat });
  await wf.syncScan(report);
}

async function keyTask(): Promise<ReviewTask> {
  const tasks = await store.tx((tx) => tx.listTasks({ rule: 'ram.access-key-unused' }));
  const task = tasks.find((t) => t.finding.subject.name === KEY.accessKeyId);
  if (!task) throw new Error('no task for the report-bot key');
  return task;
}

async function keyStatus(): Promise<string | undefined> {
  const res = await clients.ram.listAccessKeys(new $Ram.ListAccessKeysRequest({ userName: KEY.userName }));
  return res.body?.accessKeys?.accessKey?.find((k) => k.accessKeyId === KEY.accessKeyId)?.status;
}

const writes = () => Object.values(emulator.stats().writes).reduce((a, b) => a + b, 0);

async function revokeAndApprove(): Promise<ReviewTask> {
  const task = await keyTask();
  expect(await wf.decide({ taskId: task.id, action: 'revoke', actor: 'chen.jie', reason: 'unused since the migration', via: 'slack' })).toMatchObject({ status: 'recorded' });
  expect(await wf.decide({ taskId: task.id, action: 'approve', actor: 'wang.fang', via: 'slack' })).toMatchObject({ status: 'recorded', task: { state: 'approved' } });
  return task;
}

beforeAll(async () => {
  const scanned = await emulatorWith('demo');
  try {
    const config = parseConfig({ scan: { credentialReport: { pollIntervalMs: 100 } } }, { env: { RAMPARTS_CLOUD_ENDPOINT: scanned.url }, rules: ALL_RULES });
    const app = createApp({ config, logger: createLogger('silent'), credential: staticCredential(SCANNER.accessKeyId, SCANNER.accessKeySecret) });
    report = await app.scan({ now: NOW });
  } finally {
    await scanned.close();
  }
  store = await createStore({ memory: true });
  await store.migrate();
}, 60_000);
afterAll(async () => store?.close());

beforeEach(async () => {
  offset = 0;
  await resetStore(store);
  emulator = await emulatorWith('demo');
  clients = clientsFor(emulator);
});
afterEach(async () => {
  await emulator?.close();
});

describe('approve → apply → rollback, enforce mode', () => {
  it('applies the approved plan once, verifies it, and rolls it back on an approved owner request', async () => {
    await open('enforce');
    const task = await revokeAndApprove();
    // The plan was recorded with the approval, exactly as the approver's card showed it.
    const execution = await store.tx((tx) => tx.getExecutionByTask(task.id));
    expect(execution).toMatchObject({ state: 'pending', plan: task.finding.remediation.plan! });

    expect(await keyStatus()).toBe('Active');
    const first = await wf.apply(clients);
    expect(first).toMatchObject({ mode: 'enforce', writes: 1, tasks: { applied: 1 } });
    expect(await keyStatus()).toBe('Inactive');
    expect(await store.tx((tx) => tx.getTask(task.id))).toMatchObject({ state: 'applied', execution: { id: execution!.id, mode: 'enforce' } });
    // The owner's card was updated in place and now offers the rollback button.
    const card = chat.updates.at(-1)?.view.items.find((i) => i.taskId === task.id);
    expect(card?.state).toBe('applied');

    // A second run finds nothing to do and writes nothing.
    const again = await wf.apply(clients);
    expect(again.writes).toBe(0);
    expect(emulator.stats().writes).toEqual({ UpdateAccessKey: 1 });

    // Rollback: the owner asks (with a reason), cannot approve it themselves, the manager approves.
    offset = 2 * HOUR;
    expect(await wf.decide({ taskId: task.id, action: 'rollback', actor: 'chen.jie', via: 'slack' })).toMatchObject({ status: 'refused', refusal: { code: 'reason_required' } });
    expect(await wf.decide({ taskId: task.id, action: 'rollback', actor: 'zhou.min', reason: 'x', via: 'slack' })).toMatchObject({ status: 'refused', refusal: { code: 'not_assignee' } });
    expect(await wf.decide({ taskId: task.id, action: 'rollback', actor: 'chen.jie', reason: 'the month-end export still uses it', via: 'slack' })).toMatchObject({
      status: 'recorded',
      task: { state: 'rollback_requested', request: { kind: 'rollback', by: 'chen.jie' } },
    });
    const self = await wf.decide({ taskId: task.id, action: 'approve', actor: 'chen.jie', via: 'slack' });
    expect(self).toMatchObject({ status: 'refused', refusal: { code: 'not_allowed' } });
    expect(self.status === 'refused' && self.refusal.message).toMatch(/You requested this rollback/);
    expect(await wf.decide({ taskId: task.id, action: 'approve', actor: 'wang.fang', via: 'dingtalk' })).toMatchObject({ status: 'recorded', task: { state: 'rollback_approved' } });

    const rolled = await wf.apply(clients);
    expect(rolled.tasks.rolledBack).toBe(1);
    expect(await keyStatus()).toBe('Active');
    expect(await store.tx((tx) => tx.getTask(task.id))).toMatchObject({ state: 'rolled_back' });
    expect(await store.tx((tx) => tx.getExecution(execution!.id))).toMatchObject({ state: 'rolled_back', steps: [{ status: 'rolled_back' }] });
    expect(emulator.stats().writes).toEqual({ UpdateAccessKey: 2 });
    expect(await verifyStore(store)).toMatchObject({ ok: true });
  });

  it('rollback: a bad step is refused when asked; concurrent apply runs undo it once; approvals of the revocation do not count for the rollback', async () => {
    await open('enforce');
    const task = await revokeAndApprove();
    await wf.apply(clients);
    offset = HOUR;
    const ask = (step: number | null) => wf.decide({ taskId: task.id, action: 'rollback', actor: 'chen.jie', reason: 'still needed', step, via: 'cli' });
    const outOfRange = await ask(4);
    expect(outOfRange).toMatchObject({ status: 'refused', refusal: { code: 'not_allowed' } });
    expect(outOfRange.status === 'refused' && outOfRange.refusal.message).toBe('Step 5 does not exist: the plan has steps 1 to 1.');
    expect(await ask(0)).toMatchObject({ status: 'recorded', task: { state: 'rollback_requested', request: { step: 0 } } });
    // The revocation's approval card (never updated, say) cannot answer the rollback request.
    const revocationAt = (await store.tx((tx) => tx.listDecisions(task.id))).find((d) => d.action === 'revoke')!.at;
    const stale = await wf.decide({ taskId: task.id, action: 'approve', actor: 'wang.fang', request: revocationAt, via: 'slack' });
    expect(stale).toMatchObject({ status: 'refused', refusal: { code: 'invalid_state', message: expect.stringContaining('earlier request') } });
    const current = (await store.tx((tx) => tx.getTask(task.id)))!;
    expect(current.request?.kind).toBe('rollback');
    // wang.fang approved the revocation; her approval of the rollback is new, not "already recorded".
    expect(await wf.decide({ taskId: task.id, action: 'approve', actor: 'wang.fang', request: current.request?.at, via: 'slack' })).toMatchObject({ status: 'recorded', task: { state: 'rollback_approved' } });
    const runs = await Promise.all([wf.apply(clients), wf.apply(clients), wf.apply(clients)]);
    expect(runs.reduce((n, r) => n + r.writes, 0)).toBe(1);
    expect(runs.flatMap((r) => r.failures)).toEqual([]);
    expect(runs.reduce((n, r) => n + r.tasks.rolledBack, 0)).toBe(1);
    expect(emulator.stats().writes).toEqual({ UpdateAccessKey: 2 });
    expect(await keyStatus()).toBe('Active');
    expect(await verifyStore(store)).toMatchObject({ ok: true });
  });

  it('refuses a rollback request after the rollback window', async () => {
    await open('enforce');
    const task = await revokeAndApprove();
    await wf.apply(clients);
    offset = 31 * 24 * HOUR;
    const late = await wf.decide({ taskId: task.id, action: 'rollback', actor: 'chen.jie', reason: 'needed after all', via: 'cli' });
    expect(late).toMatchObject({ status: 'refused', refusal: { code: 'not_allowed' } });
    expect(late.status === 'refused' && late.refusal.message).toMatch(/rollback window closed/);
  });

  it('20 simultaneous approvals of one plan lead to one application', async () => {
    await open('enforce');
    const task = await keyTask();
    await wf.decide({ taskId: task.id, action: 'revoke', actor: 'chen.jie', reason: 'unused', via: 'slack' });
    const approvers = ['wang.fang', 'li.na'];
    const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) => wf.decide({ taskId: task.id, action: 'approve', actor: approvers[i % 2]!, via: 'slack' })));
    expect(outcomes.filter((o) => o.status === 'recorded')).toHaveLength(1);
    expect(await store.tx((tx) => tx.listExecutions({ taskId: task.id }))).toHaveLength(1);
    // Three apply runs at once (an FC retry overlapping the next timer): one write in all.
    const runs = await Promise.all([wf.apply(clients), wf.apply(clients), wf.apply(clients)]);
    expect(runs.reduce((n, r) => n + r.writes, 0)).toBe(1);
    expect(emulator.stats().writes).toEqual({ UpdateAccessKey: 1 });
    expect(await store.tx((tx) => tx.getTask(task.id))).toMatchObject({ state: 'applied' });
    expect(await verifyStore(store)).toMatchObject({ ok: true });
  });

  it('drift: the key changed after approval → nothing written, the task goes back to its owner with a note', async () => {
    await open('enforce');
    const task = await revokeAndApprove();
    // Someone deactivates the key by hand after the approval: the approved card no longer matches.
    await clients.ram.updateAccessKey(new $Ram.UpdateAccessKeyRequest({ userName: KEY.userName, userAccessKeyId: KEY.accessKeyId, status: 'Inactive' }));
    const before = writes();
    const run = await wf.apply(clients);
    expect(run).toMatchObject({ writes: 0, tasks: { drift: 1 } });
    expect(writes()).toBe(before);
    const after = await store.tx((tx) => tx.getTask(task.id));
    expect(after).toMatchObject({ state: 'awaiting_owner', assignees: ['chen.jie'], approvals: [] });
    expect(after?.notes.at(-1)?.text).toMatch(/not applied — live state differs from what was approved: status: approved "Active", live "Inactive"; please review again/);
    // The owner is prompted again; a new approval gets a new execution.
    expect(chat.posts.some((p) => p.view.recipient.id === 'chen.jie' && p.view.items.some((i) => i.taskId === task.id && i.buttons.some((b) => b.action === 'revoke')))).toBe(true);
    expect(await store.tx((tx) => tx.listExecutions({ taskId: task.id }))).toMatchObject([{ state: 'drift' }]);
  });
});

describe('observe mode', () => {
  it('records what it would do, makes zero write calls, and enforce later applies the same execution', async () => {
    await open('observe');
    const task = await revokeAndApprove();
    const run = await wf.apply(clients);
    expect(run).toMatchObject({ mode: 'observe', writes: 0, tasks: { observed: 1 } });
    expect(emulator.stats().writes).toEqual({});
    const observed = await store.tx((tx) => tx.getTask(task.id));
    expect(observed).toMatchObject({ state: 'approved', execution: { mode: 'observe', wouldApply: [`RAM UpdateAccessKey ${KEY.userName}/${KEY.accessKeyId} Status=Inactive`] } });
    // Another observe run changes nothing (no repeated notes or ledger entries).
    const entries = (await verifyStore(store)).count;
    await wf.apply(clients);
    expect((await verifyStore(store)).count).toBe(entries);

    // The operator switches to enforce (a new workflow on the same store; closing it would close the store).
    await open('enforce');
    const enforced = await wf.apply(clients);
    expect(enforced).toMatchObject({ writes: 1, tasks: { applied: 1 } });
    expect(await keyStatus()).toBe('Inactive');
  });

  it('a forced dry run (observeOnly) never writes even when the config says enforce', async () => {
    await open('enforce');
    await revokeAndApprove();
    expect(await wf.apply(clients, { observeOnly: true })).toMatchObject({ mode: 'observe', writes: 0 });
    expect(emulator.stats().writes).toEqual({});
  });
});
