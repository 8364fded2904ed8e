/**
 * `templates/ram-policy-apply.json` grants exactly what the apply function calls. The FC handler runs
 * on the demo emulator in enforce mode: approved plans covering every step action (and every principal
 * type of detach-policy) are applied, then their approved rollbacks are run; every action the emulator
 * received is mapped to the RAM action that authorizes it and compared with the policy. narrow-policy
 * cannot be approved through review yet (the workflow's membership has no `attachmentsOfPolicy`, so
 * separation of duties refuses it): its execution is recorded directly, applied by the function, and
 * rolled back through the same executor on the function's store. Also: the scan
 * policy stays read-only, and s.yaml gives the apply role to the apply function only.
 */
import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { handler } from '../../functions/apply/index.js';
import type { Emulator } from '../../emulator/index.js';
import type { PlanStep } from '../../shared/domain/remediation.js';
import { createExecution, rollbackExecution } from '../../shared/remediation/index.js';
import { clientsFor, emulatorWith } from '../integration/harness.js';
import { approveRevocations, approveRollbacks, context, functionEnv, minutesAfterNow, NOW, steps as harnessSteps, taskStates, timerEvent, type FunctionEnv, type Revocation } from './apply-harness.js';

const APPLY_POLICY = new URL('../../templates/ram-policy-apply.json', import.meta.url);
const SCAN_POLICY = new URL('../../templates/ram-policy-scan.json', import.meta.url);
const S_YAML = new URL('../../s.yaml', import.meta.url);
/** Verbs of RAM (and IMS) APIs that change the account. */
const WRITE_VERB = /^(Create|Update|Delete|Attach|Detach|Add|Remove|Set|Put|Bind|Unbind|Change|Restore)/;

interface PolicyDocument {
  Version: string;
  Statement: Array<{ Effect: string; Action: string | string[]; Resource: string | string[] }>;
}

async function policyActions(file: URL): Promise<string[]> {
  const doc = JSON.parse(await readFile(file, 'utf8')) as PolicyDocument;
  expect(doc.Version).toBe('1');
  expect(doc.Statement.every((s) => s.Effect === 'Allow')).toBe(true);
  return doc.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
}

/** Every call the emulator answered, product-qualified (`ims:UpdateLoginProfile`). */
function called(emulator: Emulator): string[] {
  return Object.entries(emulator.stats().byProduct).flatMap(([product, counters]) => Object.keys(counters.calls).map((action) => `${product}:${action}`));
}

/** The RAM action that authorizes a call: IMS 2019-08-15 operations are authorized as `ram:<Action>`. */
const permission = (call: string) => call.replace(/^ims:/, 'ram:');

const WINDOW = { from: '2026-03-03T00:00:00Z', to: '2026-06-01T00:00:00Z' };
const allow = (actions: string[]) => JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] });

/** EcsOperator (`ecs:*`) narrowed to what ecs-operator-lin used. */
const narrowEcsOperator: PlanStep = {
  action: 'narrow-policy',
  target: { policyName: 'EcsOperator', document: allow(['ecs:DescribeInstances']) },
  expect: { defaultVersion: 'v1' },
  proof: { used: ['ecs:DescribeInstances'], window: WINDOW },
  rollback: { call: 'SetDefaultPolicyVersion', versionId: 'v1' },
};

const steps = {
  ...harnessSteps,
  /** The generated custom policy replacing a system one (the first half; a detach-policy follows). */
  attachNarrowed: (principalType: 'user' | 'group' | 'role', principalName: string, policyName: string, used: string[]): PlanStep => ({
    action: 'attach-policy',
    target: { principalType, principalName, policyName, policyType: 'Custom', document: allow(used), description: `narrowed for ${principalName}` },
    expect: { attached: false },
    proof: { used, window: WINDOW },
    rollback: { call: 'DetachPolicyFrom', deletePolicy: true },
  }),
};

let emulator: Emulator;
let env: FunctionEnv;
let quiet: Array<MockInstance<typeof process.stdout.write>>;

beforeEach(async () => {
  emulator = await emulatorWith('demo');
  env = functionEnv(emulator, 'enforce');
  // The function logs on stderr and the console chat prints cards on stdout.
  quiet = [process.stdout, process.stderr].map((s) => vi.spyOn(s, 'write').mockImplementation(() => true));
});

afterEach(async () => {
  for (const q of quiet) q.mockRestore();
  vi.unstubAllEnvs();
  await emulator.close();
});

