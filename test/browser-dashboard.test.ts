import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLoginLink } from '../src/accounts/links.ts';
import type { MeResponse, NightResponse } from '../src/api/types.ts';
import { type RunningDashboard, serveDashboard } from '../src/server/serveDashboard.ts';
import { CHROMIUM, launchChromium } from './support/chromium.ts';
import { type SyncHarness, startSyncHarness } from './support/syncHarness.ts';

/**
 * The dashboard in headless Chromium, served by the real server with a year of simulated data
 * synced by the real engine. Screenshots go to test-results/screenshots, or to docs/screenshots
 * with SNOWTORCH_SCREENSHOTS=docs.
 */

const END = '2026-11-28';
const SHOTS =
  process.env.SNOWTORCH_SCREENSHOTS === 'docs'
    ? join(import.meta.dirname, '..', 'docs', 'screenshots')
    : join(import.meta.dirname, '..', 'test-results', 'screenshots');

let h: SyncHarness;
let dashboard: RunningDashboard;
let browser: Browser;
let me: MeResponse;
/** The logged-in session (from a one-time login link), shared by every page's context. */
let storageState: BrowserContextOptions['storageState'];
let cookie = '';

const errors: string[] = [];

async function api<T>(path: string): Promise<T> {
  const res = await fetch(`${dashboard.url}${path}`, { headers: { cookie } });
  return (await res.json()) as T;
}

