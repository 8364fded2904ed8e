import type { AuditEntry } from '../store/port.js';
import { entryHash, GENESIS_HASH } from './hash.js';

/** The last entry of a chain (seq 0 and the genesis hash for an empty ledger). */
export interface AuditHead {
  seq: number;
  hash: string;
}

/** What tampering explains the first bad entry; see verifyLedger for how each is told apart. */
export const LEDGER_PROBLEM_KINDS = ['edited', 'deleted', 'reordered', 'inserted', 'head-mismatch'] as const;
export type LedgerProblemKind = (typeof LEDGER_PROBLEM_KINDS)[number];

/** The first bad entry: its seq, what kind of tampering explains it, and the evidence in words. */
export interface LedgerProblem {
  seq: number;
  kind: LedgerProblemKind;
  detail: string;
}

/** `count`: entries that verified before the result was decided (all of them when ok). */
export type VerifyResult = { ok: true; count: number; head: AuditHead } | { ok: false; count: number; problem: LedgerProblem };

export interface VerifyOptions {
  /**
   * What `audit_head` records. A function is called after the last entry was read, so a caller can
   * read the head as late as possible (see verifyStore); null means no head to compare with.
   */
  expectedHead?: AuditHead | null | (() => AuditHead | null | Promise<AuditHead | null>);
}

/** How many recent hashes are remembered to recognise a link back to an earlier entry (insertion). */
const RECENT_WINDOW = 10_000;

/**
 * Verifies a whole ledger, read from seq 1 in order: gap-free seqs, each prev_hash equal to the
 * previous entry's hash, each hash recomputed from the entry, and the last entry equal to the
 * expected head. Streams; only on a failure does it read the rest of the entries to tell a
 * reordering from an edit or a deletion.
 */
export async function verifyLedger(
  entries: AsyncIterable<AuditEntry> | Iterable<AuditEntry>,
  opts: VerifyOptions = {},
): Promise<VerifyResult> {
  const it = Symbol.asyncIterator in entries ? entries[Symbol.asyncIterator]() : toAsync(entries[Symbol.iterator]());
  const recent = new Map<string, number>([[GENESIS_HASH, 0]]);
  let prev: AuditHead = { seq: 0, hash: GENESIS_HASH };
  let count = 0;
  try {
    for (let r = await it.next(); !r.done; r = await it.next()) {
      const problem = await check(r.value, prev, recent, () => lookahead(it));
      if (problem) return { ok: false, count, problem };
      prev = { seq: r.value.seq, hash: r.value.hash };
      count += 1;
      recent.set(prev.hash, prev.seq);
      if (recent.size > RECENT_WINDOW) recent.delete(recent.keys().next().value as string);
    }
  } finally {
    await it.return?.();
  }
  const head = typeof opts.expectedHead === 'function' ? await opts.expectedHead() : opts.expectedHead;
  const problem = head ? checkHead(prev, head) : null;
  return problem ? { ok: false, count, problem } : { ok: true, count, head: prev };
}

interface Later {
  /** hash → seq of the entries after the one being checked. */
  hashes: Map<string, number>;
  seqs: Set<number>;
}

async function check(
  e: AuditEntry,
  prev: AuditHead,
  recent: Map<string, number>,
  later: () => Promise<Later>,
): Promise<LedgerProblem | null> {
  const expected = prev.seq + 1;
  if (e.seq < expected) {
    return { seq: e.seq, kind: 'reordered', detail: `entry ${e.seq} comes after entry ${prev.seq} (seqs out of order)` };
  }
  if (e.seq > expected) {
    const { seqs } = await later();
    if ([...seqs].some((s) => s >= expected && s < e.seq)) {
      return { seq: e.seq, kind: 'reordered', detail: `entry ${e.seq} comes before entry ${expected} (seqs out of order)` };
    }
    const what = e.seq - expected === 1 ? `entry ${expected} is missing` : `entries ${expected}–${e.seq - 1} are missing`;
    return { seq: expected, kind: 'deleted', detail: `${what}: entry ${prev.seq} is followed by entry ${e.seq}` };
  }
  if (e.prevHash === prev.hash) {
    if (entryHash(e.prevHash, e) === e.hash) return null;
    return { seq: e.seq, kind: 'edited', detail: `entry ${e.seq} does not match its hash ${short(e.hash)} (content changed)` };
  }
  return brokenLink(e, prev, recent, await later());
}

/** e.prev_hash is not the previous entry's hash: find out what it points to. */
function brokenLink(e: AuditEntry, prev: AuditHead, recent: Map<string, number>, later: Later): LedgerProblem {
  const ahead = later.hashes.get(e.prevHash);
  if (ahead !== undefined) {
    return { seq: e.seq, kind: 'reordered', detail: `entry ${e.seq} links to entry ${ahead}, which comes after it` };
  }
  const behind = recent.get(e.prevHash);
  if (behind !== undefined) {
    // If e hashes as the successor of `behind`, it is that successor pushed down by inserted entries.
    if (entryHash(e.prevHash, { ...e, seq: behind + 1 }) === e.hash) {
      const what = prev.seq === behind + 1 ? `entry ${prev.seq} was inserted` : `entries ${behind + 1}–${prev.seq} were inserted`;
      return { seq: behind + 1, kind: 'inserted', detail: `${what}: entry ${e.seq} is the original entry ${behind + 1}, which followed entry ${behind}` };
    }
    return { seq: e.seq, kind: 'reordered', detail: `entry ${e.seq} links to the earlier entry ${behind}, not to entry ${prev.seq}` };
  }
  if (entryHash(e.prevHash, e) !== e.hash) {
    return { seq: e.seq, kind: 'edited', detail: `entry ${e.seq} does not match its hash ${short(e.hash)} (prev_hash or content changed)` };
  }
  if (prev.seq === 0) {
    return { seq: e.seq, kind: 'edited', detail: `entry ${e.seq} does not start from the genesis hash` };
  }
  // e is intact but links to a hash no entry has: the previous entry was rewritten and re-hashed.
  return {
    seq: prev.seq,
    kind: 'edited',
    detail: `entry ${prev.seq} was rewritten: its hash ${short(prev.hash)} is not the ${short(e.prevHash)} entry ${e.seq} links to`,
  };
}

function checkHead(last: AuditHead, head: AuditHead): LedgerProblem | null {
  if (head.seq > last.seq) {
    return { seq: last.seq + 1, kind: 'deleted', detail: `the ledger ends at entry ${last.seq} but audit_head records entry ${head.seq}: the tail was removed` };
  }
  if (head.seq < last.seq) {
    return { seq: head.seq + 1, kind: 'inserted', detail: `entries ${head.seq + 1}–${last.seq} follow the recorded head ${head.seq}: they were not appended by the store` };
  }
  if (head.hash !== last.hash) {
    return { seq: last.seq, kind: 'head-mismatch', detail: `audit_head records hash ${short(head.hash)} for entry ${head.seq}, the ledger has ${short(last.hash)}` };
  }
  return null;
}

/** Reads the rest of the stream; only runs once a problem is found. */
async function lookahead(it: AsyncIterator<AuditEntry>): Promise<Later> {
  const later: Later = { hashes: new Map(), seqs: new Set() };
  for (let r = await it.next(); !r.done; r = await it.next()) {
    later.hashes.set(r.value.hash, r.value.seq);
    later.seqs.add(r.value.seq);
  }
  return later;
}

function short(hash: string): string {
  return `${hash.slice(0, 12)}…`;
}

async function* toAsync<T>(it: Iterator<T>): AsyncGenerator<T> {
  for (let r = it.next(); !r.done; r = it.next()) yield r.value;
}
