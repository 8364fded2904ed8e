import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { buildEvidence } from '../../shared/audit/evidence.js';
import { renderEvidenceCsv } from '../../shared/audit/evidence-render.js';
import { verifyStore } from '../../shared/audit/verify-store.js';
import { $Ram } from '../../shared/cloud/sdk.js';
import type { CloudClients } from '../../shared/cloud/clients.js';
import { createConsoleChat } from '../../shared/chat/console.js';
import { memoryCache } from '../../shared/chat/index.js';
import { signedSlackClick } from '../../shared/chat/slack/signed-click.js';
import { parseConfig } from '../../shared/config/index.js';
import { createInteractHandler } from '../../shared/interact/handler.js';
import type { ScanReport } from '../../shared/report/types.js';
import type { ReviewTask } from '../../shared/review/types.js';
import { ALL_RULES } from '../../shared/rules/registry.js';
import { createStore } from '../../shared/store/index.js';
import { createWorkflow } from '../../shared/workflow.js';
import { renderDigestHtml } from '../../templates/digest/html.js';
import { trendChartPng } from '../../templates/digest/png.js';
import type { CliIO } from '../io.js';

// Fake secrets, only ever used inside this process.
const DEMO_SLACK_SECRET = 'demo-slack-signing-secret-not-real';
const DEMO_ENV = { RAMPARTS_BUTTON_SECRET: 'demo-button-secret-not-real-0123456789' };
const DAY = 86_400_000;

/** The emulated account the demo changes: RAM clients on it and its count of write calls. */
export interface DemoCloud {
  clients: CloudClients;
  writes(): number;
}

/**
 * The review and remediation cycle after the demo scan: tasks opened and one prompt per owner (console
 * chat); an owner's "Revoke" click and a manager's "Approve" click sent through the real interact
 * handler as correctly signed Slack requests (a forged one and a self-approval refused); the apply run
 * in observe mode (no write), then in enforce mode changing the emulated account; a rollback asked by
 * the owner and approved; a least-privilege narrowing of ecs-operator-lin's EcsOperator applied and
 * rolled back the same way; the evidence file; the weekly digest and its HTML report. In-memory store;
 * nothing leaves the process.
 */
