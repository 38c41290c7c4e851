import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/env.ts';
import { listAudit } from '../src/db/auditLog.ts';
import { type RunningDashboard, serveDashboard } from '../src/server/serveDashboard.ts';
import { CHROMIUM, launchChromium } from './support/chromium.ts';
import { SHOTS } from './support/dashboardBrowser.ts';
import { type SyncHarness, startSyncHarness } from './support/syncHarness.ts';

/**
 * Accounts in headless Chromium over real HTTP: first-start setup, Connect Oura through the
 * simulator's OAuth pages, the backfill's progress, the data, inviting a member, logging out and
 * in, and disconnecting. The Content-Security-Policy is live: a violation is a console error.
 */

const PASSWORD = 'a household password';

let h: SyncHarness;
let dashboard: RunningDashboard;
let browser: Browser;
let owner: Page;
const errors: string[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return page;
}

async function shot(page: Page, name: string): Promise<void> {
  await mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

describe.skipIf(!existsSync(CHROMIUM))('accounts in a browser', () => {
  beforeAll(async () => {
    h = await startSyncHarness({ days: 60, endDate: '2026-11-28', users: 2, autoApprove: true });
    const port = await freePort();
    dashboard = await serveDashboard({
      config: loadConfig({
        ...h.env,
        OURA_REDIRECT_URI: `http://127.0.0.1:${port}/oauth/callback`,
      }),
      db: h.db,
      sync: h.ctx,
      host: '127.0.0.1',
      port,
      logger: false,
    });
    browser = await launchChromium();
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await dashboard?.close();
    await h?.close();
  });

  it('creates the owner account on first start', async () => {
    owner = await newPage();
    await owner.goto(`${dashboard.url}/`, { waitUntil: 'networkidle' });
    await owner.waitForURL('**/setup');
    expect(await owner.locator('h1').textContent()).toBe('Welcome to Snowtorch');
    expect(await owner.locator('.top-nav').isHidden()).toBe(true);
    await shot(owner, 'setup');
    await owner.locator('input[name="name"]').fill('olga');
    await owner.locator('input[name="password"]').fill(PASSWORD);
    await owner.locator('button[type="submit"]').click();
    await owner.waitForURL('**/night');
    await owner.locator('.user').filter({ hasText: 'olga' }).waitFor();
    expect(await owner.locator('a[href="/members"]').count()).toBe(1);
  });

  it('connects Oura, shows the scopes and the backfill, then the data', async () => {
    await owner.goto(`${dashboard.url}/data`, { waitUntil: 'networkidle' });
    await owner.locator('#connect-oura').click();
    await owner.waitForURL('**/data?oauth=connected');
    await owner.locator('.banner.ok').filter({ hasText: 'Oura connected' }).waitFor();
    expect(await owner.locator('#granted-scopes').textContent()).toContain('daily');
    await owner
      .locator('.progress-block p')
      .filter({ hasText: /Last sync succeeded/ })
      .waitFor({ timeout: 120_000 });
    await shot(owner, 'oura-connected');
    await owner.locator('a[href="/night"]').first().click();
    await owner.locator('.score-ring').first().waitFor();
    expect(await owner.locator('h1').textContent()).toBe('Last night');
    const events = (await listAudit(h.db)).map((e) => e.event);
    expect(events).toEqual(expect.arrayContaining(['setup', 'login', 'connect']));
  });

  it('invites a member who joins with the link and sees only their own (empty) data', async () => {
    await owner.goto(`${dashboard.url}/members`, { waitUntil: 'networkidle' });
    await owner.locator('#invite').click();
    const url = await owner.locator('.invite-url').inputValue();
    expect(url).toContain('/invite/');
    await shot(owner, 'members');
    const member = await newPage();
    await member.goto(url, { waitUntil: 'networkidle' });
    expect(await member.locator('h1').textContent()).toBe('Join Snowtorch');
    await member.locator('input[name="name"]').fill('mia');
    await member.locator('input[name="password"]').fill(PASSWORD);
    await member.locator('button[type="submit"]').click();
    await member.waitForURL('**/night');
    await member.locator('.user').filter({ hasText: 'mia' }).waitFor();
    const me = await member.evaluate(async () => (await fetch('/api/me')).json());
    expect(me).toMatchObject({ user: { name: 'mia', role: 'member' }, lastNight: null });
    expect(await member.locator('a[href="/members"]').count()).toBe(0);
    // The link worked once.
    const again = await newPage();
    await again.goto(url, { waitUntil: 'networkidle' });
    expect(await again.locator('h1').textContent()).toBe('Invite link not valid');
    await member.context().close();
    await again.context().close();
    // The owner sees the new member, and removes them with their data.
    await owner.reload({ waitUntil: 'networkidle' });
    await owner.locator('[data-remove="mia"]').click();
    await owner.locator('[data-confirm-remove="mia"]').click();
    await owner.locator('.members > li', { hasText: 'mia' }).waitFor({ state: 'detached' });
    expect(await owner.locator('.members > li').count()).toBe(1);
  });

  it('changes the password on the account page', async () => {
    await owner.locator('a.user').click();
    await owner.waitForURL('**/account');
    await owner.locator('input[name="current-password"]').fill(PASSWORD);
    await owner.locator('input[name="new-password"]').fill(`${PASSWORD} 2`);
    await owner.locator('#password-form button[type="submit"]').click();
    await owner.locator('.banner.ok').filter({ hasText: 'Password saved' }).waitFor();
    await shot(owner, 'account');
  });

  it('logs out and back in; a wrong password is explained', async () => {
    await owner.locator('#logout').click();
    await owner.waitForURL('**/login');
    await owner.locator('input[name="name"]').fill('olga');
    await owner.locator('input[name="password"]').fill('not the password');
    await owner.locator('button[type="submit"]').click();
    await owner.locator('.form-error').filter({ hasText: 'Wrong name or password.' }).waitFor();
    await shot(owner, 'login-error');
    await owner.locator('input[name="password"]').fill(`${PASSWORD} 2`);
    await owner.locator('button[type="submit"]').click();
    await owner.waitForURL('**/night');
    await owner.locator('.score-ring').first().waitFor();
  });

  it('disconnects Oura with its data', async () => {
    await owner.goto(`${dashboard.url}/data`, { waitUntil: 'networkidle' });
    await owner.locator('#delete-data').check();
    await owner.locator('#disconnect-oura').click();
    await owner.locator('#connect-oura').waitFor();
    expect(await owner.locator('.card', { hasText: 'Oura connection' }).textContent()).toContain(
      'No Oura account is connected',
    );
    const me = await owner.evaluate(async () => (await fetch('/api/me')).json());
    expect(me).toMatchObject({ connection: { status: 'none' }, lastNight: null });
    expect((await listAudit(h.db)).map((e) => e.event)).toContain('disconnect');
    await shot(owner, 'oura-disconnected');
  });

  it('serves the API documentation under its own policy', async () => {
    await owner.goto(`${dashboard.url}/api/docs/`, { waitUntil: 'networkidle' });
    await owner.locator('.swagger-ui .info .title').waitFor();
    expect(await owner.locator('.swagger-ui .opblock').count()).toBeGreaterThan(10);
  });

  it('logged no console errors (no CSP violations) on any page', () => {
    // Only the deliberate wrong password above answered 401.
    const unexpected = errors.filter((e) => !/status of 401/.test(e));
    expect(unexpected).toEqual([]);
    expect(errors.length).toBeLessThanOrEqual(1);
  });
});
