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
import { ALL_RULES } from '../../shared/rules/registry.js';
import { createStore } from '../../shared/store/index.js';
import { createWorkflow } from '../../shared/workflow.js';
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
 * the owner and approved; the evidence file. In-memory store; nothing leaves the process.
 */
export async function demoReviewCycle(report: ScanReport, io: CliIO, cloud: DemoCloud): Promise<void> {
  const raw = parse(await readFile(new URL('../../templates/demo/ramparts.config.yaml', import.meta.url), 'utf8')) as unknown;
  const config = parseConfig(raw, { env: {}, rules: ALL_RULES });
  let offset = 0;
  const clock = { now: () => new Date(Date.now() + offset) };
  const out = io.stdout;
  const store = await createStore({ memory: true });
  const chat = createConsoleChat({ out });
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
    const click = (action: 'revoke' | 'keep' | 'approve', signingSecret: string, as = { id: 'chen.jie', slack: 'U0DEMOCHEN' }) =>
      signedSlackClick({ taskId: task.id, action, token: wf.tokens.sign(task.id, action, as.id), slackUserId: as.slack, signingSecret, nowMs: clock.now().getTime() });
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

    section('8. Evidence for the auditors: ramparts evidence --from … --to … --format csv');
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
  } finally {
    await wf.close();
  }
}
