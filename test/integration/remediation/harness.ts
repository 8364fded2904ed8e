/**
 * Executor tests: the demo emulator (real SDK over HTTP on 127.0.0.1) and PGlite in memory (one per
 * file, tables reset between tests).
 */
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { Emulator } from '../../../emulator/index.js';
import { verifyStore } from '../../../shared/audit/verify-store.js';
import type { CloudClients } from '../../../shared/cloud/clients.js';
import type { PlanStep, RemediationPlan } from '../../../shared/domain/remediation.js';
import { createExecution } from '../../../shared/remediation/index.js';
import type { ExecutorDeps } from '../../../shared/remediation/types.js';
import { createStore, type SqlStore } from '../../../shared/store/index.js';
import type { AuditEntry, PlanExecution } from '../../../shared/store/port.js';
import { resetStore } from '../../contract/store-fixtures.js';
import { clientsFor, emulatorWith, NOW } from '../harness.js';

export { NOW, verifyStore };

export interface Env {
  store: SqlStore;
  emulator: Emulator;
  clients: CloudClients;
  deps(over?: Partial<ExecutorDeps>): ExecutorDeps;
  /** Records an approved plan (pending execution) for a task. */
  approve(taskId: string, plan: RemediationPlan | PlanStep[]): Promise<PlanExecution>;
  execution(id: string): Promise<PlanExecution>;
  /** Write calls the emulator received, by action. */
  writes(): Record<string, number>;
  totalWrites(): number;
  audit(): Promise<AuditEntry[]>;
  clock: { now(): Date; advanceMinutes(m: number): void };
}

export async function openStore(): Promise<SqlStore> {
  const store = await createStore({ memory: true });
  await store.migrate();
  return store;
}

export async function openEnv(store: SqlStore): Promise<Env> {
  await resetStore(store);
  const emulator = await emulatorWith('demo');
  const clients = clientsFor(emulator);
  let current = new Date(NOW);
  const clock = {
    now: () => current,
    advanceMinutes: (m: number) => {
      current = new Date(current.getTime() + m * 60_000);
    },
  };
  return {
    store,
    emulator,
    clients,
    clock,
    deps: (over = {}) => ({
      store,
      clients,
      clock,
      mode: 'enforce',
      maxPerRun: 10,
      protectedPrincipals: { breakGlassUsers: ['break-glass'], roleArns: ['acs:ram::1234567890123456:role/ramparts-apply'] },
      deleteKeyAfterInactiveDays: 14,
      ...over,
    }),
    approve: (taskId, plan) =>
      createExecution(store, { id: `exec-${taskId}`, taskId, plan: Array.isArray(plan) ? { summary: `plan of ${taskId}`, steps: plan } : plan, now: clock.now() }),
    execution: async (id) => {
      const e = await store.tx((tx) => tx.getExecution(id));
      if (!e) throw new Error(`no execution ${id}`);
      return e;
    },
    writes: () => emulator.stats().writes,
    totalWrites: () => Object.values(emulator.stats().writes).reduce((a, b) => a + b, 0),
    audit: async () => {
      const out: AuditEntry[] = [];
      for await (const e of store.readAudit()) out.push(e);
      return out;
    },
  };
}

/** Plan steps on demo-scenario identities. */
export const steps = {
  deactivateKey: (userName = 'legacy-backup', accessKeyId = 'LTAI5tDemoLegacyBkp00001'): PlanStep => ({
    action: 'deactivate-access-key',
    target: { userName, accessKeyId },
    expect: { status: 'Active' },
    rollback: { call: 'UpdateAccessKey', status: 'Active' },
  }),
  deleteKey: (userId: string, inactiveSinceDays = 30): PlanStep => ({
    action: 'delete-access-key',
    target: { userName: 'mobile-backend', userId, accessKeyId: 'LTAI5tDemoMobileOld00001' },
    expect: { status: 'Inactive', inactiveSinceDays },
    rollback: { call: 'RestoreAccessKeyFromRecycleBin' },
  }),
  disableConsole: (principalName: string, userName = 'former-employee-sun'): PlanStep => ({
    action: 'disable-console-login',
    target: { userName, principalName },
    expect: { loginStatus: 'Active' },
    rollback: { call: 'UpdateLoginProfile', status: 'Active' },
  }),
  requireMfa: (userName = 'ops-wu'): PlanStep => ({
    action: 'require-mfa',
    target: { userName },
    expect: { mfaBindRequired: false },
    rollback: { call: 'UpdateLoginProfile', mfaBindRequired: false },
  }),
  detachFromUser: (userName = 'sre-admin', policyName = 'AdministratorAccess'): PlanStep => ({
    action: 'detach-policy',
    target: { principalType: 'user', principalName: userName, policyName, policyType: 'System' },
    expect: { attached: true },
    rollback: { call: 'AttachPolicyTo', principalType: 'user' },
  }),
  removeFromGroup: (userName = 'ops-wu', groupName = 'developers'): PlanStep => ({
    action: 'remove-from-group',
    target: { userName, groupName },
    expect: { member: true },
    rollback: { call: 'AddUserToGroup' },
  }),
};

/**
 * The per-file set-up every executor test shares: one PGlite store for the file, a fresh emulator and
 * reset tables per test. `set` receives each test's Env.
 */
export function useEnv(set: (env: Env) => void): void {
  let store: SqlStore;
  let env: Env | undefined;
  beforeAll(async () => {
    store = await openStore();
  });
  afterAll(async () => {
    await store.close();
  });
  beforeEach(async () => {
    env = await openEnv(store);
    set(env);
  });
  afterEach(async () => {
    await env?.emulator.close();
  });
}

/** A user of the emulated account, or a thrown error naming it. */
export function emulatorUser(env: Env, name: string) {
  const u = env.emulator.state.users.get(name);
  if (!u) throw new Error(`no user ${name}`);
  return u;
}
