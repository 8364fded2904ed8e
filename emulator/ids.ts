import { createHash, randomUUID } from 'node:crypto';

/**
 * Stable identifiers. Scenarios may omit ids; deriving them from names (instead of counters) keeps an
 * entity's id the same when other entities are added to or removed from a scenario.
 */

function digest(kind: string, name: string): Buffer {
  return createHash('sha256').update(`${kind}\0${name}`).digest();
}

/** A stable decimal id of `length` digits (first digit non-zero), like RAM user ids (`1227489245380721`). */
export function stableDigits(kind: string, name: string, length = 16): string {
  const bytes = digest(kind, name);
  let out = String((bytes[0]! % 9) + 1);
  for (let i = 1; out.length < length; i++) out += String(bytes[i % bytes.length]! % 10);
  return out;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A stable alphanumeric string of `length` characters, e.g. for group ids (`g-FpMEHiMysofp`). */
export function stableAlnum(kind: string, name: string, length: number): string {
  const bytes = digest(kind, name);
  let out = '';
  for (let i = 0; out.length < length; i++) out += ALNUM[bytes[i % bytes.length]! % ALNUM.length];
  return out;
}

/** A request id in the upper-case UUID form Alibaba Cloud uses (`4B450CA1-36E8-4AA2-8461-86B42BF4CC4E`). */
export function requestId(): string {
  return randomUUID().toUpperCase();
}

/**
 * A small seeded PRNG (mulberry32): fault injection and scenario generation must be reproducible from a
 * seed, which `Math.random` cannot give. Returns floats in [0, 1).
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