export async function demoReviewCycle(report: ScanReport, io: CliIO, cloud: DemoCloud): Promise<void> {
  const raw = parse(await readFile(new URL('../../templates/demo/ramparts.config.yaml', import.meta.url), 'utf8')) as unknown;
  const config = parseConfig(raw, { env: {}, rules: ALL_RULES });
  let offset = 0;
  const clock = { now: () => new Date(Date.now() + offset) };
  const out = io.stdout;
  const store = await createStore({ memory: true });
  // Section 8 condenses the chat's card reprints to one line each: its cards carry a 20-line diff.
  let condensed = false;
  const chat = createConsoleChat({ out: { write: (chunk: string) => out.write(condensed ? condenseCard(chunk) : chunk) } });
  // Switching remediation.mode means a new workflow over the same store and chat (closing one closes the store).
  const open = (mode: 'observe' | 'enforce') => createWorkflow({ config: { ...config, remediation: { ...config.remediation, mode } }, env: DEMO_ENV, clock, store, chat });
  let wf = await open('observe');
  try {
    const section = (title: string) => out.write(`\n━━ ${title} ${'━'.repeat(Math.max(3, 90 - title.length))}\n`);
    section('1. Review tasks: one prompt per owner (console chat; Slack/DingTalk in production)');
    const synced = await wf.syncScan(report);
    out.write(`\n${synced.opened} tasks opened, ${synced.prompted} prompts sent.\n`);

    section('2. Chen Jie clicks "Revoke" in Slack → signed callback → interact handler');
    const tasks = await wf.store.tx((tx) => tx.listTasks({ assignee: 'chen.jie', states: ['awaiting_owner'] }));
    // The report-bot's unused key: a one-step, reversible plan (deactivate), the same on every run.
    const task = tasks.find((t) => t.finding.rule === 'ram.access-key-unused' && t.finding.subject.user === 'report-bot') ?? tasks[0];
    if (!task) {
      out.write('(no task for chen.jie)\n');
      return;
    }
    const handler = createInteractHandler({
      slack: { signingSecrets: [DEMO_SLACK_SECRET] },
      tokens: wf.tokens,
      directory: wf.directory,
      cache: memoryCache(),
      decide: wf.decide,
      now: () => clock.now().getTime(),
    });
    const click = (action: 'revoke' | 'keep' | 'approve', signingSecret: string, as = { id: 'chen.jie', slack: 'U0DEMOCHEN' }, taskId = task.id) =>
      signedSlackClick({ taskId, action, token: wf.tokens.sign(taskId, action, as.id), slackUserId: as.slack, signingSecret, nowMs: clock.now().getTime() });
    const response = await handler(click('revoke', DEMO_SLACK_SECRET));
    const after = await wf.store.tx((tx) => tx.getTask(task.id));
    out.write(`\nPOST /slack/actions → HTTP ${response.status}; task ${task.id.slice(0, 8)} (${task.finding.subject.name}) is now ${after?.state}.\n`);
    const forged = await handler(click('keep', 'wrong-secret'));
    out.write(`The same click signed with a wrong secret → HTTP ${forged.status}, nothing recorded.\n`);

    section('3. Five days later: ramparts remind');
    offset = 5 * DAY;
    const reminded = await wf.remind();
    out.write(`\n${reminded.reminded} tasks reminded in ${reminded.messages} messages.\n`);

    section('4. Approval under separation of duties (signed Slack callbacks)');
    const self = await handler(click('approve', DEMO_SLACK_SECRET));
    const selfBody = (await self.json()) as { text?: string };
    out.write(`\nChen Jie approves his own request → HTTP ${self.status}: ${selfBody.text ?? ''}\n`);
    const approved = await handler(click('approve', DEMO_SLACK_SECRET, { id: 'wang.fang', slack: 'U0DEMOWANG' }));
    const execution = await wf.store.tx((tx) => tx.getExecutionByTask(task.id));
    out.write(`Wang Fang (his manager) approves → HTTP ${approved.status}; task is ${(await wf.store.tx((tx) => tx.getTask(task.id)))?.state}; plan recorded as ${execution?.id ?? 'nothing'}.\n`);
    if (!execution) return;
    const step = execution.plan.steps[0];
    const keyStatus = async () => {
      if (step?.action !== 'deactivate-access-key') return 'n/a';
      const res = await cloud.clients.ram.listAccessKeys(new $Ram.ListAccessKeysRequest({ userName: step.target.userName }));
      return res.body?.accessKeys?.accessKey?.find((k) => k.accessKeyId === step.target.accessKeyId)?.status ?? 'gone';
    };

    section('5. ramparts apply — remediation.mode: observe (the default)');
    const observed = await wf.apply(cloud.clients);
    out.write(`\n${observed.executions.map((e) => `${e.outcome}: would call ${(e.wouldApply ?? []).join('; ')}`).join('\n')}\n`);
    out.write(`RAM write calls: ${observed.writes} (the emulator counted ${cloud.writes()}); key status still ${await keyStatus()}.\n`);

    section('6. ramparts apply — remediation.mode: enforce');
    wf = await open('enforce');
    const before = await keyStatus();
    const applied = await wf.apply(cloud.clients);
    out.write(`\nre-read the live key, compared it with what Wang Fang approved, wrote once, read it back:\n`);
    out.write(`${applied.executions.map((e) => `${e.executionId}: ${e.outcome}, ${e.writes} write`).join('\n')}\n`);
    out.write(`Key ${step?.action === 'deactivate-access-key' ? step.target.accessKeyId : ''} in the emulated account: ${before} → ${await keyStatus()} (emulator write calls: ${cloud.writes()}).\n`);
    const rerun = await wf.apply(cloud.clients);
    out.write(`Running apply again: ${rerun.writes} writes (exactly once).\n`);

    section('7. Rollback: the owner asks, the manager approves, apply restores access');
    offset += 2 * 3_600_000;
    const asked = await wf.decide({ taskId: task.id, action: 'rollback', actor: 'chen.jie', reason: 'the month-end report job still uses this key', via: 'cli' });
    out.write(`\nramparts rollback ${execution.id} --as chen.jie --reason "…" → ${asked.status === 'recorded' ? asked.task.state : asked.status}\n`);
    await handler(click('approve', DEMO_SLACK_SECRET, { id: 'wang.fang', slack: 'U0DEMOWANG' }));
    const rolled = await wf.apply(cloud.clients);
    out.write(`Approved by Wang Fang; apply rolled back ${rolled.tasks.rolledBack} plan — key status now ${await keyStatus()}; task is ${(await wf.store.tx((tx) => tx.getTask(task.id)))?.state}.\n`);

    section('8. Least privilege: narrow a policy to what was used');
    const lin = (await wf.store.tx((tx) => tx.listTasks({ assignee: 'ops.wu', states: ['awaiting_owner'] }))).find(
      (t) => t.finding.rule === 'ram.permission-unused' && t.finding.subject.name === 'ecs-operator-lin',
    );
    if (!lin) {
      out.write('\n(no ram.permission-unused task for ecs-operator-lin)\n');
    } else {
      const current = wf;
      condensed = true;
      await leastPrivilege(lin, out, cloud, {
        click: async (action, as) => (await handler(click(action, DEMO_SLACK_SECRET, as, lin.id))).status,
        rollback: async () => {
          offset += 3_600_000;
          const r = await current.decide({ taskId: lin.id, action: 'rollback', actor: 'ops.wu', reason: 'the autoscaler also calls ecs:ModifyInstanceAttribute', via: 'cli' });
          return r.status === 'recorded' ? r.task.state : r.status;
        },
        apply: async () => (await current.apply(cloud.clients)).tasks,
        state: async () => (await current.store.tx((tx) => tx.getTask(lin.id)))?.state ?? 'gone',
      });
      condensed = false;
    }

    section('9. Evidence for the auditors: ramparts evidence --from … --to … --format csv');
    const evidence = await buildEvidence(wf.store, { from: new Date(Date.now() - DAY), to: clock.now(), now: clock.now(), directory: wf.directory });
    const dir = await mkdtemp(join(tmpdir(), 'ramparts-demo-'));
    const file = join(dir, 'evidence.csv');
    await writeFile(file, renderEvidenceCsv(evidence), 'utf8');
    const verified = await verifyStore(wf.store);
    const row = evidence.rows.find((r) => r.taskId === task.id);
    out.write(`\nWrote ${evidence.rows.length} review items to ${file}\n`);
    if (row) {
      const approvers = row.approvers.map((a) => a.name ?? a.id).join(', ');
      out.write(`Row for ${task.id.slice(0, 8)}: ${row.ownerDecision} by ${row.ownerDecisionBy}, approved by ${approvers}, applied ${row.appliedAt ?? '-'}, rolled back ${row.rolledBackAt ?? '-'}\n`);
      out.write(`Controls: ${row.controls.join('; ')}\n`);
    }
    out.write(`Audit ledger: ${verified.ok ? `verified, ${verified.count} entries` : 'DOES NOT VERIFY'}; head #${evidence.ledger.headSeq} ${evidence.ledger.headHash}\n`);

    section('10. Monday morning: the weekly digest (ramparts digest --html FILE)');
    const digest = await wf.digest({ renderChart: (trend) => trendChartPng(trend) });
    const htmlFile = join(dir, 'digest.html');
    await writeFile(htmlFile, renderDigestHtml(digest.model), 'utf8');
    out.write(`\nIn production it goes to the security channel as Slack blocks or DingTalk markdown, with the trend chart as a ${(digest.chartBytes / 1024).toFixed(0)} kB PNG.\n`);
    out.write(`HTML report with charts: ${htmlFile}\n`);
  } finally {
    await wf.close();
  }
}

