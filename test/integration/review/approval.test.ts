/**
 * The approval step through the workflow's real wiring: separation of duties from config (people,
 * groups, RAM users), the requester recorded by decide, refusals recorded nowhere.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../shared/config/index.js';
import { ALL_RULES } from '../../../shared/rules/registry.js';
import { createStore, type SqlStore } from '../../../shared/store/index.js';
import { createWorkflow, type Workflow } from '../../../shared/workflow.js';
import { NOW, report, staleKey } from './harness.js';
import { RecordingChat } from './recording-chat.js';

const ENV = { RAMPARTS_BUTTON_SECRET: 'fake-button-secret-for-tests-0123456789' };
const CONFIG = {
  people: [
    { id: 'dave', name: 'Dave', manager: 'bob', groups: ['platform'], ramUsers: ['dave'] },
    { id: 'bob', name: 'Bob', groups: ['approvers'], ramUsers: ['build-agent'] },
    { id: 'erin', name: 'Erin', groups: ['approvers'] },
    { id: 'sec1', name: 'Sec One', groups: ['security'] },
  ],
  owners: [{ pattern: 'build-*', owner: 'dave' }],
};

let store: SqlStore;
let wf: Workflow;
let taskId: string;

beforeEach(async () => {
  store = await createStore({ memory: true });
  wf = await createWorkflow({ config: parseConfig(CONFIG, { env: {}, rules: ALL_RULES }), env: ENV, clock: { now: () => NOW }, store, chat: new RecordingChat() });
  await wf.syncScan(report([{ ...staleKey, subject: { ...staleKey.subject, user: 'build-agent' } }]));
  const [task] = await store.tx((tx) => tx.listTasks({ assignee: 'dave' }));
  taskId = task!.id;
  expect(await wf.decide({ taskId, action: 'revoke', actor: 'dave', reason: 'rotated away', via: 'cli' })).toMatchObject({ status: 'recorded' });
});
afterEach(async () => wf.close());

const approve = (actor: string) => wf.decide({ taskId, action: 'approve', actor, via: 'slack' });

describe('approving a revocation request', () => {
  it('asks the manager and the approvers group, never the requester', async () => {
    const task = await store.tx((tx) => tx.getTask(taskId));
    expect(task).toMatchObject({ state: 'awaiting_approval' });
    expect(new Set(task!.assignees)).toEqual(new Set(['bob', 'erin']));
  });

  it('refuses self-approval with the reason and records nothing', async () => {
    const outcome = await approve('dave');
    expect(outcome).toMatchObject({ status: 'refused', refusal: { code: 'not_allowed' } });
    expect(outcome.status === 'refused' && outcome.refusal.message).toMatch(/requested this revocation/i);
    expect((await store.tx((tx) => tx.listDecisions(taskId))).map((d) => d.action)).toEqual(['revoke']);
  });

  it('refuses an approver whose own RAM user the plan concerns (conflict of interest)', async () => {
    // bob signs in as build-agent, the identity whose key would change.
    const outcome = await approve('bob');
    expect(outcome).toMatchObject({ status: 'refused' });
    expect((await store.tx((tx) => tx.getTask(taskId)))?.state).toBe('awaiting_approval');
  });

  it('approves by an approvers-group member, recorded once with its ledger entry', async () => {
    expect(await approve('erin')).toMatchObject({ status: 'recorded', task: { state: 'approved', approvals: ['erin'] } });
    expect(await approve('erin')).toMatchObject({ status: 'duplicate' });
    const entries: Array<{ action: string; actor: string }> = [];
    for await (const e of store.readAudit()) entries.push(e);
    expect(entries.filter((e) => e.action === 'decision.recorded' && e.actor === 'erin')).toHaveLength(1);
  });
});
