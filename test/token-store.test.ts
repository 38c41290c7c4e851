import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTokenCipher } from '../src/crypto/tokenCipher.ts';
import { getConnection, saveConnection } from '../src/db/connections.ts';
import { type Db, type OpenDatabase, openDatabase } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { getOrCreateUser } from '../src/db/users.ts';
import { createOuraClient } from '../src/oura/client.ts';
import { OuraAuthError } from '../src/oura/errors.ts';
import { type Simulator, startSimulator } from '../src/simulator/index.ts';
import { createDbTokenProvider } from '../src/sync/tokenStore.ts';
import {
  createPostgresTestDatabase,
  dropPostgresTestDatabase,
  openTestDatabase,
  testPostgresUrl,
} from './support/db.ts';

const KEY = randomBytes(32);
const cipher = createTokenCipher([KEY]);
let sim: Simulator;
let database: OpenDatabase;
let userId: number;

const oauth = () => ({
  tokenUrl: `${sim.url}/oauth/token`,
  clientId: 'snowtorch-dev',
  clientSecret: 'snowtorch-dev-secret',
});
const tokenRequests = () => sim.stats.requests['/oauth/token'] ?? 0;

/** A fresh grant for `demo`, stored as `snowtorch connect` stores it. */
async function seedConnection(db: Db, accessExpiresAt: Date) {
  const issued = sim.issueTokens('demo');
  const conn = await saveConnection(db, {
    userId,
    ouraUserId: sim.users[0]?.personalInfo.id ?? null,
    accessTokenEnc: cipher.encrypt(issued.access_token),
    refreshTokenEnc: cipher.encrypt(issued.refresh_token),
    accessExpiresAt,
    scopes: ['daily', 'heartrate', 'personal'],
  });
  return { issued, conn };
}

const inOneHour = () => new Date(Date.now() + 3_600_000);
const inOneMinute = () => new Date(Date.now() + 60_000);

beforeAll(async () => {
  sim = await startSimulator({ seed: 3, users: 1, days: 14, endDate: '2025-03-31' });
  database = await openTestDatabase();
  userId = (await getOrCreateUser(database.db, 'demo')).id;
});
afterAll(async () => {
  await database?.close();
  await sim?.close();
});
beforeEach(() => {
  sim.faults.reset();
});

