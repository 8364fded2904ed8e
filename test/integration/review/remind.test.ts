import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decide } from '../../../shared/review/decide.js';
import { remind, type RemindSummary } from '../../../shared/review/remind.js';
import { syncScan } from '../../../shared/review/sync-scan.js';
import { inactive, noMfa, openHarness, ownership, report, staleKey, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await openHarness();
});
afterAll(async () => h.close());
beforeEach(async () => h.reset());

const stateOf = async (fp: string) => (await h.store.tx((tx) => tx.getTaskByFingerprint(fp)))?.state;

/** Runs remind hourly until `until`, logging each run that sent something, as "day hour: kind→recipient". */
async function runHourly(until: string): Promise<string[]> {
  const log: string[] = [];
  while (h.clock.now().getTime() < new Date(until).getTime()) {
    h.clock.advanceHours(1);
    h.chat.clear();
    const summary: RemindSummary = await remind(h.deps);
    expect(summary.failures).toEqual([]);
    const sent = h.chat.posts.map((p) => `${p.view.kind}→${p.view.recipient.id}(${p.view.items.length})`).sort();
    if (sent.length > 0) log.push(`${h.clock.now().toISOString().slice(5, 13)} ${sent.join(' ')}`);
  }
  return log;
}

describe('remind over a simulated fortnight', () => {
  it('sends the cadence reminders, escalates, reminds daily, then applies the per-rule deadline action', async () => {
    // alice: ops-wu no MFA (deadline: request-revocation) and ops-li inactive (default: escalate-to-security).
    await syncScan(h.deps, report([noMfa, inactive]), ownership);
    const log = await runHourly('2024-12-12T06:00:00Z');
    expect(log).toEqual([
      '11-30T00 reminder→alice(2)', // one message for both of alice's tasks
      '12-02T00 reminder→alice(2)',
      '12-03T00 reminder→alice(2)',
      '12-04T00 escalation→bob(2)', // past due: her manager decides
      '12-05T00 reminder→bob(2)',
      '12-06T00 reminder→bob(2)',
      '12-07T00 reminder→bob(2)',
      '12-08T00 reminder→bob(2)',
      '12-09T00 reminder→bob(2)',
      '12-10T00 reminder→bob(2)',
      // deadline: the missing MFA's revocation request goes to bob to approve; inactive goes to security…
      '12-11T00 approval→bob(1) escalation→sec1(1) escalation→sec2(1)',
      '12-12T00 reminder→sec1(1) reminder→sec2(1)',
    ]);
    // …and the missing MFA gets a revocation *request* by the system, nothing applied.
    expect(await stateOf(noMfa.fingerprint)).toBe('awaiting_approval');
    expect(await stateOf(inactive.fingerprint)).toBe('escalated');
    const deadline = (await h.audit()).filter((e) => e.action === 'task.deadline' || e.action === 'revocation.requested');
    expect(deadline.map((e) => [e.action, e.actor, e.data['deadlineAction'] ?? null])).toEqual([
      ['task.deadline', 'system', 'request-revocation'],
      ['revocation.requested', 'system', null],
      ['task.deadline', 'system', 'escalate-to-security'],
    ]);
  });

  it('counts what it did and re-renders the cards of tasks that moved', async () => {
    await syncScan(h.deps, report([noMfa]), ownership);
    h.clock.set('2024-12-04T01:00:00Z');
    h.chat.clear();
    const summary = await remind(h.deps);
    expect(summary).toMatchObject({ checked: 1, escalated: 1, reminded: 0, messages: 1, updated: 1 });
    expect(h.chat.updates[0]?.view.items[0]?.status).toBe('no answer by Tue 3 Dec; now with Bob');
    expect(await remind(h.deps)).toMatchObject({ escalated: 0, messages: 0, updated: 0 });
  });

  it('a group owner: each member is reminded once per run; a manager of several members gets one escalation', async () => {
    await syncScan(h.deps, report([staleKey]), ownership);
    h.clock.set('2024-11-30T01:00:00Z');
    h.chat.clear();
    await remind(h.deps);
    expect(h.chat.postsByRecipient()).toEqual({ dave: 1, erin: 1 });
    h.clock.set('2024-12-04T01:00:00Z');
    h.chat.clear();
    await remind(h.deps);
    expect(h.chat.postsByRecipient()).toEqual({ bob: 1 });
  });

  it('an expired snooze asks the owner again', async () => {
    await syncScan(h.deps, report([noMfa]), ownership);
    const task = (await h.store.tx((tx) => tx.getTaskByFingerprint(noMfa.fingerprint)))!;
    await decide(h.deps, { taskId: task.id, action: 'snooze', actor: 'alice', until: '2024-12-01', via: 'cli' });
    h.clock.set('2024-12-02T00:30:00Z');
    h.chat.clear();
    expect(await remind(h.deps)).toMatchObject({ snoozesExpired: 1, messages: 1 });
    expect(h.chat.posts[0]?.view).toMatchObject({ kind: 'prompt', due: 'due Mon 9 Dec', recipient: { id: 'alice' } });
    expect(h.chat.posts[0]?.view.items[0]?.status).toBe('waiting for an answer, due Mon 9 Dec · the fix-by date Sun 1 Dec passed');
  });
});
