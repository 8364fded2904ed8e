/**
 * Set-up for the FC `apply` function tests: the function's environment (config file, PGlite folder,
 * emulator endpoint, button secret), FC timer events and contexts, and review tasks taken through the
 * real workflow to `approved` (owner revokes, manager approves) or `rollback_approved`.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vi } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { parseConfig } from '../../shared/config/index.js';
import { fingerprint, type Finding, type Subject } from '../../shared/domain/finding.js';
import type { PlanStep } from '../../shared/domain/remediation.js';
import type { FcContext } from '../../shared/fc/types.js';
import { createLogger } from '../../shared/logger.js';
import { ALL_RULES } from '../../shared/rules/registry.js';
import { createWorkflow, type Workflow } from '../../shared/workflow.js';
import { NOW, SCANNER } from '../integration/harness.js';
import { report } from '../integration/review/harness.js';

export { NOW, SCANNER };

export const BUTTON_SECRET = 'fake-button-secret-for-tests-0123456789';
export const APPLY_ROLE = 'acs:ram::1234567890123456:role/ramparts-apply';

/** FC passes the role's keys; an empty securityToken means a plain access key (no STS session). */
export function context(credentials: Partial<FcContext['credentials']> = {}, requestId = 'c0ffee00-0000-4000-8000-0000000000a1'): FcContext {
  return {
    requestId,
    region: 'cn-hangzhou',
    accountId: '1234567890123456',
    credentials: { accessKeyId: SCANNER.accessKeyId, accessKeySecret: SCANNER.accessKeySecret, securityToken: '', ...credentials },
    function: { name: 'ramparts-apply', handler: 'index.handler', memory: 512, timeout: 600 },
  };
}

export const timerEvent = (at: Date | string) =>
  Buffer.from(JSON.stringify({ triggerTime: typeof at === 'string' ? at : at.toISOString(), triggerName: 'every-10m', payload: '{"job":"apply"}' }));

export const minutesAfterNow = (m: number) => new Date(NOW.getTime() + m * 60_000);

/**
 * dave owns every identity (pattern `*`); bob is his manager and may approve; sec is the security
 * group. Nobody signs in as a RAM user the plans touch, so separation of duties allows bob.
 */
export function rawConfig(dataDir: string, mode: 'observe' | 'enforce'): Record<string, unknown> {
  return {
    store: { dataDir },
    people: [
      { id: 'dave', name: 'Dave', manager: 'bob', groups: ['platform'] },
      { id: 'bob', name: 'Bob', groups: ['approvers'] },
      { id: 'sec', name: 'Sec', groups: ['security'] },
    ],
    owners: [{ pattern: '*', owner: 'dave' }],
    remediation: { mode, maxRevocationsPerRun: 20, protectedPrincipals: { breakGlassUsers: ['break-glass'], roleArns: [APPLY_ROLE] } },
  };
}

export interface FunctionEnv {
  dir: string;
  configFile: string;
  /** Rewrites the config file in another remediation mode. */
  setMode(mode: 'observe' | 'enforce'): void;
  /** A workflow on the function's store (close it before invoking the handler: PGlite is one process's). */
  workflow(at?: Date): Promise<Workflow>;
}

/** Stubs the function's environment variables (undo with vi.unstubAllEnvs) and writes its config file. */
export function functionEnv(emulator: Emulator, mode: 'observe' | 'enforce'): FunctionEnv {
  const dir = mkdtempSync(join(tmpdir(), 'ramparts-apply-'));
  const dataDir = join(dir, 'db');
  const configFile = join(dir, 'ramparts.config.yaml');
  let raw = rawConfig(dataDir, mode);
  const write = () => writeFileSync(configFile, `${JSON.stringify(raw, null, 2)}\n`); // JSON is YAML
  write();
  vi.stubEnv('RAMPARTS_CLOUD_ENDPOINT', emulator.url);
  vi.stubEnv('RAMPARTS_CONFIG', configFile);
  vi.stubEnv('RAMPARTS_BUTTON_SECRET', BUTTON_SECRET);
  vi.stubEnv('RAMPARTS_LOG_LEVEL', undefined);
  vi.stubEnv('DATABASE_URL', undefined);
  return {
    dir,
    configFile,
    setMode(m) {
      raw = rawConfig(dataDir, m);
      write();
    },
    workflow: (at = NOW) =>
      createWorkflow({
        config: parseConfig(raw, { env: { RAMPARTS_CLOUD_ENDPOINT: emulator.url }, rules: ALL_RULES }),
        env: { RAMPARTS_BUTTON_SECRET: BUTTON_SECRET },
        clock: { now: () => at },
        logger: createLogger('silent'),
      }),
  };
}

export interface Revocation {
  rule: string;
  subject: Subject;
  steps: PlanStep[];
}

function finding({ rule, subject, steps }: Revocation): Finding {
  return {
    rule,
    status: 'fail',
    severity: 'medium',
    title: rule,
    subject,
    evidence: { summary: `test finding on ${subject.name}` },
    remediation: { summary: 'fix it', plan: { summary: `plan for ${subject.name}`, steps } },
    fingerprint: fingerprint(rule, subject),
    partial: false,
  };
}


