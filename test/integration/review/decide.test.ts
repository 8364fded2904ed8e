import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decide } from '../../../shared/review/decide.js';
import { syncScan } from '../../../shared/review/sync-scan.js';
import type { DecideInput, ReviewTask } from '../../../shared/review/types.js';
import type { Store, StoreTx } from '../../../shared/store/port.js';
import { noMfa, openHarness, opsKey, ownership, report, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await openHarness();
});
afterAll(async () => h.close());

/** alice owns ops-wu's missing MFA (medium) and ops-wu's stale key (high); both prompted. */
let mfaTask: ReviewTask;
let keyTask: ReviewTask;
beforeEach(async () => {
  await h.reset();
  await syncScan(h.deps, report([noMfa, opsKey]), ownership);
  mfaTask = (await h.store.tx((tx) => tx.getTaskByFingerprint(noMfa.fingerprint)))!;
  keyTask = (await h.store.tx((tx) => tx.getTaskByFingerprint(opsKey.fingerprint)))!;
  h.chat.clear();
  h.clock.advanceHours(2);
});

const as = (actor: string, action: DecideInput['action'], taskId: string, patch: Partial<DecideInput> = {}): DecideInput => ({ taskId, action, actor, via: 'slack', ...patch });
const decisions = (taskId: string) => h.store.tx((tx) => tx.listDecisions(taskId));
const audits = async (action: string) => (await h.audit()).filter((e) => e.action === action);

