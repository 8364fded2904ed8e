/**
 * The weekly digest over a seeded history: nine weeks of scans and answers driven through the real
 * workflow (store, review machine, ledger), then the digest computed at the end and checked figure by
 * figure against what the history did; and the use case posts it with its chart and records it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../shared/config/index.js';
import { ALL_RULES } from '../../shared/rules/registry.js';
import { createStore, type SqlStore } from '../../shared/store/index.js';
import type { AuditEntry } from '../../shared/store/port.js';
import { createWorkflow, type Workflow } from '../../shared/workflow.js';
import { inactive, noMfa, opsKey, report, staleKey } from './review/harness.js';
import { RecordingChat } from './review/recording-chat.js';
import { trendChartPng } from '../../templates/digest/png.js';

const ENV = { RAMPARTS_BUTTON_SECRET: 'fake-button-secret-for-tests-0123456789' };
const CONFIG = {
  people: [
    { id: 'alice', name: 'Alice', manager: 'bob' },
    { id: 'bob', name: 'Bob', groups: ['approvers'] },
    { id: 'dave', name: 'Dave', manager: 'bob', groups: ['platform'] },
    { id: 'sec1', name: 'Sec One', groups: ['security'] },
  ],
  owners: [
    { pattern: 'ops-*', owner: 'alice' },
    { pattern: 'build-*', owner: 'group:platform' },
  ],
};

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
/** The digest runs Monday 23 Nov 2026 08:00 UTC; week k (0…8) of the digest starts at START + k weeks. */
const DIGEST_AT = new Date('2026-11-23T08:00:00Z');
const START = DIGEST_AT.getTime() - 9 * WEEK;
const at = (week: number, hours = 0) => new Date(START + week * WEEK + hours * HOUR);

let store: SqlStore;
let chat: RecordingChat;
let wf: Workflow;
let now: Date;

beforeEach(async () => {
  store = await createStore({ memory: true });
  chat = new RecordingChat();
  now = at(0, 10);
  wf = await createWorkflow({ config: parseConfig(CONFIG, { env: {}, rules: ALL_RULES }), env: ENV, clock: { now: () => now }, store, chat });
});
afterEach(async () => wf.close());

const scan = (week: number, hours: number, findings: Parameters<typeof report>[0]) => {
  now = at(week, hours);
  return wf.syncScan(report(findings, { scannedAt: now.toISOString() }));
};
const taskOf = async (fingerprint: string) => (await store.tx((tx) => tx.getTaskByFingerprint(fingerprint)))!;
async function answer(week: number, hours: number, fingerprint: string, action: 'keep' | 'revoke', actor: string, reason = 'reviewed') {
  now = at(week, hours);
  const outcome = await wf.decide({ taskId: (await taskOf(fingerprint)).id, action, actor, reason, via: 'slack' });
  expect(outcome.status).toBe('recorded');
}

/**
 * week 0: scan finds noMfa (medium, alice), inactive (low, alice) and staleKey (high, platform); all prompted.
 * week 1: alice keeps inactive, 30 s after its prompt.
 * week 3: inactive is gone (resolved).
 * week 8: the scan finds opsKey (high, alice) too; dave revokes staleKey at last; noMfa was never answered.
 */
async function seed(): Promise<void> {
  await scan(0, 10, [noMfa, inactive, staleKey]);
  now = new Date(at(0, 10).getTime() + 30_000);
  expect((await wf.decide({ taskId: (await taskOf(inactive.fingerprint)).id, action: 'keep', actor: 'alice', reason: 'break-glass account', via: 'slack' })).status).toBe('recorded');
  await scan(3, 10, [noMfa, staleKey]);
  await scan(8, 10, [noMfa, staleKey, opsKey]);
  await answer(8, 12, staleKey.fingerprint, 'revoke', 'dave', 'the build moved to a role');
}

