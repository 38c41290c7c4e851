import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../src/accounts/secrets.ts';
import type { DatabaseConfig } from '../src/config/env.ts';
import { openDatabase } from '../src/db/database.ts';
import { createCliDatabase } from './support/cliDatabase.ts';

/** `snowtorch users`: list, create, reset-password, login-link and delete, as a person runs them. */

const run = promisify(execFile);
const BIN = new URL('../bin/snowtorch.js', import.meta.url).pathname;

let env: NodeJS.ProcessEnv;
let dbConfig: DatabaseConfig;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ env, config: dbConfig, cleanup } = await createCliDatabase('users'));
  env.SNOWTORCH_PUBLIC_URL = 'http://127.0.0.1:3999';
});

afterAll(async () => {
  await cleanup?.();
});

async function snowtorch(...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** Runs the CLI with `input` on stdin (how scripts pass a password). */
function withStdin(input: string, ...args: string[]) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += String(d);
    });
    child.stderr.on('data', (d) => {
      stderr += String(d);
    });
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.end(input);
  });
}

async function storedHash(name: string): Promise<string | null | undefined> {
  const database = await openDatabase(dbConfig);
  try {
    const row = await database.db
      .selectFrom('app_user')
      .select('password_hash')
      .where('name', '=', name)
      .executeTakeFirst();
    return row?.password_hash;
  } finally {
    await database.close();
  }
}

describe('snowtorch users', () => {
  it('creates the owner and a member with passwords read from stdin, and lists them', async () => {
    const owner = await withStdin('owner password 1\n', 'users', 'create', 'olga', '--owner');
    expect(owner).toMatchObject({ code: 0, stdout: 'Created owner "olga".\n' });
    const weak = await withStdin('short\n', 'users', 'create', 'mia');
    expect(weak.code).toBe(1);
    expect(weak.stderr).toContain('at least 10 characters');
    expect((await withStdin('member password\n', 'users', 'create', 'mia')).code).toBe(0);
    const list = await snowtorch('users', 'list', '--json');
    expect(JSON.parse(list.stdout)).toEqual([
      expect.objectContaining({ name: 'olga', role: 'owner', password: true, oura: 'none' }),
      expect.objectContaining({ name: 'mia', role: 'member', password: true }),
    ]);
    const hash = await storedHash('olga');
    expect(hash?.startsWith('$argon2id$')).toBe(true);
    expect(await verifyPassword(hash ?? null, 'owner password 1')).toBe(true);
  }, 60_000);

  it('resets a password and prints a one-time login link', async () => {
    const reset = await withStdin('a brand new password\n', 'users', 'reset-password', 'mia');
    expect(reset.code).toBe(0);
    expect(await verifyPassword((await storedHash('mia')) ?? null, 'a brand new password')).toBe(
      true,
    );
    const link = await snowtorch('users', 'login-link', 'mia');
    expect(link.code).toBe(0);
    expect(link.stdout).toMatch(/http:\/\/127\.0\.0\.1:3999\/login\/link\?token=[A-Za-z0-9_-]{43}/);
    const missing = await snowtorch('users', 'login-link', 'nobody');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no user named "nobody"');
  }, 60_000);

  it('deletes a user only with --yes', async () => {
    const refused = await snowtorch('users', 'delete', 'mia');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('add --yes');
    expect((await snowtorch('users', 'delete', 'mia', '--yes')).stdout).toBe(
      'Deleted "mia" and all their data.\n',
    );
    const list = await snowtorch('users', 'list', '--json');
    expect(JSON.parse(list.stdout).map((u: { name: string }) => u.name)).toEqual(['olga']);
  }, 60_000);
});
