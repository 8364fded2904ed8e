/**
 * 50 simultaneous identical Slack callbacks — the same signed "Revoke" click, as a double click plus
 * Slack and FC retries produce — go through the real interact handler and the real store: exactly
 * one decision and one ledger entry for it, every response 2xx. Runs on PGlite, and on PostgreSQL
 * (real concurrency, a connection pool) whenever DATABASE_URL is set, as in CI.
 */
import { randomBytes } from 'node:crypto';
import nock from 'nock';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedSlackClick } from '../../../shared/chat/slack/signed-click.js';
import { parseConfig } from '../../../shared/config/index.js';
import { ALL_RULES } from '../../../shared/rules/registry.js';
import { createStore, type SqlStore } from '../../../shared/store/index.js';
import { createWorkflow } from '../../../shared/workflow.js';
import { NOW, report, staleKey } from './harness.js';
import { RecordingChat } from './recording-chat.js';

const SIGNING = 'fake-slack-signing-secret-for-tests';
const ENV = { RAMPARTS_BUTTON_SECRET: 'fake-button-secret-for-tests-0123456789', SLACK_BOT_TOKEN: 'xoxb-fake', SLACK_SIGNING_SECRET: SIGNING };
const CONFIG = {
  chat: { kind: 'slack' },
  people: [
    { id: 'dave', name: 'Dave', slack: 'U0DAVE001', manager: 'bob', groups: ['platform'] },
    { id: 'bob', name: 'Bob', groups: ['security'] },
  ],
  owners: [{ pattern: 'build-*', owner: 'dave' }],
};

async function fiftyClicks(store: SqlStore): Promise<void> {
  const config = parseConfig(CONFIG, { env: {}, rules: ALL_RULES });
  const clock = { now: () => NOW };
  const wf = await createWorkflow({ config, env: ENV, clock, store, chat: new RecordingChat() });
  await wf.syncScan(report([{ ...staleKey, subject: { ...staleKey.subject, user: 'build-agent' } }]));
  const [task] = await store.tx((tx) => tx.listTasks({ assignee: 'dave' }));
  expect(task?.state).toBe('awaiting_owner');
  const token = wf.tokens.sign(task!.id, 'revoke', 'dave');
  const { seq: before } = await store.readAuditHead();

  const click = () => signedSlackClick({ taskId: task!.id, action: 'revoke', token, slackUserId: 'U0DAVE001', signingSecret: SIGNING, nowMs: NOW.getTime() });
  const responses = await Promise.all(Array.from({ length: 50 }, () => wf.interact(click())));

  expect(responses.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
  const decisions = await store.tx((tx) => tx.listDecisions(task!.id));
  expect(decisions).toHaveLength(1);
  expect(decisions[0]).toMatchObject({ action: 'revoke', actor: 'dave', via: 'slack' });
  const entries: Array<{ action: string }> = [];
  for await (const e of store.readAudit(before + 1)) entries.push(e);
  expect(entries.filter((e) => e.action === 'decision.recorded')).toHaveLength(1);
  expect(entries.filter((e) => e.action === 'revocation.requested')).toHaveLength(1);
  const after = await store.tx((tx) => tx.getTask(task!.id));
  expect(after).toMatchObject({ state: 'awaiting_approval', version: task!.version + 1 });
}

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());

describe('50 simultaneous identical callbacks', () => {
  it('record one decision and one ledger entry on PGlite', async () => {
    const store = await createStore({ memory: true });
    try {
      await store.migrate();
      await fiftyClicks(store);
    } finally {
      await store.close();
    }
  });

  // Registered only with a server to run on (CI exports DATABASE_URL); without one the PGlite case
  // above still runs, so nothing is silently skipped.
  const url = process.env.DATABASE_URL;
  if (url) {
    it('record one decision and one ledger entry on PostgreSQL', async () => {
      const schema = `ramparts_cb_${randomBytes(4).toString('hex')}`;
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`CREATE SCHEMA ${schema}`);
      const store = await createStore({ databaseUrl: url, schema });
      try {
        await store.migrate();
        await fiftyClicks(store);
      } finally {
        await store.close();
        await admin.query(`DROP SCHEMA ${schema} CASCADE`);
        await admin.end();
      }
    });
  }
});
