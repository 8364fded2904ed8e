import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
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

/**
 * The owner cycle after the demo scan: tasks opened and one prompt per owner (console chat), an owner's
 * "Revoke" click sent through the real interact handler as a correctly signed Slack request, the prompt
 * updated in place, and a reminder five days later. In-memory store; nothing leaves the process.
 */
export async function demoReviewCycle(report: ScanReport, io: CliIO): Promise<void> {
  const raw = parse(await readFile(new URL('../../templates/demo/ramparts.config.yaml', import.meta.url), 'utf8')) as unknown;
  const config = parseConfig(raw, { env: {}, rules: ALL_RULES });
  let offset = 0;
  const clock = { now: () => new Date(Date.now() + offset) };
  const out = io.stdout;
  const wf = await createWorkflow({ config, env: DEMO_ENV, clock, store: await createStore({ memory: true }), chat: createConsoleChat({ out }) });
  try {
    const section = (title: string) => out.write(`\n━━ ${title} ${'━'.repeat(Math.max(3, 90 - title.length))}\n`);
    section('1. Review tasks: one prompt per owner (console chat; Slack/DingTalk in production)');
    const synced = await wf.syncScan(report);
    out.write(`\n${synced.opened} tasks opened, ${synced.prompted} prompts sent.\n`);

    section('2. Chen Jie clicks "Revoke" in Slack → signed callback → interact handler');
    const tasks = await wf.store.tx((tx) => tx.listTasks({ assignee: 'chen.jie', states: ['awaiting_owner'] }));
    const task = tasks.find((t) => t.finding.rule === 'ram.access-key-unused') ?? tasks[0];
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
    const click = (action: 'revoke' | 'keep', signingSecret: string) =>
      signedSlackClick({ taskId: task.id, action, token: wf.tokens.sign(task.id, action, 'chen.jie'), slackUserId: 'U0DEMOCHEN', signingSecret, nowMs: clock.now().getTime() });
    const response = await handler(click('revoke', DEMO_SLACK_SECRET));
    const after = await wf.store.tx((tx) => tx.getTask(task.id));
    out.write(`\nPOST /slack/actions → HTTP ${response.status}; task ${task.id.slice(0, 8)} (${task.finding.subject.name}) is now ${after?.state}.\n`);
    const forged = await handler(click('keep', 'wrong-secret'));
    out.write(`The same click signed with a wrong secret → HTTP ${forged.status}, nothing recorded.\n`);

    section('3. Five days later: ramparts remind');
    offset = 5 * DAY;
    const reminded = await wf.remind();
    out.write(`\n${reminded.reminded} tasks reminded in ${reminded.messages} messages.\n`);
    out.write('\nEvery step above is in the hash-chained audit ledger (`ramparts audit verify` checks it).\n');
  } finally {
    await wf.close();
  }
}
