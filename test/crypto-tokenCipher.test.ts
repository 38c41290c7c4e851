import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  createTokenCipher,
  decryptToken,
  encryptToken,
  keyId,
  TokenCipherError,
} from '../src/crypto/tokenCipher.ts';

const key = () => randomBytes(32);

describe('token cipher', () => {
  it('round-trips a token and never stores it in the clear', () => {
    const k = key();
    const token = 'at_secret-Oura-token_123';
    const envelope = encryptToken(token, k);
    expect(envelope).not.toContain(token);
    expect(envelope.split(':')).toHaveLength(5);
    expect(envelope.startsWith(`v1:${keyId(k)}:`)).toBe(true);
    expect(decryptToken(envelope, [k])).toBe(token);
  });

  it('uses a fresh IV each time, so equal tokens give different envelopes', () => {
    const k = key();
    expect(encryptToken('same', k)).not.toBe(encryptToken('same', k));
  });

  it('detects tampering with the ciphertext, the tag or the IV', () => {
    const k = key();
    const envelope = encryptToken('refresh-token-value', k);
    const parts = envelope.split(':');
    for (const index of [2, 3, 4]) {
      const altered = [...parts];
      const field = Buffer.from(altered[index] ?? '', 'base64url');
      field[0] = (field[0] ?? 0) ^ 0x01;
      altered[index] = field.toString('base64url');
      expect(() => decryptToken(altered.join(':'), [k])).toThrowError(
        expect.objectContaining({ code: 'auth_failed' }),
      );
    }
  });

  it('names the missing key when the envelope was made with a key that is not configured', () => {
    const old = key();
    const envelope = encryptToken('t', old);
    const err = (() => {
      try {
        decryptToken(envelope, [key()]);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(TokenCipherError);
    expect((err as TokenCipherError).code).toBe('unknown_key');
    expect((err as Error).message).toContain(keyId(old));
  });

  it('decrypts values made with an older key after rotation, and encrypts with the new one', () => {
    const oldKey = key();
    const newKey = key();
    const before = createTokenCipher([oldKey]).encrypt('stored-before-rotation');
    const rotated = createTokenCipher([newKey, oldKey]);
    expect(rotated.decrypt(before)).toBe('stored-before-rotation');
    const after = rotated.encrypt('stored-after-rotation');
    expect(after.split(':')[1]).toBe(keyId(newKey));
    expect(createTokenCipher([newKey]).decrypt(after)).toBe('stored-after-rotation');
  });

  it('rejects malformed envelopes and keys of the wrong size with clear errors', () => {
    expect(() => decryptToken('plaintext-token', [key()])).toThrowError(/not a v1 token envelope/);
    expect(() => createTokenCipher([randomBytes(16)])).toThrowError(/32 bytes/);
    expect(() => createTokenCipher([])).toThrowError(/no encryption key/);
  });
});
