import { describe, expect, it } from 'vitest';
import { canonicalJson, entryHash, GENESIS_HASH, sha256hex } from '../../../shared/audit/hash.js';

describe('canonicalJson', () => {
  it('sorts keys recursively and has no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: 'x' } })).toBe('{"a":{"c":"x","d":[{"y":2,"z":1}]},"b":1}');
  });

  it('gives one text whatever the key order (JSONB does not keep it)', () => {
    expect(canonicalJson({ x: { q: [1, { b: 2, a: 1 }], p: null }, w: true })).toBe(canonicalJson({ w: true, x: { p: null, q: [1, { a: 1, b: 2 }] } }));
  });

  it('orders integer-like keys as text, not the way JS enumerates them', () => {
    expect(canonicalJson({ 10: 'a', 2: 'b', a: 'c' })).toBe('{"10":"a","2":"b","a":"c"}');
  });

  it('serialises values the way JSON.stringify does', () => {
    expect(canonicalJson({ s: 'é "q" \n', n: -0, f: 0.1, big: 1e21, nan: Number.NaN, inf: Infinity })).toBe(
      '{"big":1e+21,"f":0.1,"inf":null,"n":0,"nan":null,"s":"é \\"q\\" \\n"}',
    );
    expect(canonicalJson({ gone: undefined, fn: () => 1, list: [undefined, () => 1, 1] })).toBe('{"list":[null,null,1]}');
    expect(canonicalJson({ at: new Date('2026-11-27T01:00:00Z') })).toBe('{"at":"2026-11-27T01:00:00.000Z"}');
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson('x')).toBe('"x"');
  });

  it('refuses BigInt rather than guessing a form', () => {
    expect(() => canonicalJson({ n: 1n })).toThrow(/BigInt/);
  });
});

describe('hashes', () => {
  it('sha256hex is lower-case hex SHA-256 of UTF-8', () => {
    expect(sha256hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('entryHash = sha256hex(prevHash + "\\n" + canonicalJson({seq, at, actor, action, subject, data}))', () => {
    const fields = { seq: 1, at: '2026-11-27T01:00:00.000Z', actor: 'system', action: 'task.opened', subject: 'task-1', data: { b: [1, 'x'], a: { é: true } } };
    const expected = sha256hex(`${GENESIS_HASH}\n{"action":"task.opened","actor":"system","at":"2026-11-27T01:00:00.000Z","data":{"a":{"é":true},"b":[1,"x"]},"seq":1,"subject":"task-1"}`);
    expect(entryHash(GENESIS_HASH, fields)).toBe(expected);
    // Pinned: changing the format would orphan every existing ledger.
    expect(expected).toBe('2afec678363108f013d71cfcc806903b48077dbd0f1ecef3e1f5dadcb1f33138');
    // Only the hashed fields count: extra properties on the entry are ignored.
    expect(entryHash(GENESIS_HASH, { ...fields, prevHash: 'x', hash: 'y' } as typeof fields)).toBe(expected);
  });

  it('the genesis hash is 64 zeros', () => {
    expect(GENESIS_HASH).toMatch(/^0{64}$/);
  });
});
