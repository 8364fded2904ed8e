import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { syncScan } from '../../../shared/review/sync-scan.js';
import { inactive, noMfa, openHarness, ownership, report, staleKey, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await openHarness();
});
afterAll(async () => h.close());
beforeEach(async () => h.reset());

const sync = (findings = [noMfa, inactive, staleKey], patch = {}, opts = {}) => syncScan(h.deps, report(findings, patch), ownership, opts);
const tasks = () => h.store.tx((tx) => tx.listTasks());
const stateOf = async (fp: string) => (await h.store.tx((tx) => tx.getTaskByFingerprint(fp)))?.state;

describe('syncScan', () => {
  it('opens one task per failing finding and sends exactly one prompt per recipient', async () => {
    const summary = await sync();
    expect(summary).toMatchObject({ opened: 3, promptedTasks: 3, prompted: 3, resolved: 0, updated: 0, failures: [] });
    // alice gets both her findings in one message; each platform member gets the key.
    expect(h.chat.postsByRecipient()).toEqual({ alice: 1, dave: 1, erin: 1 });
    const alice = h.chat.posts.find((p) => p.view.recipient.id === 'alice')?.view;
    expect(alice).toMatchObject({ kind: 'prompt', due: 'due Tue 3 Dec', account: { id: '1234567890123456', alias: 'prod-main' } });
    expect(alice?.items.map((i) => [i.subject, i.state, i.buttons.length])).toEqual([
      ['user ops-wu', 'awaiting_owner', 4],
      ['user ops-li', 'awaiting_owner', 4],
    ]);
    expect((await tasks()).map((t) => [t.state, t.dueAt, t.assignees.join(',')])).toEqual(
      expect.arrayContaining([['awaiting_owner', '2024-12-03T23:59:59.999Z', 'dave,erin']]),
    );
    const messages = await h.store.tx(async (tx) => tx.messagesForTask((await tx.getTaskByFingerprint(noMfa.fingerprint))!.id));
    expect(messages).toMatchObject([{ recipient: 'alice', platform: 'console', channel: 'D-alice', kind: 'prompt' }]);
    const actions = (await h.audit()).map((e) => e.action);
    expect(actions.filter((a) => a === 'task.opened')).toHaveLength(3);
    expect(actions.filter((a) => a === 'task.prompted')).toHaveLength(3);
    expect(await h.store.tx((tx) => tx.getFinding(noMfa.fingerprint))).toMatchObject({ status: 'open', firstSeen: '2024-11-26T10:00:00.000Z' });
  });

  it('a second identical scan posts nothing and writes nothing to the ledger', async () => {
    await sync();
    const ledger = (await h.audit()).length;
    h.chat.clear();
    h.clock.advanceHours(24);
    const summary = await sync();
    expect(summary).toMatchObject({ opened: 0, refreshed: 0, prompted: 0, updated: 0 });
    expect(h.chat.posts).toEqual([]);
    expect(h.chat.updates).toEqual([]);
    expect(await h.audit()).toHaveLength(ledger);
  });

  it('a new finding for an owner with pending tasks is posted together with them', async () => {
    await sync([noMfa]);
    h.chat.clear();
    await sync([noMfa, inactive]);
    expect(h.chat.posts.map((p) => [p.view.recipient.id, p.view.items.length])).toEqual([['alice', 2]]);
  });

  it('resolves the task of a finding that disappeared and updates its message in place', async () => {
    await sync();
    h.chat.clear();
    const summary = await sync([inactive, staleKey]);
    expect(summary).toMatchObject({ resolved: 1, prompted: 0, updated: 1 });
    expect(await stateOf(noMfa.fingerprint)).toBe('resolved');
    expect(h.chat.posts).toEqual([]);
    const [update] = h.chat.updates;
    expect(update?.ref).toEqual({ channel: 'D-alice', messageKey: 'm1' });
    expect(update?.view.items.find((i) => i.subject === 'user ops-wu')).toMatchObject({ state: 'resolved', status: 'resolved: the latest scan no longer finds it', buttons: [] });
    expect(await h.store.tx((tx) => tx.getFinding(noMfa.fingerprint))).toMatchObject({ status: 'gone' });
  });

  it('a partial scan resolves nothing; neither does a rule that did not run or failed', async () => {
    await sync();
    expect((await sync([], { partial: true, partialReasons: ['accessKeys: throttled'] })).resolved).toBe(0);
    expect((await sync([inactive, staleKey], {}, { rulesRun: ['ram.access-key-stale', 'ram.user-console-inactive'] })).resolved).toBe(0);
    const ruleError = { ...noMfa, status: 'error' as const, subject: { type: 'account' as const, id: 'a', name: 'root' }, fingerprint: 'err-1' };
    expect((await sync([inactive, staleKey, ruleError])).resolved).toBe(0);
    expect(await stateOf(noMfa.fingerprint)).toBe('awaiting_owner');
  });

  it('reopens and re-prompts a finding that returns', async () => {
    await sync([noMfa]);
    await sync([]);
    h.chat.clear();
    h.clock.set('2024-11-28T10:00:00Z');
    const summary = await sync([noMfa]);
    expect(summary).toMatchObject({ reopened: 1, promptedTasks: 1, prompted: 1, updated: 1 });
    expect((await h.store.tx((tx) => tx.getTaskByFingerprint(noMfa.fingerprint)))?.dueAt).toBe('2024-12-05T23:59:59.999Z');
  });

  it('waivers silence a finding until they expire; config exclusions waive too', async () => {
    await h.store.tx((tx) => tx.upsertWaiver({ fingerprint: noMfa.fingerprint, reason: 'break-glass', owner: 'sec1', createdAt: '2024-11-01T00:00:00Z', expiresAt: '2024-12-01T00:00:00Z' }));
    const first = await sync([noMfa, inactive]);
    expect(first).toMatchObject({ opened: 2, waived: 1, promptedTasks: 1 });
    expect(await stateOf(noMfa.fingerprint)).toBe('waived');
    h.clock.set('2024-12-02T10:00:00Z');
    h.chat.clear();
    const later = await sync([noMfa], { suppressed: [{ rule: inactive.rule, subject: inactive.subject, reason: 'legacy, SEC-9', fingerprint: inactive.fingerprint }] });
    expect(later).toMatchObject({ unwaived: 1, waived: 1, promptedTasks: 1, resolved: 0 });
    expect(await stateOf(noMfa.fingerprint)).toBe('awaiting_owner');
    expect(await stateOf(inactive.fingerprint)).toBe('waived');
  });

  it('reports unknown and error findings to the security channel once, without opening tasks', async () => {
    const unknown = { ...staleKey, status: 'unknown' as const, partial: true, fingerprint: 'unk-1' };
    const summary = await sync([noMfa, unknown]);
    expect(summary).toMatchObject({ opened: 1, unevaluated: 1 });
    expect(h.chat.notices).toMatchObject([{ title: '1 finding(s) in prod-main could not be evaluated', severity: 'high' }]);
    expect(await h.store.tx((tx) => tx.getTaskByFingerprint('unk-1'))).toBeNull();
    expect((await sync([noMfa, unknown])).unevaluated).toBe(0);
    expect(h.chat.notices).toHaveLength(1);
  });

  it('reports a chat failure and still prompts the others; the task stays recorded', async () => {
    h.chat.failFor.add('dave');
    const summary = await sync();
    expect(summary.failures).toEqual([{ to: 'dave', error: 'chat down for dave' }]);
    expect(h.chat.postsByRecipient()).toEqual({ alice: 1, erin: 1 });
  });
});
