import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { plans } from '../../../shared/domain/remediation.js';
import { createExecution } from '../../../shared/remediation/index.js';
import type { SqlStore } from '../../../shared/store/index.js';
import type { ExecutionClaim } from '../../../shared/store/port.js';
import { resetStore } from '../../contract/store-fixtures.js';
import { openStore, verifyStore } from './harness.js';

let store: SqlStore;
beforeAll(async () => {
  store = await openStore();
});
afterAll(async () => {
  await store.close();
});
beforeEach(async () => {
  await resetStore(store);
});

const NOW = new Date('2026-06-01T12:00:00Z');
const claim = (runner: string, at = NOW, leaseMin = 10): ExecutionClaim => ({
  runner,
  mode: 'enforce',
  at: at.toISOString(),
  leaseUntil: new Date(at.getTime() + leaseMin * 60_000).toISOString(),
  from: ['pending'],
});

describe('plan executions in the store', () => {
  it('round-trips, one per task, with its ledger entry', async () => {
    const ex = await createExecution(store, { id: 'e1', taskId: 't1', plan: plans.requireMfa('ops-wu'), now: NOW });
    expect(await store.tx((tx) => tx.getExecution('e1'))).toStrictEqual(ex);
    expect(await store.tx((tx) => tx.getExecutionByTask('t1'))).toStrictEqual(ex);
    expect(ex).toMatchObject({ state: 'pending', version: 1, mode: 'observe', steps: [{ status: 'pending' }] });
    // The same task again: the existing execution, nothing new.
    expect(await createExecution(store, { id: 'e2', taskId: 't1', plan: plans.requireMfa('x'), now: NOW })).toStrictEqual(ex);
    await expect(store.tx((tx) => tx.insertExecution({ ...ex, id: 'e3' }))).rejects.toMatchObject({ code: 'STORE_CONFLICT' });
    expect(await store.tx((tx) => tx.listExecutions({ states: ['pending'] }))).toHaveLength(1);
    expect(await verifyStore(store)).toMatchObject({ ok: true, count: 1 });
  });

  it('a task approved again after its execution drifted gets a new execution; only one is ever live', async () => {
    const first = await createExecution(store, { id: 'e1', taskId: 't1', plan: plans.requireMfa('ops-wu'), now: NOW });
    expect(await store.tx((tx) => tx.updateExecution({ ...first, state: 'drift' }, first.version))).toBe(true);
    const later = new Date(NOW.getTime() + 60_000);
    const second = await createExecution(store, { id: 'e2', taskId: 't1', plan: plans.requireMfa('ops-wu'), now: later });
    expect(second.id).toBe('e2');
    expect((await store.tx((tx) => tx.getExecutionByTask('t1')))?.id).toBe('e2');
    expect((await store.tx((tx) => tx.listExecutions({ taskId: 't1' }))).map((e) => e.id)).toEqual(['e1', 'e2']);
    // A third live one for the same task is refused by the store itself, not only by createExecution.
    await expect(store.tx((tx) => tx.insertExecution({ ...second, id: 'e3' }))).rejects.toMatchObject({ code: 'STORE_CONFLICT' });
  });

  it('claim is compare-and-set: of 20 claimers one wins; the lease keeps others out until it passes', async () => {
    const ex = await createExecution(store, { id: 'e1', taskId: 't1', plan: plans.requireMfa('ops-wu'), now: NOW });
    const got = await Promise.all(Array.from({ length: 20 }, (_, i) => store.tx((tx) => tx.claimExecution('e1', ex.version, claim(`r${i}`)))));
    const winners = got.filter((g) => g !== null);
    expect(winners).toHaveLength(1);
    expect(winners[0]).toMatchObject({ state: 'applying', version: 2 });

    // Current version, but the lease still holds.
    expect(await store.tx((tx) => tx.claimExecution('e1', 2, claim('late', new Date(NOW.getTime() + 5 * 60_000))))).toBeNull();
    // Lease passed: taken over.
    const later = new Date(NOW.getTime() + 11 * 60_000);
    expect(await store.tx((tx) => tx.claimExecution('e1', 2, claim('rescuer', later)))).toMatchObject({ claimedBy: 'rescuer', version: 3 });

    // updateExecution is CAS too.
    const cur = await store.tx((tx) => tx.getExecution('e1'));
    if (!cur) throw new Error('gone');
    expect(await store.tx((tx) => tx.updateExecution({ ...cur, state: 'applied' }, 2))).toBe(false);
    expect(await store.tx((tx) => tx.updateExecution({ ...cur, state: 'applied' }, 3))).toBe(true);
    expect(await store.tx((tx) => tx.getExecution('e1'))).toMatchObject({ state: 'applied', version: 4 });
    // A final state is not claimable.
    expect(await store.tx((tx) => tx.claimExecution('e1', 4, claim('again', later)))).toBeNull();
  });
});
