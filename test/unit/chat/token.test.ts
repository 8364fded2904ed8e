import { describe, expect, it } from 'vitest';
import { createTokenSigner } from '../../../shared/chat/token.js';
import { RampartsError } from '../../../shared/errors.js';

const NOW = Date.parse('2025-01-01T00:00:00Z');
const S1 = 'a'.repeat(32);
const S2 = 'b'.repeat(32);
const binding = { taskId: 't-1', action: 'keep' as const, recipientId: 'alice.chen' };

describe('button tokens', () => {
  const signer = createTokenSigner({ secrets: [S1], now: () => NOW, ttlSeconds: 3600 });
  const token = signer.sign('t-1', 'keep', 'alice.chen');

  it('is "<expiry>.<base64url mac>" and verifies for exactly its binding', () => {
    expect(token).toMatch(/^1735693200\.[A-Za-z0-9_-]{43}$/);
    expect(signer.verify(token, binding, NOW)).toBe(true);
  });

  it('refuses another task, action or recipient', () => {
    expect(signer.verify(token, { ...binding, taskId: 't-2' }, NOW)).toBe(false);
    expect(signer.verify(token, { ...binding, action: 'revoke' }, NOW)).toBe(false);
    expect(signer.verify(token, { ...binding, recipientId: 'bob.li' }, NOW)).toBe(false);
  });

  it('expires after the ttl', () => {
    expect(signer.verify(token, binding, NOW + 3599_000)).toBe(true);
    expect(signer.verify(token, binding, NOW + 3600_000)).toBe(false);
  });

  it('refuses a token whose expiry was pushed out (the mac covers it)', () => {
    const [, mac] = token.split('.');
    expect(signer.verify(`9999999999.${mac}`, binding, NOW)).toBe(false);
  });

  it('refuses garbage without throwing', () => {
    for (const t of ['', 'x', `${token}x`, token.replace('.', ':'), `1.${'!'.repeat(43)}`]) expect(signer.verify(t, binding, NOW)).toBe(false);
  });

  it('signs with the first secret and verifies with any, for rotation', () => {
    const old = createTokenSigner({ secrets: [S2], now: () => NOW }).sign('t-1', 'keep', 'alice.chen');
    const rotated = createTokenSigner({ secrets: [S1, S2], now: () => NOW });
    expect(rotated.verify(old, binding, NOW)).toBe(true);
    expect(rotated.verify(rotated.sign('t-1', 'keep', 'alice.chen'), binding, NOW)).toBe(true);
    expect(createTokenSigner({ secrets: [S1], now: () => NOW }).verify(old, binding, NOW)).toBe(false);
  });

  it('refuses ids that would make the canonical string ambiguous', () => {
    expect(() => signer.sign('t|keep', 'keep', 'alice.chen')).toThrow(RampartsError);
    expect(signer.verify(token, { ...binding, taskId: 't-1|x' }, NOW)).toBe(false);
  });

  it('needs a secret', () => {
    expect(() => createTokenSigner({ secrets: [''], now: () => NOW })).toThrow(/RAMPARTS_BUTTON_SECRET/);
  });
});
