import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRotateKeyCommand } from '../src/cli/commands/rotateKey.ts';
import { loadConfig } from '../src/config/env.ts';
import { keyId } from '../src/crypto/tokenCipher.ts';
import type { User } from '../src/db/users.ts';
import { createSyncContext } from '../src/sync/context.ts';
import { syncUser } from '../src/sync/engine.ts';
import { type SyncHarness, startSyncHarness } from './support/syncHarness.ts';

let h: SyncHarness;
let demo: User;

const envelopes = async () =>
  h.db
    .selectFrom('oura_connection')
    .select(['access_token_enc', 'refresh_token_enc'])
    .where('user_id', '=', demo.id)
    .executeTakeFirstOrThrow();

beforeAll(async () => {
  h = await startSyncHarness({ days: 5 });
  demo = await h.connect('demo');
});

afterAll(async () => {
  await h?.close();
});

describe('snowtorch rotate-key', () => {
  it('moves every token to the new key; syncing works with the new key alone', async () => {
    const oldKey = h.env.SNOWTORCH_SECRET_KEY;
    const newKey = randomBytes(32).toString('hex');
    const env = { ...h.env, SNOWTORCH_SECRET_KEY: newKey, ROTATE_FROM: oldKey };
    const out: string[] = [];
    await runRotateKeyCommand(['--old-key-env', 'ROTATE_FROM', '--json'], {
      env,
      database: h.database,
      out: (t) => out.push(t),
    });
    expect(JSON.parse(out[0] ?? '{}')).toEqual({
      connections: 1,
      reencrypted: 1,
      alreadyCurrent: 0,
    });
    const newId = keyId(Buffer.from(newKey, 'hex'));
    const stored = await envelopes();
    expect(stored.access_token_enc.startsWith(`v1:${newId}:`)).toBe(true);
    expect(stored.refresh_token_enc?.startsWith(`v1:${newId}:`)).toBe(true);

    // The old key is no longer needed: a context that knows only the new key syncs.
    const ctx = createSyncContext({ config: loadConfig(env), database: h.database });
    const summary = await syncUser(ctx, { userId: demo.id, trigger: 'test', types: ['sleep'] });
    expect(summary.status).toBe('succeeded');

    // Running it again changes nothing.
    await runRotateKeyCommand(['--old-key-env', 'ROTATE_FROM', '--json'], {
      env,
      database: h.database,
      out: (t) => out.push(t),
    });
    expect(JSON.parse(out[1] ?? '{}')).toMatchObject({ reencrypted: 0, alreadyCurrent: 1 });

    // A wrong old key: the command fails and leaves every token as it was.
    const before = await envelopes();
    await expect(
      runRotateKeyCommand([], {
        env: {
          ...h.env,
          SNOWTORCH_SECRET_KEY: randomBytes(32).toString('hex'),
          SNOWTORCH_OLD_SECRET_KEY: randomBytes(32).toString('hex'),
        },
        database: h.database,
        out: () => {},
      }),
    ).rejects.toThrow(/cannot decrypt the access token.*nothing was changed/);
    expect(await envelopes()).toEqual(before);
  });

  it('names the missing old key', async () => {
    await expect(
      runRotateKeyCommand([], { env: { ...h.env }, database: h.database, out: () => {} }),
    ).rejects.toThrow('SNOWTORCH_OLD_SECRET_KEY (the old key) is not set');
  });
});

describe('live sync configuration', () => {
  it('defaults to hourly syncs without webhooks, and names bad values', () => {
    const config = loadConfig({});
    expect(config.sync.intervalMinutes).toBe(60);
    expect(config.publicUrl).toBeUndefined();
    const set = loadConfig({
      SNOWTORCH_SYNC_INTERVAL_MINUTES: '0',
      SNOWTORCH_PUBLIC_URL: 'https://snowtorch.example.com/',
    });
    expect(set.sync.intervalMinutes).toBe(0);
    expect(set.publicUrl).toBe('https://snowtorch.example.com');
    expect(() =>
      loadConfig({
        SNOWTORCH_SYNC_INTERVAL_MINUTES: '-5',
        SNOWTORCH_PUBLIC_URL: 'http://snowtorch.example.com',
      }),
    ).toThrow(
      /SNOWTORCH_SYNC_INTERVAL_MINUTES[\s\S]*SNOWTORCH_PUBLIC_URL|SNOWTORCH_PUBLIC_URL[\s\S]*SNOWTORCH_SYNC_INTERVAL_MINUTES/,
    );
  });
});