describe('templates/ram-policy-apply.json', { timeout: 120_000 }, () => {
  it('grants exactly the actions the apply function calls to apply every step action and roll it back', async () => {
    const user = (name: string) => {
      const u = emulator.state.users.get(name);
      if (!u) throw new Error(`no user ${name}`);
      return u;
    };
    const upn = `former-employee-sun@${emulator.state.account.defaultDomain}`;
    const revocations: Revocation[] = [
      { rule: 'ram.access-key-stale', subject: { type: 'accessKey', id: 'LTAI5tDemoLegacyBkp00001', name: 'LTAI5tDemoLegacyBkp00001', user: 'legacy-backup' }, steps: [steps.deactivateKey()] },
      { rule: 'ram.access-key-unused', subject: { type: 'accessKey', id: 'LTAI5tDemoMobileOld00001', name: 'LTAI5tDemoMobileOld00001', user: 'mobile-backend' }, steps: [steps.deleteKey(user('mobile-backend').id)] },
      { rule: 'ram.user-console-inactive', subject: { type: 'user', id: user('former-employee-sun').id, name: 'former-employee-sun' }, steps: [steps.disableConsole(upn)] },
      { rule: 'ram.user-console-without-mfa', subject: { type: 'user', id: user('ops-wu').id, name: 'ops-wu' }, steps: [steps.requireMfa(), steps.removeFromGroup()] },
      { rule: 'ram.policy-attached-to-user', subject: { type: 'user', id: user('sre-admin').id, name: 'sre-admin' }, steps: [steps.detach('user', 'sre-admin', 'AdministratorAccess', 'System')] },
      { rule: 'ram.policy-service-wildcard', subject: { type: 'group', id: 'g-developers', name: 'developers' }, steps: [steps.detach('group', 'developers', 'DevEcsReadOnly', 'Custom')] },
      { rule: 'ram.role-trust-risky', subject: { type: 'role', id: 'r-ecs-app-role', name: 'ecs-app-role' }, steps: [steps.detach('role', 'ecs-app-role', 'AppOssReadOnly', 'Custom')] },
      {
        rule: 'ram.policy-attached-to-user',
        subject: { type: 'user', id: user('analyst-xu').id, name: 'analyst-xu' },
        steps: [steps.attachNarrowed('user', 'analyst-xu', 'ramparts-analyst-xu-oss', ['oss:GetObject']), steps.detach('user', 'analyst-xu', 'AliyunOSSReadOnlyAccess', 'System')],
      },
    ];
    const taskIds = await approveRevocations(env, revocations, (wf) =>
      createExecution(wf.store, { id: 'exec-narrow', taskId: 'task-narrow', plan: { summary: 'narrow EcsOperator', steps: [narrowEcsOperator] }, now: NOW }),
    );
    emulator.resetStats();

    const applied = await handler(timerEvent(minutesAfterNow(10)), context());
    expect(applied.executions).toEqual({ applied: 9 });
    expect(applied.tasks.applied).toBe(8);
    expect(applied.writes).toBe(11);
    const applyCalls = called(emulator);
    // The only errors: GetPolicy answering EntityNotExist for the generated policy before it is created.
    expect(Object.keys(emulator.stats().errors)).toEqual(['GetPolicy']);

    await approveRollbacks(env, taskIds, minutesAfterNow(15));
    emulator.resetStats();
    const rolledBack = await handler(timerEvent(minutesAfterNow(20)), context(undefined, 'c0ffee00-0000-4000-8000-0000000000a2'));
    expect(rolledBack.rollbacks).toEqual({ rolled_back: 8 });
    expect(rolledBack.tasks.rolledBack).toBe(8);
    expect(rolledBack.writes).toBe(10);
    expect(Object.values(await taskStates(env))).toEqual(Array(8).fill('rolled_back'));
    const wf = await env.workflow(minutesAfterNow(25));
    try {
      const narrowBack = await rollbackExecution({ store: wf.store, clients: clientsFor(emulator), clock: { now: () => minutesAfterNow(25) }, mode: 'enforce', deleteKeyAfterInactiveDays: 14 }, 'exec-narrow');
      expect(narrowBack).toMatchObject({ outcome: 'rolled_back', writes: 1 });
    } finally {
      await wf.close();
    }
    expect(emulator.state.policy('Custom', 'EcsOperator')?.defaultVersion).toBe('v1');
    expect(emulator.state.policy('Custom', 'ramparts-analyst-xu-oss')).toBeUndefined();
    const rollbackCalls = called(emulator);
    // ...and once it is deleted again.
    expect(Object.keys(emulator.stats().errors)).toEqual(['GetPolicy']);

    // Every write and its inverse was made, through the product the step handler uses.
    const calls = new Set([...applyCalls, ...rollbackCalls]);
    for (const write of [
      'ram:UpdateAccessKey',
      'ram:DeleteAccessKey',
      'ims:RestoreAccessKeyFromRecycleBin',
      'ims:UpdateLoginProfile',
      'ram:UpdateLoginProfile',
      'ram:DetachPolicyFromUser',
      'ram:DetachPolicyFromGroup',
      'ram:DetachPolicyFromRole',
      'ram:AttachPolicyToUser',
      'ram:AttachPolicyToGroup',
      'ram:AttachPolicyToRole',
      'ram:RemoveUserFromGroup',
      'ram:AddUserToGroup',
      'ram:CreatePolicyVersion',
      'ram:SetDefaultPolicyVersion',
      'ram:CreatePolicy',
      'ram:DeletePolicy',
    ]) {
      expect(calls, write).toContain(write);
    }

    const needed = new Set([...calls].map(permission));
    const granted = new Set(await policyActions(APPLY_POLICY));
    const missing = [...needed].filter((a) => !granted.has(a)).sort();
    const extra = [...granted].filter((a) => !needed.has(a)).sort();
    expect({ missing, extra }, `policy vs calls — missing: ${missing.join(', ') || 'none'}; extra: ${extra.join(', ') || 'none'}`).toEqual({ missing: [], extra: [] });
  });

  it('names each action once, without wildcards, on RAM only', async () => {
    const actions = await policyActions(APPLY_POLICY);
    expect(new Set(actions).size).toBe(actions.length);
    expect(actions.filter((a) => a.includes('*'))).toEqual([]);
    expect(actions.filter((a) => !/^ram:[A-Z][A-Za-z]+$/.test(a))).toEqual([]);
    // It can write: it is the one role that does.
    expect(actions.filter((a) => WRITE_VERB.test(a.split(':')[1] ?? a)).length).toBeGreaterThan(0);
  });
});

