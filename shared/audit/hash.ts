import { createHash } from 'node:crypto';

/** prev_hash of the first ledger entry. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * Canonical JSON: object keys sorted (UTF-16 code unit order, recursively), no whitespace, values
 * serialised as `JSON.stringify` does (toJSON honoured, undefined members dropped, non-finite
 * numbers and undefined array items become null). Two equal documents always give the same text,
 * whatever their key order — which matters because JSONB does not keep key order.
 */
export function canonicalJson(value: unknown): string {
  return serialize(value) ?? 'null';
}

function serialize(input: unknown): string | undefined {
  const value = hasToJSON(input) ? input.toJSON() : input;
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : 'null';
    case 'bigint':
      throw new TypeError('canonicalJson: BigInt has no JSON form; convert it to a string or number first');
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((item: unknown) => serialize(item) ?? 'null').join(',')}]`;
      const record = value as Record<string, unknown>;
      const members: string[] = [];
      // Explicit sort: JS enumerates integer-like keys numerically ("2" before "10"), not by text.
      for (const key of Object.keys(record).sort()) {
        const text = serialize(record[key]);
        if (text !== undefined) members.push(`${JSON.stringify(key)}:${text}`);
      }
      return `{${members.join(',')}}`;
    }
    default:
      return undefined; // undefined, functions, symbols: dropped like JSON.stringify does
  }
}

function hasToJSON(v: unknown): v is { toJSON(): unknown } {
  return typeof v === 'object' && v !== null && typeof (v as { toJSON?: unknown }).toJSON === 'function';
}

/** Lower-case hex SHA-256 of a UTF-8 string. */
export function sha256hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The hashed part of a ledger entry. */
export interface HashedFields {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string;
  data: Record<string, unknown>;
}

/**
 * An entry's hash: `sha256hex(prevHash + "\n" + canonicalJson({seq, at, actor, action, subject, data}))`.
 * Chaining through prevHash makes any edit, deletion or reordering change every later hash.
 */
export function entryHash(prevHash: string, fields: HashedFields): string {
  const { seq, at, actor, action, subject, data } = fields;
  return sha256hex(`${prevHash}\n${canonicalJson({ seq, at, actor, action, subject, data })}`);
}
