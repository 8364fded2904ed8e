import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { syncScan } from '../../../shared/review/sync-scan.js';
import type { ReviewTask } from '../../../shared/review/types.js';
import { waive } from '../../../shared/review/waive.js';
import { noMfa, openHarness, ownership, report, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await openHarness();
});
afterAll(async () => h.close());

let task: ReviewTask;
beforeEach(async () => {
  await h.reset();
  await syncScan(h.deps, report([noMfa]), ownership);
  task = (await h.store.tx((tx) => tx.getTaskByFingerprint(noMfa.fingerprint)))!;
  h.chat.clear();
});

const state = async () => (await h.store.tx((tx) => tx.getTask(task.id)))?.state;

describe('waive', () => {
  it('lets the security group waive with a reason and expiry, audited, with the card updated', async () => {
    const outcome = await waive(h.deps, { taskId: task.id, by: 'sec1', reason: 'break-glass account, reviewed quarterly', until: '2024-12-31' });
    expect(outcome).toMatchObject({ status: 'waived', task: { state: 'waived' } });
    expect(await h.store.tx((tx) => tx.getWaiver(task.fingerprint))).toMatchObject({ owner: 'sec1', reason: 'break-glass account, reviewed quarterly' });
    expect((await h.audit()).filter((e) => e.action === 'task.waived')).toHaveLength(1);
    expect(h.chat.updates.length).toBeGreaterThan(0);
  });

  it('refuses people outside the security group, blank reasons and past dates — nothing written', async () => {
    expect(await waive(h.deps, { taskId: task.id, by: 'alice', reason: 'mine', until: null })).toMatchObject({ status: 'refused', refusal: { code: 'not_allowed' } });
    expect(await waive(h.deps, { taskId: task.id, by: 'sec1', reason: '  ', until: null })).toMatchObject({ status: 'refused', refusal: { code: 'reason_required' } });
    expect(await waive(h.deps, { taskId: task.id, by: 'sec1', reason: 'x', until: '2020-01-01' })).toMatchObject({ status: 'refused', refusal: { code: 'bad_date' } });
    expect(await state()).toBe('awaiting_owner');
    expect(await h.store.tx((tx) => tx.getWaiver(task.fingerprint))).toBeNull();
  });

  it('keeps the finding silent on later scans until the waiver expires, then reopens it', async () => {
    await waive(h.deps, { taskId: task.id, by: 'sec1', reason: 'accepted until the migration', until: '2024-12-31' });
    await syncScan(h.deps, report([noMfa]), ownership);
    expect(await state()).toBe('waived');
    h.clock.set('2025-01-02T10:00:00Z');
    await syncScan(h.deps, report([noMfa], { scannedAt: '2025-01-02T10:00:00Z' }), ownership);
    expect(['open', 'awaiting_owner']).toContain(await state());
  });
});
