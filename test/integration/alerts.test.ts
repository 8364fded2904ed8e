/**
 * Alerts through the workflow on a real store: posted once per event however often EventBridge
 * delivers it, sign-in locations judged against history, rate limits, policy versions compared with
 * the last one seen, every alert in the ledger; and an automated response approved by config, applied
 * by the apply run on the emulator and undone through the rollback flow from its card.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { parseAlertInput } from '../../shared/alerts/event.js';
import { verifyStore } from '../../shared/audit/verify-store.js';
import { $Ram } from '../../shared/cloud/sdk.js';
import type { CloudClients } from '../../shared/cloud/clients.js';
import { parseConfig } from '../../shared/config/index.js';
import { ALL_RULES } from '../../shared/rules/registry.js';
import { createStore, type SqlStore } from '../../shared/store/index.js';
import type { AuditEntry } from '../../shared/store/port.js';
import { createWorkflow, type Workflow } from '../../shared/workflow.js';
import { cloudEvent, keys, mfa, permissions, signin } from '../fixtures/actiontrail-records.js';
import { clientsFor, emulatorWith, NOW } from './harness.js';
import { RecordingChat } from './review/recording-chat.js';

const ENV = { RAMPARTS_BUTTON_SECRET: 'fake-button-secret-for-tests-0123456789' };
const PEOPLE = [
  { id: 'li.na', name: 'Li Na', groups: ['security', 'approvers'] },
  { id: 'sun.yu', name: 'Sun Yu', groups: ['security'] },
  { id: 'wang.fang', name: 'Wang Fang', groups: ['approvers'] },
];
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let store: SqlStore;
let chat: RecordingChat;
let wf: Workflow;
let offset = 0;

async function open(alerts: Record<string, unknown> = {}, remediation: Record<string, unknown> = {}): Promise<void> {
  await wf?.close().catch(() => undefined);
  store = await createStore({ memory: true });
  chat = new RecordingChat();
  const config = parseConfig({ people: PEOPLE, alerts: { trustedKeyCreators: ['ci-deployer'], ...alerts }, remediation }, { env: {}, rules: ALL_RULES });
  wf = await createWorkflow({ config, env: ENV, clock: { now: () => new Date(NOW.getTime() + offset) }, store, chat });
}

const send = (input: unknown) => wf.alert(parseAlertInput(input));
/** An event time `hours` after NOW. */
const at = (hours: number) => new Date(NOW.getTime() + hours * HOUR).toISOString();

async function ledger(action?: string): Promise<AuditEntry[]> {
  const out: AuditEntry[] = [];
  for await (const e of store.readAudit()) if (!action || e.action === action) out.push(e);
  return out;
}

beforeEach(async () => {
  offset = 0;
  await open();
});
afterEach(async () => wf.close());

describe('alerts', () => {
  it('posts an alert to the security channel once, however often EventBridge delivers the event', async () => {
    const first = await send(cloudEvent(keys.forOther));
    const again = await send([cloudEvent(keys.forOther), cloudEvent(mfa.bind)]);

    expect(first).toMatchObject({ records: 1, alerted: 1, duplicates: 0 });
    expect(again).toMatchObject({ records: 2, alerted: 0, duplicates: 1 });
    expect(again.outcomes.map((o) => o.outcome)).toEqual(['duplicate', 'not-risky']);
    expect(chat.notices).toHaveLength(1);
    expect(chat.notices[0]).toMatchObject({ severity: 'high', title: 'Access key created for user report-bot by user ops-wu, outside the trusted pipeline' });
    expect(chat.notices[0]!.text).toContain('by user ops-wu');
    const raised = await ledger('alert.raised');
    expect(raised).toHaveLength(1);
    expect(raised[0]).toMatchObject({ subject: 'alert:evt-key-for-other', data: { type: 'access-key-created', identity: 'user:report-bot', sourceIp: '203.0.113.10', response: null } });
  });

  it('a root console sign-in alerts; a trusted pipeline key and a failed sign-in do not', async () => {
    const s = await send([signin.root, signin.rootFailed, cloudEvent(keys.byPipeline)]);
    expect(s.outcomes.map((o) => o.outcome)).toEqual(['alerted', 'not-risky', 'skipped']);
    expect(chat.notices.map((n) => n.title)).toEqual(['Root account signed in to the console']);
  });

  it('a RAM user sign-in: the first sets the baseline, the same network is known, a new network alerts', async () => {
    const s = await send({
      Events: [signin.user('s1', '198.51.100.7', at(0)), signin.user('s2', '198.51.100.99', at(1)), signin.user('s3', '192.0.2.44', at(2))],
    });
    expect(s.outcomes.map((o) => o.outcome)).toEqual(['baseline', 'known-location', 'alerted']);
    expect(chat.notices).toHaveLength(1);
    expect(chat.notices[0]!.title).toBe('User ops-wu signed in to the console from a network not seen for them');
    expect(chat.notices[0]!.text).toContain('network 192.0.2.0/24; seen in the last 90 days: 198.51.100.0/24');

    // 91 days later neither network counts: the next sign-in is a new baseline, not an alert.
    offset = 91 * DAY;
    const later = await send(signin.user('s4', '192.0.2.45', at(offset / HOUR)));
    expect(later.outcomes[0]!.outcome).toBe('baseline');
  });

  it('rate-limits alerts per type and identity per hour: the rest are recorded, not posted', async () => {
    await open({ rateLimitPerHour: 2 });
    const burst = ['a', 'b', 'c'].map((n) => ({ ...mfa.unbind, eventId: `evt-unbind-${n}` }));
    const s = await send(burst);
    expect(s).toMatchObject({ alerted: 2, suppressed: 1 });
    expect(chat.notices).toHaveLength(2);
    const suppressed = await ledger('alert.suppressed');
    expect(suppressed).toHaveLength(1);
    expect(suppressed[0]!.data.reason).toBe('over alerts.rateLimitPerHour (2) for mfa-removed on user:alice');
    // Another identity is not held back, and the next hour starts again.
    expect((await send({ ...mfa.requirementOff, eventId: 'evt-off-bob', requestParameters: { UserName: 'bob', MFABindRequired: 'false' } })).alerted).toBe(1);
    offset = HOUR;
    expect((await send({ ...mfa.unbind, eventId: 'evt-unbind-d' })).alerted).toBe(1);
  });

  it('remembers custom policy documents, so a later default version is compared with the last one', async () => {
    const s = await send([permissions.createPolicy, permissions.narrowerVersion, permissions.widerVersion]);
    expect(s.outcomes.map((o) => o.outcome)).toEqual(['not-risky', 'not-risky', 'alerted']);
    // Compared with the narrower version (the last default): two actions came back.
    expect(chat.notices[0]!.text).toContain('added: ecs:Describe*, ecs:StartInstance, ecs:DeleteInstance');
  });

  it('a record that fails is reported as failed and can be handled again', async () => {
    const post = chat.notifySecurity.bind(chat);
    chat.notifySecurity = async () => {
      throw new Error('channel_not_found');
    };
    const failed = await send(signin.root);
    expect(failed).toMatchObject({ failed: 1, alerted: 0 });
    expect(failed.outcomes[0]!.reason).toBe('channel_not_found');
    chat.notifySecurity = post;
    expect((await send(signin.root)).alerted).toBe(1);
  });
});