/**
 * Opens a task per revocation, the owner (dave) asks to revoke, his manager (bob) approves; then
 * `more` on the same workflow. Returns the task ids.
 */
export async function approveRevocations(env: FunctionEnv, revocations: Revocation[], more?: (wf: Workflow) => Promise<unknown>): Promise<string[]> {
  const wf = await env.workflow(NOW);
  try {
    await wf.syncScan(
      report(revocations.map(finding), {
        account: { id: '1234567890123456', alias: 'demo-corp' },
        scannedAt: NOW.toISOString(),
        // Group membership from the scan: separation of duties needs it to rule out the break-glass user on group changes.
        userGroups: { 'break-glass': ['admins'], 'ops-wu': ['developers'] },
      }),
    );
    const ids: string[] = [];
    for (const r of revocations) {
      const fp = fingerprint(r.rule, r.subject);
      const task = (await wf.store.tx((tx) => tx.listTasks({}))).find((t) => t.fingerprint === fp);
      if (!task) throw new Error(`no task for ${r.rule} on ${r.subject.name}`);
      const asked = await wf.decide({ taskId: task.id, action: 'revoke', actor: 'dave', reason: 'not needed any more', via: 'cli' });
      if (asked.status !== 'recorded') throw new Error(`revoke of ${task.id}: ${JSON.stringify(asked)}`);
      const approved = await wf.decide({ taskId: task.id, action: 'approve', actor: 'bob', via: 'cli' });
      if (approved.status !== 'recorded' || approved.task.state !== 'approved') throw new Error(`approve of ${task.id}: ${JSON.stringify(approved)}`);
      ids.push(task.id);
    }
    await more?.(wf);
    return ids;
  } finally {
    await wf.close();
  }
}

/** The owner asks to roll each applied task back, his manager approves. */
export async function approveRollbacks(env: FunctionEnv, taskIds: string[], at: Date): Promise<void> {
  const wf = await env.workflow(at);
  try {
    for (const taskId of taskIds) {
      const asked = await wf.decide({ taskId, action: 'rollback', actor: 'dave', reason: 'still needed by the nightly export', via: 'cli' });
      if (asked.status !== 'recorded') throw new Error(`rollback of ${taskId}: ${JSON.stringify(asked)}`);
      const approved = await wf.decide({ taskId, action: 'approve', actor: 'bob', via: 'cli' });
      if (approved.status !== 'recorded' || approved.task.state !== 'rollback_approved') throw new Error(`approve rollback of ${taskId}: ${JSON.stringify(approved)}`);
    }
  } finally {
    await wf.close();
  }
}

/** Task states on the function's store. */
export async function taskStates(env: FunctionEnv): Promise<Record<string, string>> {
  const wf = await env.workflow();
  try {
    return Object.fromEntries((await wf.store.tx((tx) => tx.listTasks({}))).map((t) => [t.id, t.state]));
  } finally {
    await wf.close();
  }
}

/** Plan steps on demo-scenario identities (emulator/scenarios/demo.yaml). */
export const steps = {
  deactivateKey: (): PlanStep => ({
    action: 'deactivate-access-key',
    target: { userName: 'legacy-backup', accessKeyId: 'LTAI5tDemoLegacyBkp00001' },
    expect: { status: 'Active' },
    rollback: { call: 'UpdateAccessKey', status: 'Active' },
  }),
  /** mobile-backend's old key is Inactive; approved as inactive 30 days (deletion needs 14). */
  deleteKey: (userId: string): PlanStep => ({
    action: 'delete-access-key',
    target: { userName: 'mobile-backend', userId, accessKeyId: 'LTAI5tDemoMobileOld00001' },
    expect: { status: 'Inactive', inactiveSinceDays: 30 },
    rollback: { call: 'RestoreAccessKeyFromRecycleBin' },
  }),
  disableConsole: (principalName: string): PlanStep => ({
    action: 'disable-console-login',
    target: { userName: 'former-employee-sun', principalName },
    expect: { loginStatus: 'Active' },
    rollback: { call: 'UpdateLoginProfile', status: 'Active' },
  }),
  requireMfa: (): PlanStep => ({
    action: 'require-mfa',
    target: { userName: 'ops-wu' },
    expect: { mfaBindRequired: false },
    rollback: { call: 'UpdateLoginProfile', mfaBindRequired: false },
  }),
  detach: (principalType: 'user' | 'group' | 'role', principalName: string, policyName: string, policyType: 'System' | 'Custom'): PlanStep => ({
    action: 'detach-policy',
    target: { principalType, principalName, policyName, policyType },
    expect: { attached: true },
    rollback: { call: 'AttachPolicyTo', principalType },
  }),
  removeFromGroup: (): PlanStep => ({
    action: 'remove-from-group',
    target: { userName: 'ops-wu', groupName: 'developers' },
    expect: { member: true },
    rollback: { call: 'AddUserToGroup' },
  }),
};