/** A console chat message as one line: its key, recipient and the status of the finding it shows. */
function condenseCard(chunk: string): string {
  const key = /── message (\S+)/.exec(chunk)?.[1];
  const to = /^to (.+)$/m.exec(chunk)?.[1];
  const status = /^ {2}Status: (.+)$/m.exec(chunk)?.[1];
  if (!key || !to) return chunk;
  const short = status && status.length > 90 ? `${status.slice(0, 89)}…` : status;
  return `  [chat ${key} → ${to}]${short ? ` ${short}` : ''}\n`;
}

/** What the least-privilege section drives: signed clicks, a rollback request, apply runs, the task's state. */
interface LeastPrivilegeSteps {
  click(action: 'revoke' | 'approve', as: { id: string; slack: string }): Promise<number>;
  rollback(): Promise<string>;
  apply(): Promise<{ applied: number; rolledBack: number }>;
  state(): Promise<string>;
}

/** A custom policy's live default version and its document, compact (RAM GetPolicy, GetPolicyVersion). */
async function livePolicy(cloud: DemoCloud, policyName: string): Promise<{ version: string; document: string }> {
  const policy = await cloud.clients.ram.getPolicy(new $Ram.GetPolicyRequest({ policyName, policyType: 'Custom' }));
  const version = policy.body?.policy?.defaultVersion ?? policy.body?.defaultPolicyVersion?.versionId ?? '?';
  const res = await cloud.clients.ram.getPolicyVersion(new $Ram.GetPolicyVersionRequest({ policyName, policyType: 'Custom', versionId: version }));
  const text = res.body?.policyVersion?.policyDocument ?? '{}';
  return { version, document: JSON.stringify(JSON.parse(text)) };
}