describe('automated response', () => {
  let emulator: Emulator;
  let clients: CloudClients;
  const KEY = { userName: 'report-bot', accessKeyId: 'LTAI5tDemoReportBot00001' };
  const created = { ...keys.forOther, eventId: 'evt-report-bot-key', responseElements: { AccessKey: { AccessKeyId: KEY.accessKeyId, Status: 'Active' } } };

  beforeAll(async () => {
    emulator = await emulatorWith('demo');
    clients = clientsFor(emulator);
  });
  afterAll(async () => emulator.close());

  async function keyStatus(): Promise<string | undefined> {
    const res = await clients.ram.listAccessKeys(new $Ram.ListAccessKeysRequest({ userName: KEY.userName }));
    return res.body?.accessKeys?.accessKey?.find((k) => k.accessKeyId === KEY.accessKeyId)?.status;
  }

  it('deactivates a key created outside the pipeline (approved by config, applied by apply), and the security group undoes it from its card', async () => {
    await open({ responses: { 'access-key-created': 'deactivate-access-key' } }, { mode: 'enforce' });
    const s = await send(cloudEvent(created));
    expect(s).toMatchObject({ alerted: 1, responses: 1, cards: { posted: 2, failures: [] } });
    const taskId = s.outcomes[0]!.responseTaskId!;
    expect(chat.notices[0]!.text).toContain(`automated response: set access key ${KEY.accessKeyId} of report-bot Inactive`);
    expect(chat.notices[0]!.text).toContain(`ramparts rollback ${taskId}`);
    // A card to each security member, about the response task.
    expect(chat.posts.map((p) => p.view.recipient.id).sort()).toEqual(['li.na', 'sun.yu']);
    const task = await store.tx((tx) => tx.getTask(taskId));
    expect(task).toMatchObject({ state: 'approved', approvals: ['system'], ownership: { owner: { kind: 'group', name: 'security' } }, finding: { rule: 'alert.access-key-created' } });
    expect((await ledger('alert.response.approved'))[0]).toMatchObject({ subject: taskId, data: { policy: 'alerts.responses.access-key-created' } });

    // The apply run carries it out, under the executor's checks.
    expect(await keyStatus()).toBe('Active');
    const applied = await wf.apply(clients);
    expect(applied.tasks.applied).toBe(1);
    expect(await keyStatus()).toBe('Inactive');
    const card = chat.updates.filter((u) => u.view.items.some((i) => i.taskId === taskId)).at(-1);
    expect(card?.view.items.find((i) => i.taskId === taskId)?.buttons.map((b) => b.action)).toContain('rollback');

    // Undo: a security member asks, another approves (separation of duties), apply restores the key.
    offset = HOUR;
    expect(await wf.decide({ taskId, action: 'rollback', actor: 'li.na', reason: 'the key belongs to the new report job', via: 'slack' })).toMatchObject({ status: 'recorded' });
    expect(await wf.decide({ taskId, action: 'approve', actor: 'li.na', via: 'slack' })).toMatchObject({ status: 'refused' });
    expect(await wf.decide({ taskId, action: 'approve', actor: 'wang.fang', via: 'slack' })).toMatchObject({ status: 'recorded' });
    await wf.apply(clients);
    expect(await keyStatus()).toBe('Active');
    expect((await store.tx((tx) => tx.getTask(taskId)))?.state).toBe('rolled_back');
    expect((await verifyStore(store)).ok).toBe(true);
  });

  it('responds only with the configured action, and never without config', async () => {
    await open({}, { mode: 'enforce' });
    const s = await send(cloudEvent({ ...created, eventId: 'evt-no-response' }));
    expect(s).toMatchObject({ alerted: 1, responses: 0 });
    expect(await store.tx((tx) => tx.listExecutions())).toEqual([]);
  });

  it('refuses a response action the alert type cannot take, naming the allowed ones', () => {
    expect(() => parseConfig({ people: PEOPLE, alerts: { responses: { 'access-key-created': 'detach-policy' } } }, { env: {}, rules: ALL_RULES })).toThrow(
      'alerts.responses."access-key-created": must be one of none, deactivate-access-key (the emergency actions allowed for access-key-created alerts)',
    );
  });
});
