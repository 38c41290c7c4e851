import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

/** 32 random bytes, base64url: session ids, CSRF tokens, one-time links, OAuth state. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Tokens are stored as their sha256 only: a database dump does not log anyone in. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 256;

export class WeakPasswordError extends Error {
  override name = 'WeakPasswordError';
}

export function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new WeakPasswordError(`The password needs at least ${MIN_PASSWORD_LENGTH} characters.`);
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    throw new WeakPasswordError(`The password may have at most ${MAX_PASSWORD_LENGTH} characters.`);
  }
}

/** argon2id (the library default) with OWASP's minimum: 19 MiB, 2 passes. */
export function hashPassword(password: string): Promise<string> {
  checkPassword(password);
  return hash(password, { memoryCost: 19_456, timeCost: 2, parallelism: 1 });
}

/** Verified against when the account has no password, so timing does not tell. */
let dummyHash: Promise<string> | undefined;

export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (password.length > MAX_PASSWORD_LENGTH) return false;
  dummyHash ??= hash(randomToken(), { memoryCost: 19_456, timeCost: 2, parallelism: 1 });
  try {
    if (stored === null) {
      await verify(await dummyHash, password);
      return false;
    }
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/** Names appear in URLs, logs and the CLI: keep them plain. */
export function checkUserName(name: string): string | null {
  const n = name.trim();
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/.test(n)) {
    return 'A name is 1-40 letters, digits, dots, dashes or underscores.';
  }
  return null;
}
