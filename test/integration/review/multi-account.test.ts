/**
 * Review state per member account, on the emulator's `multi-account` scenario: each member's findings
 * carry the account and fingerprints that include its id, so two members never share a task; a member's
 * scan resolves only its own tasks; prompts name the account; an approved revocation in a member is
 * applied in that member through its apply role (STS AssumeRole), never in the account ramparts runs in.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadScenario, type Emulator } from '../../../emulator/index.js';
import { verifyStore } from '../../../shared/audit/verify-store.js';
import { createCloudClients, staticCredential, type CloudClients } from '../../../shared/cloud/clients.js';
import { $Ram } from '../../../shared/cloud/sdk.js';
import { assumeRoleCredential } from '../../../shared/cloud/assume-role.js';
import { parseConfig, type Config } from '../../../shared/config/index.js';
import { fingerprint } from '../../../shared/domain/finding.js';
import { createLogger } from '../../../shared/logger.js';
import type { ReviewTask } from '../../../shared/review/types.js';
import { ALL_RULES } from '../../../shared/rules/registry.js';
import { scanAccounts } from '../../../shared/scan/scan-accounts.js';
import { createStore, type SqlStore } from '../../../shared/store/index.js';
import { createWorkflow, type Workflow } from '../../../shared/workflow.js';
import { emulatorWith, NOW, SCANNER } from '../harness.js';
import { RecordingChat } from './recording-chat.js';

const PROD = '2000000000000002';
const DEV = '3000000000000003';
const KEY = { userName: 'deploy-bot', accessKeyId: 'LTAI5tProdDeployKey0001' };
const ENV = { RAMPARTS_BUTTON_SECRET: 'fake-button-secret-for-tests-0123456789' };
const PEOPLE = [
  { id: 'wang.fang', name: 'Wang Fang', groups: ['approvers'] },
  { id: 'chen.jie', name: 'Chen Jie', manager: 'wang.fang', groups: ['platform'] },
  { id: 'li.na', name: 'Li Na', groups: ['security'] },
];

let emulator: Emulator;
let store: SqlStore;
let wf: Workflow;
let chat: RecordingChat;
let config: Config;
let clients: CloudClients;
let offset = 0;

/** The scenario, with an apply role in prod that trusts the management account (as templates/ram-trust-member-scan.json). */
async function scenario() {
  const s = await loadScenario('multi-account');
  const prod = s.members.find((m) => m.account.id === PROD)!;
  const scanRole = prod.roles[0]!;
  prod.roles = [
    ...prod.roles,
    {
      ...scanRole,
      name: 'ramparts-apply',
      trustPolicy: { Version: '1', Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { RAM: ['acs:ram::1000000000000001:root'] } }] },
      policies: [{ name: 'AdministratorAccess', type: 'System' }],
    },
  ];
  return s;
}

async function scan(members: Array<{ id: string; name: string }>): Promise<void> {
  const cfg = { ...config, accounts: { ...config.accounts, members } };
  const result = await scanAccounts({ clients, config: cfg, now: NOW, sleep: async () => {}, logger: createLogger('silent') });
  for (const a of result.accounts) {
    expect(a.ok, a.error).toBe(true);
    await wf.syncScan(a.report!);
  }
}

const tasks = (): Promise<ReviewTask[]> => store.tx((tx) => tx.listTasks({}));

/** Key status as the member itself sees it (read through its scan role). */
async function prodKeyStatus(): Promise<string | undefined> {
  const credential = assumeRoleCredential(clients, { roleArn: `acs:ram::${PROD}:role/ramparts-scan`, sessionName: 'test-read' });
  const prod = createCloudClients(config.cloud, { credential });
  const res = await prod.ram.listAccessKeys(new $Ram.ListAccessKeysRequest({ userName: KEY.userName }));
  return res.body?.accessKeys?.accessKey?.find((k) => k.accessKeyId === KEY.accessKeyId)?.status;
}

beforeEach(async () => {
  offset = 0;
  emulator = await emulatorWith(await scenario());
  config = parseConfig(
    {
      accounts: { mode: 'list', members: [{ id: PROD, name: 'prod' }, { id: DEV, name: 'dev' }] },
      activity: { source: 'none' },
      people: PEOPLE,
      owners: [{ pattern: '*', owner: 'chen.jie' }],
      remediation: { mode: 'enforce' },
    },
    { env: { RAMPARTS_CLOUD_ENDPOINT: emulator.url }, rules: ALL_RULES },
  );
  clients = createCloudClients(config.cloud, { credential: staticCredential(SCANNER.accessKeyId, SCANNER.accessKeySecret) });
  store = await createStore({ memory: true });
  await store.migrate();
  chat = new RecordingChat();
  wf = await createWorkflow({ config, env: ENV, clock: { now: () => new Date(NOW.getTime() + offset) }, store, chat });
});
afterEach(async () => {
  await store?.close();
  await emulator?.close();
});

