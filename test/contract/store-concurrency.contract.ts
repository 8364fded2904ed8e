import { describe, expect, it } from 'vitest';
import { verifyStore } from '../../shared/audit/verify-store.js';
import type { AuditEntry, Store, StoreTx } from '../../shared/store/port.js';
import type { GetStore } from './store.contract.js';
import { auditInput, makeDecision, makeTask, sql } from './store-fixtures.js';

/** Thrown by a contender that lost the race; anything else failing the test is a real error. */
class Lost extends Error {}

const CONTENDERS = 50;

async function all(store: Store): Promise<AuditEntry[]> {
  const out: AuditEntry[] = [];
  for await (const e of store.readAudit()) out.push(e);
  return out;
}

/**
 * One decide-like transaction: read, guard on state, compare-and-set, decision, ledger entry. With
 * `staleVersion` the state guard is skipped and every contender holds that version, so on a store
 * that serialises transactions (PGlite) the losers still reach the compare-and-set.
 */
async function decide(tx: StoreTx, i: number, staleVersion?: number): Promise<number> {
  const task = await tx.getTask('task-1');
  if (!task) throw new Error('task-1 is missing');
  if (staleVersion === undefined && task.state !== 'awaiting_owner') throw new Lost('already decided');
  const kept = { ...task, state: 'kept' as const, notes: [...task.notes, { at: '2026-11-22T10:00:00.000Z', by: `user-${i}`, text: `kept by ${i}` }] };
  if (!(await tx.updateTask(kept, staleVersion ?? task.version))) throw new Lost('compare-and-set refused');
  await tx.insertDecision(makeDecision('task-1', { id: `d-${i}`, actor: `user-${i}` }));
  await tx.appendAudit(auditInput(i, { actor: `user-${i}`, action: 'decision.recorded', subject: 'task-1' }));
  return i;
}

export function concurrencyContract(get: GetStore): void {
  describe('concurrency and atomicity', () => {
    async function storm(staleVersion?: number): Promise<Error[]> {
      await get().tx((tx) => tx.insertTask(makeTask(1)));
      const results = await Promise.allSettled(Array.from({ length: CONTENDERS }, (_, i) => get().tx((tx) => decide(tx, i, staleVersion))));
      const won = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      const lost = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
      expect(lost.filter((e) => !(e instanceof Lost))).toEqual([]);
      expect(won).toHaveLength(1);
      const winner = won[0];

      const task = await get().tx((tx) => tx.getTask('task-1'));
      expect(task).toMatchObject({ state: 'kept', version: 2 });
      expect(task?.notes.at(-1)?.by).toBe(`user-${winner}`);
      expect((await get().tx((tx) => tx.listDecisions('task-1'))).map((d) => d.id)).toEqual([`d-${winner}`]);
      expect((await all(get())).map((e) => [e.seq, e.actor])).toEqual([[1, `user-${winner}`]]);
      expect(await sql(get()).rawQuery('SELECT count(*)::int AS n FROM decisions')).toEqual([{ n: 1 }]);
      return lost as Error[];
    }

    it(`${CONTENDERS} concurrent decisions on one task: exactly one lands, with one decision and one ledger entry`, async () => {
      await storm();
    });

    it(`${CONTENDERS} concurrent compare-and-sets holding the same version: exactly one lands, the rest get false`, async () => {
      const lost = await storm(1);
      expect(lost.map((e) => e.message)).toEqual(Array(CONTENDERS - 1).fill('compare-and-set refused'));
    });

    it('a throw inside tx() rolls back the task, the decision and the ledger entry', async () => {
      const task = makeTask(1);
      await get().tx((tx) => tx.insertTask(task));
      const boom = new Error('boom');
      await expect(
        get().tx(async (tx) => {
          expect(await tx.updateTask({ ...task, state: 'kept' }, 1)).toBe(true);
          await tx.insertDecision(makeDecision(task.id));
          await tx.appendAudit(auditInput(1));
          throw boom;
        }),
      ).rejects.toBe(boom);
      expect(await get().tx((tx) => tx.getTask(task.id))).toStrictEqual(task);
      expect(await get().tx((tx) => tx.listDecisions(task.id))).toEqual([]);
      expect(await all(get())).toEqual([]);
      expect(await sql(get()).readAuditHead()).toEqual({ seq: 0, hash: '0'.repeat(64) });
      // The rolled-back append left no gap.
      expect((await get().tx((tx) => tx.appendAudit(auditInput(2)))).seq).toBe(1);
    });

    it('concurrent appenders in separate transactions build one gap-free chain', async () => {
      const writers = 20;
      const perWriter = 5;
      await Promise.all(
        Array.from({ length: writers }, (_, w) =>
          get().tx(async (tx) => {
            for (let k = 0; k < perWriter; k += 1) {
              await tx.appendAudit(auditInput(w * perWriter + k, { subject: `writer-${w}` }));
              await new Promise((r) => setTimeout(r, Math.random() * 3));
            }
          }),
        ),
      );
      const entries = await all(get());
      expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: writers * perWriter }, (_, i) => i + 1));
      // The head lock is held to commit, so each transaction's entries are contiguous.
      for (let w = 0; w < writers; w += 1) {
        const seqs = entries.filter((e) => e.subject === `writer-${w}`).map((e) => e.seq);
        expect(seqs).toHaveLength(perWriter);
        expect(seqs[perWriter - 1]! - seqs[0]!).toBe(perWriter - 1);
      }
      const result = await verifyStore(get());
      expect(result).toMatchObject({ ok: true, count: writers * perWriter, head: { seq: writers * perWriter } });
    });
  });
}
