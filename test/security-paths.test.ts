import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MeResponse } from '../src/api/types.ts';
import { createApp } from '../src/server/app.ts';
import { addMember, setupOwner, type TestSession } from './support/auth.ts';
import { type SyncHarness, startSyncHarness } from './support/syncHarness.ts';

/**
 * Routing, CSRF and the login gate decide on the same path: every state-changing route, spelled
 * with percent-encoding, encoded slashes, doubled slashes or another case, is refused without a
 * CSRF token, and changes nothing.
 */

let h: SyncHarness;
let app: FastifyInstance;
let owner: TestSession;
let memberId: number;

interface OpenApiDoc {
  paths: Record<string, Record<string, unknown>>;
}

beforeAll(async () => {
  h = await startSyncHarness({ days: 3, endDate: '2026-11-28', users: 1 });
  app = await createApp({ config: h.config, db: h.db, sync: h.ctx, webDir: null });
  owner = await setupOwner(app, 'owner');
  await addMember(app, owner, 'member');
  const members = await owner.get<{ members: { id: number; name: string }[] }>('/api/members');
  memberId = members.members.find((m) => m.name === 'member')?.id ?? 0;
}, 300_000);

afterAll(async () => {
  await app?.close();
  await h?.close();
});

const STATE_CHANGING = ['post', 'put', 'patch', 'delete'];

/** Spellings of one path that a router or a browser might treat as the same resource. */
function variants(path: string): string[] {
  const rest = path.slice('/api/'.length);
  const [first = '', ...others] = rest.split('/');
  const encodedFirst = `%${first.charCodeAt(0).toString(16)}${first.slice(1)}`;
  return [
    `/%61pi/${rest}`,
    `/%41PI/${rest}`,
    `/api%2F${rest}`,
    `/api%2f${rest}`,
    `//api/${rest}`,
    `/api//${rest}`,
    `/API/${rest}`,
    `/Api/${rest}`,
    `/api/${encodedFirst}${others.length ? `/${others.join('/')}` : ''}`,
    `/%2561pi/${rest}`,
    `/api/${rest}?x=/api/me`,
  ];
}

describe('encoded paths', () => {
  it('refuses every state-changing /api route, however spelled, without a CSRF token', async () => {
    const doc = (await app.inject('/api/openapi.json')).json() as OpenApiDoc;
    const routes: [string, string][] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const method of Object.keys(ops)) {
        // Webhook deliveries (outside /api) are authenticated by their signature instead.
        if (STATE_CHANGING.includes(method) && path.startsWith('/api/')) {
          routes.push([method.toUpperCase(), path.replace('{id}', String(memberId))]);
        }
      }
    }
    // Every state-changing route the app has is covered (the doc lists them all).
    expect(routes.map((r) => r.join(' '))).toEqual(
      expect.arrayContaining([
        'POST /api/sync',
        'POST /api/auth/logout',
        'POST /api/members/invites',
        `DELETE /api/members/${memberId}`,
        'POST /api/oura/disconnect',
      ]),
    );
    for (const [method, path] of routes) {
      for (const url of [path, ...variants(path)]) {
        const res = await owner.inject({
          method: method as 'POST',
          url,
          headers: { 'x-csrf-token': undefined, origin: 'https://evil.example' },
          payload: {},
        });
        expect([400, 403, 404], `${method} ${url}: ${res.statusCode} ${res.body}`).toContain(
          res.statusCode,
        );
      }
    }
    // Nothing happened: the owner is logged in, the member exists, no invite was made.
    expect((await owner.get<MeResponse>('/api/me')).user?.name).toBe('owner');
    const members = await owner.get<{
      members: { name: string }[];
      openInvites: unknown[];
    }>('/api/members');
    expect(members.members.map((m) => m.name)).toContain('member');
    expect(members.openInvites).toHaveLength(0);
  });

  it('answers encoded /api prefixes with 400 before any route runs', async () => {
    for (const url of ['/%61pi/members', '/api%2Fmembers', '//api/members', '/%61pi/me']) {
      const res = await owner.inject(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: 'invalid_path' } });
    }
  });

  it('never serves live answers (members, audit) from the response cache, however spelled', async () => {
    for (const url of ['/api/%6Dembers', '/api/%61udit', '/api/m%65']) {
      expect((await owner.inject(url)).statusCode, url).toBe(200);
      const again = await owner.inject(url);
      expect(again.headers['x-cache'], url).toBeUndefined();
    }
  });

  it('gates encoded spellings of private GETs behind the login too', async () => {
    for (const url of ['/api/%6Dembers', '/api/%61udit', '/api/trends/sleep%5Fscore']) {
      const res = await app.inject(url);
      expect(res.statusCode, url).toBe(401);
    }
  });
});
