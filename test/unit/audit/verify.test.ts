import { describe, expect, it } from 'vitest';
import { entryHash, GENESIS_HASH } from '../../../shared/audit/hash.js';
import { verifyLedger } from '../../../shared/audit/verify.js';
import type { AuditEntry } from '../../../shared/store/port.js';

/** A valid chain of n entries, seq 1..n. */
function chain(n: number): AuditEntry[] {
  const out: AuditEntry[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq += 1) {
    const fields = { seq, at: new Date(Date.UTC(2026, 10, 1, 0, 0, seq)).toISOString(), actor: 'system', action: 'task.opened', subject: `task-${seq}`, data: { seq } };
    const hash = entryHash(prevHash, fields);
    out.push({ ...fields, prevHash, hash });
    prevHash = hash;
  }
  return out;
}

/** A forged entry that hashes correctly for its own seq and prev_hash. */
function forge(seq: number, prevHash: string, data: Record<string, unknown>): AuditEntry {
  const fields = { seq, at: '2026-11-01T12:00:00.000Z', actor: 'mallory', action: 'task.kept', subject: 'task-x', data };
  return { ...fields, prevHash, hash: entryHash(prevHash, fields) };
}

const at = (es: AuditEntry[], seq: number): AuditEntry => es[seq - 1]!;

describe('verifyLedger', () => {
  it('accepts an empty ledger and a valid chain, from arrays or async iterables', async () => {
    expect(await verifyLedger([])).toEqual({ ok: true, count: 0, head: { seq: 0, hash: GENESIS_HASH } });
    const es = chain(5);
    const head = { seq: 5, hash: at(es, 5).hash };
    expect(await verifyLedger(es, { expectedHead: head })).toEqual({ ok: true, count: 5, head });
    async function* stream() {
      yield* es;
    }
    expect(await verifyLedger(stream(), { expectedHead: async () => head })).toEqual({ ok: true, count: 5, head });
  });

  it('edited: content that no longer matches its hash', async () => {
    const es = chain(6);
    es[3] = { ...at(es, 4), data: { seq: 40 } };
    expect(await verifyLedger(es)).toEqual({ ok: false, count: 3, problem: { seq: 4, kind: 'edited', detail: expect.stringContaining('entry 4 does not match its hash') } });
  });

  it('edited: an entry rewritten and re-hashed is caught by the next link', async () => {
    const es = chain(6);
    es[3] = forge(4, at(es, 3).hash, { seq: 40 });
    expect(await verifyLedger(es)).toMatchObject({ ok: false, count: 4, problem: { seq: 4, kind: 'edited', detail: expect.stringContaining('entry 4 was rewritten') } });
  });

  it('edited: a first entry that does not start from the genesis hash', async () => {
    const es = chain(3);
    es[0] = forge(1, 'f'.repeat(64), { seq: 1 });
    expect(await verifyLedger(es)).toMatchObject({ ok: false, count: 0, problem: { seq: 1, kind: 'edited' } });
  });

  it('deleted: a gap in seq names the first missing entry', async () => {
    const es = chain(8);
    expect(await verifyLedger(es.filter((e) => e.seq !== 5))).toEqual({
      ok: false,
      count: 4,
      problem: { seq: 5, kind: 'deleted', detail: 'entry 5 is missing: entry 4 is followed by entry 6' },
    });
    expect(await verifyLedger(es.filter((e) => e.seq < 3 || e.seq > 6))).toMatchObject({ problem: { seq: 3, kind: 'deleted', detail: expect.stringContaining('entries 3–6 are missing') } });
    expect(await verifyLedger(es.slice(1))).toMatchObject({ count: 0, problem: { seq: 1, kind: 'deleted' } });
  });

  it('deleted: a cut tail shows against the head', async () => {
    const es = chain(8);
    const head = { seq: 8, hash: at(es, 8).hash };
    expect(await verifyLedger(es.slice(0, 5), { expectedHead: head })).toEqual({
      ok: false,
      count: 5,
      problem: { seq: 6, kind: 'deleted', detail: expect.stringContaining('the tail was removed') },
    });
    expect(await verifyLedger([], { expectedHead: head })).toMatchObject({ problem: { seq: 1, kind: 'deleted' } });
  });

  it('reordered: seqs out of order', async () => {
    const es = chain(5);
    expect(await verifyLedger([at(es, 1), at(es, 2), at(es, 4), at(es, 3), at(es, 5)])).toMatchObject({ ok: false, count: 2, problem: { seq: 4, kind: 'reordered' } });
    expect(await verifyLedger([at(es, 1), at(es, 2), at(es, 2), at(es, 3)])).toMatchObject({ problem: { seq: 2, kind: 'reordered' } });
  });

  it('reordered: entries that traded places (seqs renumbered to look in order)', async () => {
    const es = chain(6);
    const moved = [at(es, 1), at(es, 2), { ...at(es, 5), seq: 3 }, at(es, 4), { ...at(es, 3), seq: 5 }, at(es, 6)];
    expect(await verifyLedger(moved)).toEqual({ ok: false, count: 2, problem: { seq: 3, kind: 'reordered', detail: 'entry 3 links to entry 4, which comes after it' } });
  });

  it('inserted: a forged entry pushing the originals down', async () => {
    const es = chain(5);
    const forged = forge(3, at(es, 2).hash, { note: 'approved by nobody' });
    const shifted = [at(es, 1), at(es, 2), forged, ...es.slice(2).map((e) => ({ ...e, seq: e.seq + 1 }))];
    expect(await verifyLedger(shifted)).toMatchObject({ ok: false, count: 3, problem: { seq: 3, kind: 'inserted', detail: 'entry 3 was inserted: entry 4 is the original entry 3, which followed entry 2' } });
  });

  it('inserted / head-mismatch: the head disagrees with the last entry', async () => {
    const es = chain(4);
    expect(await verifyLedger(es, { expectedHead: { seq: 3, hash: at(es, 3).hash } })).toMatchObject({ ok: false, count: 4, problem: { seq: 4, kind: 'inserted' } });
    expect(await verifyLedger(es, { expectedHead: { seq: 4, hash: 'a'.repeat(64) } })).toMatchObject({ ok: false, count: 4, problem: { seq: 4, kind: 'head-mismatch' } });
    expect(await verifyLedger(es, { expectedHead: null })).toMatchObject({ ok: true });
  });

  it('stops reading when it can decide, and closes the source', async () => {
    const es = chain(5);
    es[1] = { ...at(es, 2), actor: 'mallory' };
    let read = 0;
    let closed = false;
    async function* source() {
      try {
        for (const e of es) {
          read += 1;
          yield e;
        }
      } finally {
        closed = true;
      }
    }
    expect(await verifyLedger(source())).toMatchObject({ problem: { seq: 2, kind: 'edited' } });
    expect(read).toBe(2);
    expect(closed).toBe(true);
  });
});