describe('weekly digest over a seeded history', () => {
  it('counts this week’s new and resolved findings and decisions against the previous weeks', async () => {
    await seed();
    now = DIGEST_AT;
    const { model: d, posted } = await wf.digest({ post: false });

    expect(posted).toBe(false);
    expect(d.period).toEqual({ from: at(8).toISOString(), to: DIGEST_AT.toISOString() });
    expect(d.findings.new).toEqual([{ rule: 'ram.access-key-stale', severity: 'high', count: 1 }]);
    expect(d.findings.newTotal).toBe(1);
    expect(d.findings.resolvedTotal).toBe(0);
    expect(d.findings.previous).toEqual({ new: 3 / 8, resolved: 1 / 8 });
    expect(d.decisions).toEqual({ keep: 0, revoke: 1, keepRatio: 0, previous: { keep: 1 / 8, revoke: 0 } });
    // inactive: opened week 0 10:00, resolved week 3 10:00 → 21 days.
    expect(d.meanDaysToRemediate).toEqual({ week: null, previous: 21 });
    expect(d.revocations).toEqual({ applied: 0, rolledBack: 0, failed: 0, previous: { applied: 0, rolledBack: 0 } });
  });

  it('rebuilds the weekly trend of open findings', async () => {
    await seed();
    now = DIGEST_AT;
    const { model: d } = await wf.digest({ post: false });
    expect(d.trend).toHaveLength(9);
    const row = (k: number) => d.trend[k]!.open;
    expect(row(0)).toEqual({ critical: 0, high: 1, medium: 1, low: 1, info: 0 });
    expect(row(2)).toEqual({ critical: 0, high: 1, medium: 1, low: 1, info: 0 });
    expect(row(3)).toEqual({ critical: 0, high: 1, medium: 1, low: 0, info: 0 });
    expect(row(8)).toEqual({ critical: 0, high: 2, medium: 1, low: 0, info: 0 });
  });

  it('lists open and overdue tasks, and flags the reviewer who lets prompts lapse week after week', async () => {
    await seed();
    now = DIGEST_AT;
    const { model: d } = await wf.digest({ post: false });

    // noMfa (alice, 9 weeks), opsKey (alice, new), staleKey (awaiting approval by bob).
    expect(d.openTasks.total).toBe(3);
    expect(d.openTasks.byOwner.map((o) => [o.owner, o.open])).toEqual([
      ['alice', 2],
      ['group:platform', 1],
    ]);
    const overdue = d.overdue.map((o) => [o.subject, o.owner]);
    expect(overdue).toEqual([['user ops-wu', 'Alice']]);
    expect(d.overdue[0]!.daysOverdue).toBeGreaterThanOrEqual(55);

    const alice = d.reviewers.find((r) => r.person === 'alice')!;
    expect(alice).toMatchObject({ name: 'Alice', decisions: 1, keeps: 1, medianSeconds: 30 });
    expect(alice.flags).toEqual(['chronic-overdue']);
    const dave = d.reviewers.find((r) => r.person === 'dave')!;
    // dave (platform) sat on the week-0 prompt for 8 weeks before revoking: timed from it, and chronically overdue too.
    expect(dave).toMatchObject({ decisions: 1, keeps: 0, medianSeconds: (8 * WEEK + 2 * HOUR) / 1000, flags: ['chronic-overdue'] });
    // The revocation went to bob for approval, not due yet.
    expect(d.reviewers.find((r) => r.person === 'bob')).toBeUndefined();

    // ops-wu: noMfa (medium) + opsKey (high); ops-li's kept finding is gone, so it is no longer a risk.
    expect(d.topRisky).toEqual([
      { subject: 'user ops-wu', score: 7, findings: 2, highest: 'high' },
      { subject: 'user build-agent', score: 5, findings: 1, highest: 'high' },
    ]);
  });

  it('posts the digest with its trend chart to the security channel and records it in the ledger', async () => {
    await seed();
    now = DIGEST_AT;
    const run = await wf.digest({ renderChart: trendChartPng });

    expect(run.posted).toBe(true);
    expect(chat.digests).toHaveLength(1);
    expect(chat.digests[0]!.digest).toEqual(run.model);
    const png = chat.digests[0]!.chart!.png;
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(run.chartBytes).toBe(png.length);

    const entries: AuditEntry[] = [];
    for await (const e of store.readAudit()) entries.push(e);
    const sent = entries.filter((e) => e.action === 'digest.sent');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.actor).toBe('system');
    expect(sent[0]!.data).toMatchObject({ findings: { new: 1, resolved: 0 }, openTasks: 3, overdue: 1, flaggedReviewers: [
        { person: 'alice', flags: ['chronic-overdue'] },
        { person: 'dave', flags: ['chronic-overdue'] },
      ], chart: true });
  });
});

describe('digest without a chart', () => {
  it('posts the digest without the chart when it cannot be rendered, and says why', async () => {
    await seed();
    now = DIGEST_AT;
    const run = await wf.digest({
      renderChart: () => {
        throw new Error('no fonts');
      },
    });
    expect(run).toMatchObject({ posted: true, chartBytes: 0, chartError: 'no fonts' });
    expect(chat.digests).toHaveLength(1);
    expect(chat.digests[0]!.chart).toBeNull();
  });

  it('a digest that cannot be posted fails and records nothing as sent', async () => {
    await seed();
    now = DIGEST_AT;
    chat.postDigest = async () => {
      throw new Error('channel_not_found');
    };
    await expect(wf.digest()).rejects.toThrow('channel_not_found');
    for await (const e of store.readAudit()) expect(e.action).not.toBe('digest.sent');
  });
});