async function open(
  path: string,
  opts: { width?: number; theme?: 'dark' | 'light' } = {},
): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: opts.width ?? 1280, height: 900 },
    colorScheme: opts.theme ?? 'dark',
    storageState,
  });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`${path}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`${path}: ${e.message}`));
  await page.goto(`${dashboard.url}${path}`, { waitUntil: 'networkidle' });
  return page;
}

async function shot(page: Page, name: string): Promise<void> {
  await mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

describe.skipIf(!existsSync(CHROMIUM))('dashboard in a browser', () => {
  beforeAll(async () => {
    h = await startSyncHarness({ days: 400, endDate: END, users: 1 });
    const user = await h.connect('demo');
    const run = await h.sync(user.id);
    expect(run.status).toBe('succeeded');
    dashboard = await serveDashboard({
      config: h.config,
      db: h.db,
      sync: h.ctx,
      port: 0,
      host: '127.0.0.1',
      logger: false,
    });
    browser = await launchChromium();
    const link = await createLoginLink(h.db, user.id, dashboard.url);
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(link.url);
    await page.waitForURL('**/night');
    storageState = await context.storageState();
    cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    await context.close();
    me = await api<MeResponse>('/api/me');
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await dashboard?.close();
    await h?.close();
  });

  it('shows last night with scores, stages and charts on one time axis', async () => {
    const page = await open('/night');
    await page.locator('.night-charts .uplot').first().waitFor();
    expect(await page.locator('h1').textContent()).toBe('Last night');
    const night = await api<NightResponse>(`/api/nights/${me.lastNight}`);
    const ring = page.locator('.score-ring').first();
    expect(await ring.locator('strong').textContent()).toBe(String(night.sleepScore?.score));
    expect(await page.locator('.contributors').first().locator('li').count()).toBe(7);
    expect(await page.locator('.tile').count()).toBe(14);
    // Hypnogram, heart rate, HRV and movement share the night's time axis.
    expect(await page.locator('.night-charts .uplot').count()).toBe(4);
    const hours = Math.floor((night.night?.totalSleep ?? 0) / 3600);
    expect(await page.locator('.tile').first().textContent()).toContain(`${hours}h`);
    await shot(page, 'night');
    await page.context().close();
  });

  it('moves between nights with previous/next and the date picker', async () => {
    const page = await open('/night');
    const night = await api<NightResponse>('/api/nights/latest');
    await page.locator('a[rel="prev"]').click();
    await page.waitForURL(`**/night/${night.prevDay}`);
    await page.locator('.night-charts .uplot').first().waitFor();
    expect(await page.locator('h1').textContent()).toBe('Night');
    await page.locator('a[rel="next"]').click();
    await page.waitForURL(`**/night/${night.day}`);
    const target = '2026-06-15';
    await page.locator('input[type="date"]').fill(target);
    await page.waitForURL(`**/night/${target}`);
    await page.locator('.page-head .sub').filter({ hasText: '15 Jun 2026' }).waitFor();
    // The URL is the page: a reload shows the same night.
    await page.reload({ waitUntil: 'networkidle' });
    expect(await page.locator('input[type="date"]').inputValue()).toBe(target);
    await page.context().close();
  });

  it('charts trends with rolling mean, baseline, stages, timing, calendar and weekdays', async () => {
    const page = await open('/trends?metric=sleep_score&range=90d');
    await page.locator('.trend-body .uplot').waitFor();
    await page.locator('.heatmap-scroll svg rect').first().waitFor();
    await page.locator('.weekday-bars li').first().waitFor();
    expect(await page.locator('.svg-chart svg').count()).toBeGreaterThanOrEqual(2);
    expect(await page.locator('.heatmap-scroll svg rect').count()).toBeGreaterThan(300);
    await shot(page, 'trends');
    // Keyboard: arrow keys move the range selector.
    await page.locator('.segmented [aria-checked="true"]').focus();
    await page.keyboard.press('ArrowRight');
    await page.waitForURL('**/trends?*range=1y*');
    await page.context().close();
  });

  for (const [path, name, heading] of [
    ['/readiness', 'readiness', 'Readiness'],
    ['/activity', 'activity', 'Activity'],
    ['/breathing', 'spo2-breathing', 'SpO₂ & breathing'],
    ['/stress', 'stress-resilience', 'Stress & resilience'],
    ['/heart', 'heart', 'Heart'],
  ] as const) {
    it(`shows ${heading} trends with real data`, async () => {
      const page = await open(path);
      expect(await page.locator('h1').textContent()).toBe(heading);
      const cards = page.locator('.trend-card');
      const n = await cards.count();
      expect(n).toBeGreaterThanOrEqual(3);
      await page.waitForFunction(
        () => document.querySelectorAll('.trend-card .loading').length === 0,
      );
      expect(await page.locator('.trend-card .uplot').count()).toBe(n);
      await shot(page, name);
      await page.context().close();
    });
  }

  it('lists workouts with weekly minutes', async () => {
    const page = await open('/workouts?range=1y');
    await page.locator('table tbody tr').first().waitFor();
    expect(await page.locator('table tbody tr').count()).toBeGreaterThan(5);
    await shot(page, 'workouts');
    await page.context().close();
  });

  it('shows coverage and sync history, and syncs now with live progress', async () => {
    const page = await open('/data');
    await page.locator('.coverage-month').first().waitFor();
    expect(await page.locator('.cov.cov-data').count()).toBeGreaterThan(300);
    expect(await page.locator('.runs > li').first().textContent()).toContain('succeeded');
    // No webhooks in this setup: the Live updates card says polling carries the updates.
    await page.locator('#live-updates').waitFor();
    expect(await page.locator('#live-updates').getAttribute('data-state')).toBe('none');
    expect(await page.locator('#live-updates').textContent()).toContain('Webhooks not set up');
    expect(await page.locator('#export-data').getAttribute('href')).toBe('/api/export?format=csv');
    await page.locator('#sync-now').click();
    await page
      .locator('.progress-block p')
      .filter({ hasText: /Last sync succeeded/ })
      .waitFor({ timeout: 120_000 });
    expect(await page.locator('.runs > li').first().textContent()).toContain('api');
    await shot(page, 'data-sync');
    await page.context().close();
  });

  it('changes units, clock and theme from settings', async () => {
    const page = await open('/night');
    await page.locator('.tile').first().waitFor();
    const celsius = await page
      .locator('.tile', { hasText: 'Temperature' })
      .locator('.tile-value')
      .textContent();
    expect(celsius).toContain('°C');
    await page.locator('a[href="/settings"]').click();
    await page.locator('[data-value="imperial"]').click();
    await page.locator('[data-value="12h"]').click();
    await page.locator('[data-value="light"]').click();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    await shot(page, 'settings');
    await page.locator('a[href="/night"]').first().click();
    await page.locator('.tile').first().waitFor();
    expect(
      await page.locator('.tile', { hasText: 'Temperature' }).locator('.tile-value').textContent(),
    ).toContain('°F');
    expect(
      await page.locator('.tile', { hasText: 'Bedtime' }).locator('.tile-value').textContent(),
    ).toMatch(/(am|pm)$/);
    await page.locator('.night-charts .uplot').first().waitFor();
    await shot(page, 'night-light');
    await page.context().close();
  });

  it('fits a phone screen (390 px) without sideways scrolling', async () => {
    for (const [path, name] of [
      ['/night', 'night-phone'],
      ['/trends', 'trends-phone'],
    ] as const) {
      const page = await open(path, { width: 390 });
      await page.locator('.uplot').first().waitFor();
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - window.innerWidth,
      );
      expect(overflow, path).toBeLessThanOrEqual(0);
      await shot(page, name);
      await page.context().close();
    }
  });

  it('logged no console errors on any page', () => {
    expect(errors).toEqual([]);
  });
});