describe('templates/ram-policy-scan.json', () => {
  it('grants no action that can change the account: the scan role stays read-only', async () => {
    const actions = await policyActions(SCAN_POLICY);
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.filter((a) => WRITE_VERB.test(a.split(':')[1] ?? a))).toEqual([]);
    const apply = new Set((await policyActions(APPLY_POLICY)).filter((a) => WRITE_VERB.test(a.split(':')[1] ?? a)));
    expect(actions.filter((a) => apply.has(a))).toEqual([]);
  });
});

describe('s.yaml', () => {
  interface Resource {
    component: string;
    props: {
      functionName: string;
      code: string;
      handler: string;
      runtime: string;
      timeout: number;
      role: string;
      environmentVariables: Record<string, string>;
      asyncInvokeConfig?: { maxAsyncRetryAttempts: number; maxAsyncEventAgeInSeconds?: number };
      triggers?: Array<{ triggerType: string; triggerConfig: { cronExpression?: string; enable?: boolean; payload?: string } }>;
    };
  }
  const load = async () => parseYaml(await readFile(S_YAML, 'utf8')) as { vars: Record<string, string>; resources: Record<string, Resource> };

  it('deploys apply every 10 minutes from dist/apply under the apply role, never retried', async () => {
    const s = await load();
    const apply = s.resources.apply;
    expect(apply).toBeDefined();
    expect(apply!.component).toBe('fc3');
    expect(apply!.props).toMatchObject({ functionName: 'ramparts-apply', code: './dist/apply', handler: 'index.handler', runtime: 'nodejs20', role: '${vars.applyRole}' });
    expect(apply!.props.asyncInvokeConfig?.maxAsyncRetryAttempts).toBe(0);
    expect(apply!.props.triggers).toEqual([
      expect.objectContaining({ triggerType: 'timer', triggerConfig: { cronExpression: 'CRON_TZ=Asia/Shanghai 0 */10 * * * *', enable: true, payload: '{"job":"apply"}' } }),
    ]);
    expect(apply!.props.timeout).toBeGreaterThanOrEqual(300); // FC's default is 3 s
    expect(s.vars.applyRole).toBe("${env('RAMPARTS_APPLY_ROLE_ARN')}");
    // It updates cards: the same store and chat settings as remind.
    const remind = s.resources.remind!;
    expect(Object.keys(apply!.props.environmentVariables).sort()).toEqual(Object.keys(remind.props.environmentVariables).sort());
  });

  it('gives the apply role (the only one that can write to RAM) to the apply function only', async () => {
    const s = await load();
    const withApplyRole = Object.entries(s.resources)
      .filter(([, r]) => r.props.role === '${vars.applyRole}')
      .map(([name]) => name);
    expect(withApplyRole).toEqual(['apply']);
    expect(s.resources.scan?.props.role).toBe('${vars.scanRole}');
    expect(s.resources.interact?.props.role).toBe('${vars.reviewRole}');
    expect(s.resources.remind?.props.role).toBe('${vars.reviewRole}');
  });
});
