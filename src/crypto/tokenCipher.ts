import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Oura tokens at rest: AES-256-GCM with a random 96-bit IV per value, in a versioned envelope
 *
 *     v1:<keyId>:<iv>:<tag>:<ciphertext>      (iv, tag, ciphertext base64url)
 *
 * `keyId` is the first 8 hex characters of sha256(key): it names the key without revealing it,
 * so after a key rotation decryption picks the right key from the configured list, and a
 * missing key is reported as such instead of as tampering.
 */

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class TokenCipherError extends Error {
  readonly code: 'malformed' | 'unknown_key' | 'auth_failed' | 'bad_key';
  constructor(message: string, code: TokenCipherError['code']) {
    super(message);
    this.name = 'TokenCipherError';
    this.code = code;
  }
}

export function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

function checkKey(key: Buffer): void {
  if (key.length !== 32) {
    throw new TokenCipherError(
      `encryption key must be 32 bytes (got ${key.length}); generate one with: openssl rand -hex 32`,
      'bad_key',
    );
  }
}

export function encryptToken(plaintext: string, key: Buffer): string {
  checkKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [
    VERSION,
    keyId(key),
    iv.toString('base64url'),
    tag.toString('base64url'),
    ct.toString('base64url'),
  ].join(':');
}

/** Decrypt with whichever of `keys` the envelope names (current key first, then older ones). */
export function decryptToken(envelope: string, keys: readonly Buffer[]): string {
  const parts = envelope.split(':');
  if (parts.length !== 5 || parts[0] !== VERSION) {
    throw new TokenCipherError(
      `not a ${VERSION} token envelope (expected ${VERSION}:<keyId>:<iv>:<tag>:<ciphertext>)`,
      'malformed',
    );
  }
  const [, id, ivText, tagText, ctText] = parts as [string, string, string, string, string];
  const key = keys.find((k) => k.length === 32 && keyId(k) === id);
  if (!key) {
    throw new TokenCipherError(
      `token was encrypted with key ${id}, which is not configured (known: ${
        keys.map(keyId).join(', ') || 'none'
      }); set SNOWTORCH_SECRET_KEY to the key used when the account was connected`,
      'unknown_key',
    );
  }
  const iv = Buffer.from(ivText, 'base64url');
  const tag = Buffer.from(tagText, 'base64url');
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
    throw new TokenCipherError('token envelope has a wrong-sized IV or tag', 'malformed');
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAuthTag(tag);
    return Buffer.concat([
      decipher.update(Buffer.from(ctText, 'base64url')),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    throw new TokenCipherError(
      `token envelope failed authentication with key ${id}: it was altered or is corrupt`,
      'auth_failed',
    );
  }
}

export interface TokenCipher {
  encrypt(plaintext: string): string;
  decrypt(envelope: string): string;
}

/** `keys[0]` encrypts; every key in the list can decrypt (key rotation). */
export function createTokenCipher(keys: readonly Buffer[]): TokenCipher {
  const [current] = keys;
  if (!current) throw new TokenCipherError('no encryption key configured', 'bad_key');
  for (const k of keys) checkKey(k);
  return {
    encrypt: (plaintext) => encryptToken(plaintext, current),
    decrypt: (envelope) => decryptToken(envelope, keys),
  };
}