/**
 * ecs-operator-lin's ram.permission-unused task: the finding with its diff and what-if proof, the owner's
 * Revoke and the manager's approval, the new default version applied (enforce) and rolled back.
 */
async function leastPrivilege(task: ReviewTask, out: CliIO['stdout'], cloud: DemoCloud, steps: LeastPrivilegeSteps): Promise<void> {
  const { finding } = task;
  const step = finding.remediation.plan?.steps[0];
  const policyName = step?.action === 'narrow-policy' ? step.target.policyName : null;
  const evidence = finding.evidence as { summary: string; diff?: string; proof?: string };
  out.write(`\n${finding.rule} on user ${finding.subject.name} (owner Wu Ming):\n`);
  for (const part of evidence.summary.split('; ').filter((p) => p !== evidence.proof)) out.write(`  ${part}\n`);
  out.write(`Plan: ${finding.remediation.plan?.summary ?? 'none'}\n`);
  out.write(`Diff of ${policyName ?? 'the policy'}:\n${(evidence.diff ?? '').split('\n').map((l) => `  ${l}`).join('\n')}\n`);
  out.write(`Proof: ${evidence.proof ?? '-'}\n`);
  if (policyName === null) return;
  out.write('\nWu Ming clicks "Revoke", Wang Fang (his manager) clicks "Approve" (signed Slack callbacks):\n');
  const revoked = await steps.click('revoke', { id: 'ops.wu', slack: 'U0DEMOWUMI' });
  const approved = await steps.click('approve', { id: 'wang.fang', slack: 'U0DEMOWANG' });
  out.write(`→ HTTP ${revoked}, HTTP ${approved}; task is ${await steps.state()}.\n`);
  const before = await livePolicy(cloud, policyName);
  out.write('\nramparts apply (enforce):\n');
  const applied = await steps.apply();
  const after = await livePolicy(cloud, policyName);
  out.write(`→ ${applied.applied} plan applied; ${policyName} default version ${before.version} → ${after.version}\n`);
  out.write(`  before: ${before.document}\n  after:  ${after.document}\n`);
  out.write('\nWu Ming asks for a rollback, Wang Fang approves, ramparts apply:\n');
  const asked = await steps.rollback();
  const approvedBack = await steps.click('approve', { id: 'wang.fang', slack: 'U0DEMOWANG' });
  const rolled = await steps.apply();
  const back = await livePolicy(cloud, policyName);
  out.write(`→ ${asked}, HTTP ${approvedBack}; ${rolled.rolledBack} plan rolled back; task is ${await steps.state()}.\n`);
  out.write(`${policyName} default version ${after.version} → ${back.version}\n`);
}