describe('review state per member account', () => {
  it('keeps each member’s findings and tasks apart, and names the account in every prompt', async () => {
    await scan([{ id: PROD, name: 'prod' }, { id: DEV, name: 'dev' }]);
    const all = await tasks();
    const prod = all.filter((t) => t.finding.account?.id === PROD);
    const dev = all.filter((t) => t.finding.account?.id === DEV);
    expect(prod.length).toBeGreaterThan(0);
    expect(dev.length).toBeGreaterThan(0);
    expect(prod.length + dev.length).toBe(all.length);
    // The account is part of the fingerprint: the same rule on an account-level subject in two members is two tasks.
    for (const t of all) expect(t.fingerprint).toBe(fingerprint(t.finding.rule, t.finding.subject, t.finding.account!.id));
    expect(new Set(all.map((t) => t.fingerprint)).size).toBe(all.length);
    const key = prod.find((t) => t.finding.subject.name === KEY.accessKeyId && t.finding.remediation.plan !== null);
    expect(key?.finding.remediation.plan?.account).toBe(PROD);

    const items = chat.posts.flatMap((p) => p.view.items);
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) expect(item.subject).toMatch(/ in account (prod \(2000000000000002\)|dev \(3000000000000003\))$/);
  });

  it('a member’s scan resolves only its own tasks', async () => {
    await scan([{ id: PROD, name: 'prod' }, { id: DEV, name: 'dev' }]);
    const before = await tasks();
    // dev.li is deleted in dev; only dev is scanned again.
    const devState = emulator.account(DEV);
    devState.users.delete('dev.li');
    devState.invalidate();
    await scan([{ id: DEV, name: 'dev' }]);
    const after = await tasks();
    const devLi = after.filter((t) => t.finding.account?.id === DEV && (t.finding.subject.name === 'dev.li' || t.finding.subject.user === 'dev.li'));
    expect(devLi.length).toBeGreaterThan(0);
    expect(devLi.every((t) => t.state === 'resolved')).toBe(true);
    // Nothing of prod changed state, although prod's findings were not in the dev report.
    const prodBefore = before.filter((t) => t.finding.account?.id === PROD);
    const prodAfter = new Map(after.map((t) => [t.id, t.state]));
    expect(prodBefore.length).toBeGreaterThan(0);
    for (const t of prodBefore) expect(prodAfter.get(t.id)).toBe(t.state);
  });

  it('applies an approved revocation in the member through its apply role, and rolls it back there', async () => {
    await scan([{ id: PROD, name: 'prod' }]);
    const task = (await tasks()).find((t) => t.finding.subject.name === KEY.accessKeyId && t.finding.remediation.plan !== null)!;
    expect(task).toBeDefined();
    expect(await wf.decide({ taskId: task.id, action: 'revoke', actor: 'chen.jie', reason: 'unused since the migration', via: 'slack' })).toMatchObject({ status: 'recorded' });
    expect(await wf.decide({ taskId: task.id, action: 'approve', actor: 'wang.fang', via: 'slack' })).toMatchObject({ status: 'recorded', task: { state: 'approved' } });

    expect(await prodKeyStatus()).toBe('Active');
    const run = await wf.apply(clients);
    expect(run).toMatchObject({ writes: 1, tasks: { applied: 1 } });
    expect(await prodKeyStatus()).toBe('Inactive');
    expect(await store.tx((tx) => tx.getTask(task.id))).toMatchObject({ state: 'applied' });

    // Rolled back in the member too: the owner asks, the manager approves, the next run undoes it there.
    offset = 2 * 3_600_000;
    expect(await wf.decide({ taskId: task.id, action: 'rollback', actor: 'chen.jie', reason: 'the nightly deploy still uses it', via: 'slack' })).toMatchObject({ status: 'recorded' });
    expect(await wf.decide({ taskId: task.id, action: 'approve', actor: 'wang.fang', via: 'slack' })).toMatchObject({ status: 'recorded', task: { state: 'rollback_approved' } });
    expect((await wf.apply(clients)).tasks.rolledBack).toBe(1);
    expect(await prodKeyStatus()).toBe('Active');
    expect(await verifyStore(store)).toMatchObject({ ok: true });
  });

  it('refuses a member plan when the member has no apply role to assume, and writes nothing', async () => {
    // dev has no ramparts-apply role: the plan fails with the reason, the task goes to failed, nothing is written.
    await scan([{ id: DEV, name: 'dev' }]);
    const task = (await tasks()).find((t) => t.finding.remediation.plan !== null);
    expect(task, 'dev has a finding with a plan').toBeDefined();
    expect(await wf.decide({ taskId: task!.id, action: 'revoke', actor: 'chen.jie', reason: 'not needed', via: 'slack' })).toMatchObject({ status: 'recorded' });
    expect(await wf.decide({ taskId: task!.id, action: 'approve', actor: 'wang.fang', via: 'slack' })).toMatchObject({ status: 'recorded' });
    const writesBefore = Object.values(emulator.stats().writes).reduce((a, b) => a + b, 0);
    const run = await wf.apply(clients);
    expect(run.writes).toBe(0);
    expect(Object.values(emulator.stats().writes).reduce((a, b) => a + b, 0)).toBe(writesBefore);
    const execution = await store.tx((tx) => tx.getExecutionByTask(task!.id));
    expect(execution).toMatchObject({ state: 'failed' });
    expect(execution!.error).toMatch(/ramparts-apply/);
  });
});