describe('database token provider', () => {
  it('uses the stored access token while it is fresh, without calling the token endpoint', async () => {
    const { issued } = await seedConnection(database.db, inOneHour());
    const before = tokenRequests();
    const tokens = createDbTokenProvider(database.db, { userId, oauth: oauth(), keys: [KEY] });
    expect(await tokens.accessToken()).toBe(issued.access_token);
    expect(tokenRequests()).toBe(before);
  });

  it('refreshes a token that expires within 5 minutes and stores the new pair encrypted', async () => {
    const { issued, conn } = await seedConnection(database.db, inOneMinute());
    const tokens = createDbTokenProvider(database.db, { userId, oauth: oauth(), keys: [KEY] });
    const fresh = await tokens.accessToken();
    expect(fresh).not.toBe(issued.access_token);

    const stored = await getConnection(database.db, userId);
    expect(stored?.tokenVersion).toBe(conn.tokenVersion + 1);
    expect(stored?.accessTokenEnc).toMatch(/^v1:/);
    expect(stored?.accessTokenEnc).not.toContain(fresh);
    expect(cipher.decrypt(stored?.accessTokenEnc ?? '')).toBe(fresh);
    const newRefresh = cipher.decrypt(stored?.refreshTokenEnc ?? '');
    expect(newRefresh).not.toBe(issued.refresh_token);
    expect(stored?.accessExpiresAt.getTime()).toBeGreaterThan(Date.now() + 3_600_000);

    // The data API accepts the new token.
    const client = createOuraClient({ baseUrl: sim.url, tokens });
    expect((await client.personalInfo()).id).toBe(sim.users[0]?.personalInfo.id);
  });

  it('refreshes after a 401 and the client carries on', async () => {
    const { conn } = await seedConnection(database.db, inOneHour());
    const tokens = createDbTokenProvider(database.db, { userId, oauth: oauth(), keys: [KEY] });
    const client = createOuraClient({ baseUrl: sim.url, tokens });
    await client.personalInfo();
    sim.faults.expireTokensNow();
    const before = tokenRequests();
    await client.personalInfo();
    expect(tokenRequests()).toBe(before + 1);
    expect((await getConnection(database.db, userId))?.tokenVersion).toBe(conn.tokenVersion + 1);
  });

  it('shares one refresh among concurrent callers of one provider', async () => {
    await seedConnection(database.db, new Date(Date.now() - 1000));
    const tokens = createDbTokenProvider(database.db, { userId, oauth: oauth(), keys: [KEY] });
    const before = tokenRequests();
    const got = await Promise.all(Array.from({ length: 10 }, () => tokens.accessToken()));
    expect(new Set(got).size).toBe(1);
    expect(tokenRequests()).toBe(before + 1);
  });

  it('two providers on one database racing to refresh spend the refresh token once', async () => {
    const { conn } = await seedConnection(database.db, new Date(Date.now() - 1000));
    const a = createDbTokenProvider(database.db, { userId, oauth: oauth(), keys: [KEY] });
    const b = createDbTokenProvider(database.db, { userId, oauth: oauth(), keys: [KEY] });
    const before = tokenRequests();
    const [ta, tb] = await Promise.all([a.accessToken(), b.accessToken()]);
    expect(ta).toBe(tb);
    expect(tokenRequests()).toBe(before + 1);
    const stored = await getConnection(database.db, userId);
    expect(stored).toMatchObject({ status: 'active', tokenVersion: conn.tokenVersion + 1 });
  });

  it('on invalid_grant marks the connection reconnect_needed and clears the credentials', async () => {
    await seedConnection(database.db, new Date(Date.now() - 1000));
    sim.revokeUser('demo');
    const tokens = createDbTokenProvider(database.db, { userId, oauth: oauth(), keys: [KEY] });
    const err = await tokens.accessToken().catch((e) => e);
    expect(err).toBeInstanceOf(OuraAuthError);
    expect(err).toMatchObject({ reconnectNeeded: true, code: 'reconnect_needed' });

    const stored = await getConnection(database.db, userId);
    expect(stored).toMatchObject({ status: 'reconnect_needed', refreshTokenEnc: null });
    expect(stored?.accessTokenEnc).toBe('');

    // Later calls say so at once, without spending anything upstream.
    const before = tokenRequests();
    const again = createDbTokenProvider(database.db, { userId, oauth: oauth(), keys: [KEY] });
    await expect(again.accessToken()).rejects.toMatchObject({ reconnectNeeded: true });
    expect(tokenRequests()).toBe(before);
  });

  it('a transient token endpoint failure keeps the stored credentials', async () => {
    const { conn } = await seedConnection(database.db, new Date(Date.now() - 1000));
    const tokens = createDbTokenProvider(database.db, {
      userId,
      // Nothing listens on port 9 of the loopback interface.
      oauth: { ...oauth(), tokenUrl: 'http://127.0.0.1:9/oauth/token', timeoutMs: 2000 },
      keys: [KEY],
    });
    await expect(tokens.accessToken()).rejects.toMatchObject({ code: 'network_error' });
    expect(await getConnection(database.db, userId)).toMatchObject({
      status: 'active',
      tokenVersion: conn.tokenVersion,
      refreshTokenEnc: conn.refreshTokenEnc,
    });
  });
});

/**
 * Two processes share one PostgreSQL database: each has its own pool, so the row lock
 * (`SELECT ... FOR UPDATE`) is what keeps the second from spending the refresh token again.
 */
describe('two database handles against PostgreSQL', () => {
  let name = '';
  let first: OpenDatabase;
  let second: OpenDatabase;

  beforeAll(async () => {
    name = await createPostgresTestDatabase();
    const config = {
      kind: 'postgres' as const,
      connectionString: testPostgresUrl(name),
      ssl: false as const,
    };
    first = await openDatabase(config, { poolSize: 2 });
    second = await openDatabase(config, { poolSize: 2 });
    await migrateToLatest(first.db);
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
    if (name) await dropPostgresTestDatabase(name);
  });

  it('both get the same fresh token and the refresh token is used once', async () => {
    const user = await getOrCreateUser(first.db, 'demo');
    for (let round = 0; round < 3; round++) {
      const issued = sim.issueTokens('demo');
      const conn = await saveConnection(first.db, {
        userId: user.id,
        ouraUserId: null,
        accessTokenEnc: cipher.encrypt(issued.access_token),
        refreshTokenEnc: cipher.encrypt(issued.refresh_token),
        accessExpiresAt: new Date(Date.now() - 1000),
        scopes: ['daily'],
      });
      const options = { userId: user.id, oauth: oauth(), keys: [KEY] };
      const providers = [
        createDbTokenProvider(first.db, options),
        createDbTokenProvider(second.db, options),
        createDbTokenProvider(first.db, options),
        createDbTokenProvider(second.db, options),
      ];
      const before = tokenRequests();
      const got = await Promise.all(providers.map((p) => p.accessToken()));
      expect(new Set(got).size).toBe(1);
      expect(tokenRequests()).toBe(before + 1);
      expect(await getConnection(second.db, user.id)).toMatchObject({
        status: 'active',
        tokenVersion: conn.tokenVersion + 1,
      });
    }
  });
});