describe('decide', () => {
  it('keep with a reason is recorded once, audited, and the owner card updated in place', async () => {
    const outcome = await decide(h.deps, as('alice', 'keep', mfaTask.id, { reason: 'break-glass user' }));
    expect(outcome).toMatchObject({ status: 'recorded', task: { state: 'kept', version: mfaTask.version + 1 }, decision: { action: 'keep', actor: 'alice', reason: 'break-glass user' } });
    expect(await decisions(mfaTask.id)).toHaveLength(1);
    expect(await audits('decision.recorded')).toMatchObject([{ actor: 'alice', subject: mfaTask.id, data: { from: 'awaiting_owner', to: 'kept', action: 'keep' } }]);
    expect(h.chat.posts).toEqual([]);
    expect(h.chat.updates).toHaveLength(1);
    expect(h.chat.updates[0]?.view.items.find((i) => i.taskId === mfaTask.id)).toMatchObject({ state: 'kept', status: 'kept by Alice: break-glass user', buttons: [] });
  });

  it('refuses what the machine refuses, writing nothing', async () => {
    expect(await decide(h.deps, as('alice', 'keep', mfaTask.id))).toMatchObject({ status: 'refused', refusal: { code: 'reason_required' } });
    expect(await decide(h.deps, as('carol', 'revoke', mfaTask.id))).toMatchObject({ status: 'refused', refusal: { code: 'not_assignee' } });
    expect(await decide(h.deps, as('alice', 'snooze', mfaTask.id, { until: '2026-01-01' }))).toMatchObject({ status: 'refused', refusal: { code: 'bad_date' } });
    expect(await decide(h.deps, as('alice', 'keep', 'no-such-task', { reason: 'x' }))).toEqual({ status: 'not_found' });
    expect(await decisions(mfaTask.id)).toEqual([]);
    expect(await audits('decision.recorded')).toEqual([]);
  });

  it('keep on a high finding waits for the manager, who attests on his own card', async () => {
    expect(await decide(h.deps, as('alice', 'keep', keyTask.id, { reason: 'deploys still use it' }))).toMatchObject({ status: 'recorded', task: { state: 'awaiting_attestation', assignees: ['bob'] } });
    expect(h.chat.posts.map((p) => [p.view.kind, p.view.recipient.id, p.view.items.map((i) => i.buttons.map((b) => b.action))])).toEqual([['attestation', 'bob', [['attest', 'decline']]]]);
    h.chat.clear();
    expect(await decide(h.deps, as('bob', 'attest', keyTask.id, { via: 'dingtalk' }))).toMatchObject({ status: 'recorded', task: { state: 'kept' } });
    // Both cards (alice's prompt, bob's attestation) now say it is kept.
    expect(h.chat.updates.map((u) => [u.view.recipient.id, u.view.items.find((i) => i.taskId === keyTask.id)?.status])).toEqual([
      ['alice', 'kept; attested by Bob'],
      ['bob', 'kept; attested by Bob'],
    ]);
  });

  it('revoke requests a revocation for the approval stage', async () => {
    expect(await decide(h.deps, as('alice', 'revoke', mfaTask.id, { reason: 'user left' }))).toMatchObject({ status: 'recorded', task: { state: 'awaiting_approval' } });
    expect(await audits('revocation.requested')).toMatchObject([{ actor: 'alice', data: { reason: 'user left', plan: noMfa.remediation.plan?.summary } }]);
  });

  it('snooze records the fix-by date', async () => {
    const outcome = await decide(h.deps, as('alice', 'snooze', mfaTask.id, { until: '2024-12-20' }));
    expect(outcome).toMatchObject({ status: 'recorded', task: { state: 'snoozed', snoozedUntil: '2024-12-20T23:59:59.999Z' }, decision: { until: '2024-12-20' } });
  });

  it('not mine hands it to the security group, who get a prompt; the owner card is updated', async () => {
    await decide(h.deps, as('alice', 'not_mine', mfaTask.id, { reason: 'data team user' }));
    expect(h.chat.postsByRecipient()).toEqual({ sec1: 1, sec2: 1 });
    expect(h.chat.posts[0]?.view.items[0]?.buttons.map((b) => b.action)).toEqual(['keep', 'snooze', 'revoke']);
    expect(h.chat.updates.map((u) => u.view.recipient.id)).toEqual(['alice']);
    expect(await decide(h.deps, as('alice', 'keep', mfaTask.id, { reason: 'oops, mine' }))).toMatchObject({ status: 'refused', refusal: { code: 'not_assignee' } });
  });

  it('the same answer again is a duplicate: one decision row, one ledger entry', async () => {
    const input = as('alice', 'keep', mfaTask.id, { reason: 'break-glass user' });
    expect((await decide(h.deps, input)).status).toBe('recorded');
    h.clock.advanceHours(1);
    expect(await decide(h.deps, input)).toMatchObject({ status: 'duplicate', task: { state: 'kept' } });
    expect(await decisions(mfaTask.id)).toHaveLength(1);
    expect(await audits('decision.recorded')).toHaveLength(1);
  });

  it('simultaneous identical callbacks record exactly one decision', async () => {
    const input = as('alice', 'revoke', mfaTask.id);
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => decide(h.deps, input)));
    const statuses = outcomes.map((o) => o.status);
    expect(statuses.filter((s) => s === 'recorded')).toHaveLength(1);
    expect(statuses.filter((s) => s === 'duplicate')).toHaveLength(19);
    expect(await decisions(mfaTask.id)).toHaveLength(1);
    expect(await audits('decision.recorded')).toHaveLength(1);
  });

  it('a different answer after a recorded one is refused, not a duplicate', async () => {
    await decide(h.deps, as('alice', 'keep', mfaTask.id, { reason: 'x' }));
    expect(await decide(h.deps, as('alice', 'revoke', mfaTask.id))).toMatchObject({ status: 'refused', refusal: { code: 'invalid_state' } });
  });

  it('a lost compare-and-set is re-read: the same answer by the same person is a duplicate', async () => {
    // Another callback with the same answer commits between our read and our write.
    const store = losingOnce(h.store, async (tx, next, version) => {
      await tx.updateTask(next, version);
      await tx.insertDecision({ id: 'other', taskId: next.id, action: 'keep', actor: 'alice', reason: 'x', until: null, at: '2024-11-26T11:59:00.000Z', via: 'dingtalk' });
    });
    expect(await decide({ ...h.deps, store }, as('alice', 'keep', mfaTask.id, { reason: 'x' }))).toMatchObject({ status: 'duplicate', task: { state: 'kept' } });
    expect((await decisions(mfaTask.id)).map((d) => d.id)).toEqual(['other']);
  });

  it('a lost compare-and-set with nothing to show for it is retried once and recorded', async () => {
    const store = losingOnce(h.store, async () => {});
    expect(await decide({ ...h.deps, store }, as('alice', 'keep', mfaTask.id, { reason: 'x' }))).toMatchObject({ status: 'recorded' });
    expect(await decisions(mfaTask.id)).toHaveLength(1);
  });
});

/** A store whose first updateTask loses the race: `competitor` runs in its place, then it reports false. */
function losingOnce(store: Store, competitor: (tx: StoreTx, next: ReviewTask, version: number) => Promise<void>): Store {
  let lost = false;
  const wrap = (tx: StoreTx): StoreTx =>
    new Proxy(tx, {
      get(target, prop, receiver) {
        if (prop !== 'updateTask' || lost) return Reflect.get(target, prop, receiver);
        return async (next: ReviewTask, version: number) => {
          lost = true;
          await competitor(target, next, version);
          return false;
        };
      },
    });
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop !== 'tx') return Reflect.get(target, prop, receiver);
      return <T>(fn: (tx: StoreTx) => Promise<T>) => target.tx((tx) => fn(wrap(tx)));
    },
  });
}
