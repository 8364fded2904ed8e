import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { auditVerifyCommand } from '../../cli/commands/audit.js';
import { entryHash, GENESIS_HASH } from '../../shared/audit/hash.js';
import { verifyStore } from '../../shared/audit/verify-store.js';
import type { AuditEntry, Store } from '../../shared/store/port.js';
import type { GetStore } from './store.contract.js';
import { auditInput, sql, tamper } from './store-fixtures.js';

async function all(store: Store, fromSeq?: number): Promise<AuditEntry[]> {
  const out: AuditEntry[] = [];
  for await (const e of store.readAudit(fromSeq)) out.push(e);
  return out;
}

async function append(store: Store, n: number): Promise<AuditEntry[]> {
  return store.tx(async (tx) => {
    const out: AuditEntry[] = [];
    for (let i = 1; i <= n; i += 1) out.push(await tx.appendAudit(auditInput(i)));
    return out;
  });
}

function sink(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

const ROW_COLUMNS = ['at', 'actor', 'action', 'subject', 'data', 'prev_hash'];

/**
 * Swaps everything but seq between two rows: the entries trade places. `hash` is UNIQUE and
 * PostgreSQL checks that row by row, so the hashes are parked under distinct prefixes during the swap.
 */
function swapRows(a: number, b: number): Array<[string, unknown[]?]> {
  const pair = `(l.seq, o.seq) IN ((${a}, ${b}), (${b}, ${a}))`;
  return [
    [`UPDATE audit_ledger SET hash = 'x' || hash WHERE seq IN (${a}, ${b})`],
    [`UPDATE audit_ledger AS l SET ${ROW_COLUMNS.map((c) => `${c} = o.${c}`).join(', ')}, hash = 'y' || substr(o.hash, 2) FROM audit_ledger AS o WHERE ${pair}`],
    [`UPDATE audit_ledger SET hash = substr(hash, 2) WHERE seq IN (${a}, ${b})`],
  ];
}

export function ledgerContract(get: GetStore): void {
  describe('audit ledger', () => {
    it('appends a hash chain from the genesis hash and reads it back exactly, paging past 1000', async () => {
      const written = await append(get(), 2_300);
      expect(written[0]).toMatchObject({ seq: 1, prevHash: GENESIS_HASH });
      expect(written[0]?.hash).toBe(entryHash(GENESIS_HASH, written[0]!));
      expect(written[1]?.prevHash).toBe(written[0]?.hash);
      expect(await all(get())).toStrictEqual(written);
      expect(await all(get(), 2_001)).toStrictEqual(written.slice(2_000));
      expect(await verifyStore(get())).toEqual({ ok: true, count: 2_300, head: { seq: 2_300, hash: written[2_299]?.hash } });
    });

    it('normalises "at" to ISO UTC (it is hashed as stored), drops undefined data and refuses a bad time', async () => {
      const e = await get().tx((tx) => tx.appendAudit({ at: '2026-11-27T09:00:00+08:00', actor: 'scan', action: 'scan.finished', subject: 'account:1', data: { a: undefined, b: [1, undefined] } }));
      expect(e).toMatchObject({ at: '2026-11-27T01:00:00.000Z', data: { b: [1, null] } });
      expect(await all(get())).toStrictEqual([e]);
      await expect(get().tx((tx) => tx.appendAudit({ ...auditInput(1), at: 'yesterday' }))).rejects.toMatchObject({ code: 'AUDIT_ENTRY_INVALID' });
      expect(await verifyStore(get())).toMatchObject({ ok: true, count: 1 });
    });

    it('refuses UPDATE, DELETE and TRUNCATE while the trigger is in place', async () => {
      await append(get(), 2);
      const db = sql(get());
      await expect(db.rawQuery("UPDATE audit_ledger SET actor = 'mallory' WHERE seq = 1")).rejects.toThrow(/append-only/);
      await expect(db.rawQuery('DELETE FROM audit_ledger WHERE seq = 2')).rejects.toThrow(/append-only/);
      await expect(db.rawQuery('TRUNCATE audit_ledger')).rejects.toThrow(/append-only/);
      expect(await verifyStore(get())).toMatchObject({ ok: true, count: 2 });
    });

    describe('finds tampering done with the trigger disabled', () => {
      const cases: Array<{ name: string; statements: (entries: AuditEntry[]) => Array<[string, unknown[]?]>; seq: number; kind: string }> = [
        { name: 'edited data', statements: () => [[`UPDATE audit_ledger SET data = '{"i": 999}' WHERE seq = 7`]], seq: 7, kind: 'edited' },
        { name: 'edited actor', statements: () => [["UPDATE audit_ledger SET actor = 'mallory' WHERE seq = 1"]], seq: 1, kind: 'edited' },
        {
          name: 'edited and re-hashed',
          statements: (es) => {
            const e = es[6]!;
            const forged = { ...e, data: { i: 999 } };
            return [['UPDATE audit_ledger SET data = $1::jsonb, hash = $2 WHERE seq = 7', [JSON.stringify(forged.data), entryHash(e.prevHash, forged)]]];
          },
          seq: 7,
          kind: 'edited',
        },
        { name: 'deleted entry', statements: () => [['DELETE FROM audit_ledger WHERE seq = 7']], seq: 7, kind: 'deleted' },
        { name: 'deleted first entry', statements: () => [['DELETE FROM audit_ledger WHERE seq = 1']], seq: 1, kind: 'deleted' },
        { name: 'swapped rows', statements: () => swapRows(5, 9), seq: 5, kind: 'reordered' },
        { name: 'swapped neighbours', statements: () => swapRows(3, 4), seq: 3, kind: 'reordered' },
        {
          name: 'swapped data only',
          statements: () => [['UPDATE audit_ledger AS l SET data = o.data FROM audit_ledger AS o WHERE (l.seq, o.seq) IN ((5, 9), (9, 5))']],
          seq: 5,
          kind: 'edited',
        },
        { name: 'truncated tail', statements: () => [['DELETE FROM audit_ledger WHERE seq > 9']], seq: 10, kind: 'deleted' },
        { name: 'emptied ledger', statements: () => [['DELETE FROM audit_ledger']], seq: 1, kind: 'deleted' },
        { name: 'forged head', statements: () => [["UPDATE audit_head SET hash = repeat('a', 64)"]], seq: 12, kind: 'head-mismatch' },
        { name: 'head rolled back', statements: () => [['UPDATE audit_head SET seq = 10']], seq: 11, kind: 'inserted' },
      ];

      for (const c of cases) {
        it(`${c.name} → ${c.kind} at entry ${c.seq}`, async () => {
          const entries = await append(get(), 12);
          await tamper(get(), ...c.statements(entries));
          const result = await verifyStore(get());
          expect(result).toMatchObject({ ok: false, problem: { seq: c.seq, kind: c.kind } });
        });
      }
    });

    it('`ramparts audit verify` prints the verdict and exits 0 or 1', async () => {
      const entries = await append(get(), 3);
      const out = sink();
      const err = sink();
      expect(await auditVerifyCommand(get(), { stdout: out.stream, stderr: err.stream })).toBe(0);
      expect(out.text()).toBe(`audit ledger OK: 3 entries, head 3 ${entries[2]?.hash}\n`);

      await tamper(get(), ['DELETE FROM audit_ledger WHERE seq = 2']);
      const out2 = sink();
      expect(await auditVerifyCommand(get(), { stdout: out2.stream, stderr: err.stream })).toBe(1);
      expect(out2.text()).toMatch(/^audit ledger TAMPERED at entry 2: deleted — entry 2 is missing/);
      expect(err.text()).toBe('');
    });
  });
}
