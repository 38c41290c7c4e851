import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLoginLink } from '../src/accounts/links.ts';
import type { WorkoutsResponse } from '../src/api/types.ts';
import { claimOwnerIfNone } from '../src/db/accounts.ts';
import { type RunningDashboard, serveDashboard } from '../src/server/serveDashboard.ts';
import { CHROMIUM, launchChromium, logInWithLink } from './support/chromium.ts';
import { SHOTS } from './support/dashboardBrowser.ts';
import { type SyncHarness, startSyncHarness } from './support/syncHarness.ts';
import { unzipText } from './support/unzip.ts';

/**
 * Pages that must tell the truth, in headless Chromium over real HTTP with synced simulator
 * data: the Data page's sync state, sample counts and export; night addresses that cannot show a
 * night; workouts and a workout's heart rate; the login page's way back in. Screenshots at 1280
 * and 390 px go to test-results/screenshots, or to docs/screenshots with SNOWTORCH_SCREENSHOTS=docs.
 */

const END = '2026-11-28';

let h: SyncHarness;
let dashboard: RunningDashboard;
let browser: Browser;
let storageState: BrowserContextOptions['storageState'];
let cookie = '';
let userId = 0;
const errors: string[] = [];

async function api<T>(path: string): Promise<T> {
  const res = await fetch(`${dashboard.url}${path}`, { headers: { cookie } });
  return (await res.json()) as T;
}

async function open(
  path: string,
  opts: { width?: number; loggedIn?: boolean } = {},
): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: opts.width ?? 1280, height: 900 },
    colorScheme: 'dark',
    acceptDownloads: true,
    ...(opts.loggedIn === false ? {} : { storageState }),
  });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`${path}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`${path}: ${e.message}`));
  await page.goto(`${dashboard.url}${path}`, { waitUntil: 'networkidle' });
  return page;
}

/** The page at 1280 px, and again at 390 px (a phone) with `-phone` in the name. */
async function shots(path: string, name: string, ready: string): Promise<void> {
  await mkdir(SHOTS, { recursive: true });
  for (const [width, suffix] of [
    [1280, ''],
    [390, '-phone'],
  ] as const) {
    const page = await open(path, { width });
    await page.locator(ready).first().waitFor();
    await page.screenshot({ path: join(SHOTS, `${name}${suffix}.png`), fullPage: true });
    await page.context().close();
  }
}

describe.skipIf(!existsSync(CHROMIUM))('truthful pages in a browser', () => {
  beforeAll(async () => {
    h = await startSyncHarness({ days: 60, endDate: END, users: 1 });
    const user = await h.connect('demo');
    userId = user.id;
    // As `snowtorch demo` does: the first user owns the instance.
    expect(await claimOwnerIfNone(h.db, user.id)).toBe(true);
    expect((await h.sync(user.id)).status).toBe('succeeded');
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
    await logInWithLink(page, link.url);
    storageState = await context.storageState();
    cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    await context.close();
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await dashboard?.close();
    await h?.close();
    expect(errors).toEqual([]);
  });

  it('shows the last recorded sync, never "No sync has run", above a successful history', async () => {
    const page = await open('/data');
    await page.locator('.runs > li').first().waitFor();
    expect(await page.locator('.runs > li').first().textContent()).toContain('succeeded');
    const state = await page.locator('#sync-state').textContent();
    expect(state).toMatch(/^succeeded Last sync .+ \(\w+\)$/);
    expect(await page.locator('main').textContent()).not.toContain('No sync has run');
    await page.context().close();
  });

  it('counts heart rate and battery as samples with their span', async () => {
    const page = await open('/data');
    await page.locator('td[data-samples]').first().waitFor();
    for (const [label, table] of [
      ['Heartrate', 'heart_rate_sample'],
      ['Ring battery level', 'battery_sample'],
    ] as const) {
      const n = await h.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('user_id', '=', userId)
        .executeTakeFirstOrThrow();
      const row = page.locator('tr', {
        has: page.locator('td', { hasText: new RegExp(`^${label}$`) }),
      });
      const cell = row.locator('td[data-samples]');
      expect(await cell.getAttribute('data-samples')).toBe(String(n.n));
      expect(await cell.textContent()).toContain(`${Number(n.n).toLocaleString('en')} samples`);
      expect(await cell.textContent()).toMatch(/\d+ days · \d+ \w+ \d{4} – \d+ \w+ \d{4}/);
    }
    await page.context().close();
  });

  it('exports CSV tables or raw NDJSON for the chosen types and days', async () => {
    const page = await open('/data');
    const link = page.locator('#export-data');
    expect(await link.getAttribute('href')).toBe('/api/export?format=csv');
    await page.locator('#export-form summary').click();
    await page.locator('#export-form input[type="checkbox"]').evaluateAll((boxes) => {
      for (const b of boxes as HTMLInputElement[]) {
        if (b.value !== 'daily_sleep' && b.value !== 'heartrate') b.click();
      }
    });
    await page.locator('#export-since').fill('2026-11-20');
    await page.locator('#export-until').fill('2026-11-27');
    expect(await link.getAttribute('href')).toBe(
      '/api/export?format=csv&types=daily_sleep%2Cheartrate&since=2026-11-20&until=2026-11-27',
    );
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toMatch(/^snowtorch-export-demo-\d{4}-\d{2}-\d{2}\.zip$/);
    const files = await unzipText(await readFile((await download.path()) ?? ''));
    expect([...files.keys()].sort()).toEqual(['README.md', 'daily_sleep.csv', 'heartrate.csv']);
    expect(files.get('daily_sleep.csv')?.trim().split('\r\n')).toHaveLength(1 + 8);
    await page.locator('input[name="export-format"][value="ndjson"]').check();
    expect(await link.getAttribute('href')).toContain('/api/export?format=ndjson&');
    await page.context().close();
  });

  it('shows a friendly not-found page for a malformed night address', async () => {
    for (const bad of ['/night/abc', '/night/2026-02-30', '/night/2026-11-28x', '/night/..%2F..']) {
      const page = await open(bad);
      await page.locator('.state.empty').waitFor();
      expect(await page.locator('h1').textContent(), bad).toBe('Page not found');
      const text = (await page.locator('main').textContent()) ?? '';
      expect(text, bad).toContain('There is no such night');
      expect(text, bad).not.toMatch(/undefined|NaN|\^\(|pattern/);
      expect(await page.locator('main a[href="/night"]').count(), bad).toBe(1);
      await page.context().close();
    }
    await shots('/night/abc', 'night-not-found', '.state.empty');
  });

  it('says that a future night is in the future', async () => {
    const page = await open('/night/2099-01-01');
    await page.locator('.state.empty').waitFor();
    expect(await page.locator('main h2').textContent()).toBe('This night is in the future');
    expect(await page.locator('main').textContent()).toContain(
      'Thu 1 Jan 2099 has not happened yet',
    );
    await page.context().close();
  });

  it('lists workouts with Oura activity names and start times, grouped exactly as listed', async () => {
    const data = await api<WorkoutsResponse>('/api/workouts?range=90d');
    const page = await open('/workouts?range=90d');
    await page.locator('#workout-rows tbody tr').first().waitFor();
    const rows = page.locator('#workout-rows tbody tr');
    expect(await rows.count()).toBe(data.workouts.length);
    const activities = await rows.locator('td[data-activity] a').allTextContents();
    const counted: Record<string, number> = {};
    for (const a of activities) counted[a] = (counted[a] ?? 0) + 1;
    const groups = await page
      .locator('.weekday-bars li')
      .evaluateAll((lis) =>
        lis.map((li) => [
          li.querySelector('.wd')?.textContent ?? '',
          Number.parseInt(li.querySelector('.val')?.textContent ?? '0', 10),
        ]),
      );
    expect(Object.fromEntries(groups)).toEqual(counted);
    // Start times on the workout's own clock, as Oura sent them.
    const newest = data.workouts.at(-1);
    const first = await rows.first().locator('time').textContent();
    expect(first).toContain(newest?.start.slice(11, 16));
    await shots('/workouts?range=90d', 'workouts', '#workout-rows tbody tr');
    await page.context().close();
  });

  it('opens a workout with its heart rate from the stored series', async () => {
    const data = await api<WorkoutsResponse>('/api/workouts?range=90d');
    const page = await open('/workouts?range=90d');
    await page.locator('#workout-rows tbody tr').first().waitFor();
    let opened = false;
    for (const w of [...data.workouts].reverse().slice(0, 5)) {
      const detail = await api<{
        heartRate: unknown[];
        heartRateSummary: { average: number } | null;
      }>(`/api/workouts/${w.id}`);
      if (detail.heartRate.length < 3) continue;
      await page.goto(`${dashboard.url}/workouts?range=90d`, { waitUntil: 'networkidle' });
      await page.locator(`a[href="/workouts/${w.id}"]`).click();
      await page.waitForURL(`**/workouts/${w.id}`);
      await page.locator('#workout-heart-rate .uplot').waitFor();
      expect(await page.locator('#workout-hr-average').textContent()).toContain(
        String(detail.heartRateSummary?.average),
      );
      expect(await page.locator('h1').textContent()).toMatch(/^[A-Z][a-z]+( [a-z]+)*$/);
      opened = true;
      await shots(`/workouts/${w.id}`, 'workout', '#workout-heart-rate .uplot');
      break;
    }
    expect(opened).toBe(true);
    await page.context().close();
  });

  it('tells a logged-out newcomer with an expired link how to get a fresh one', async () => {
    const page = await open('/login?link=invalid', { loggedIn: false });
    await page.locator('p.banner.warn').waitFor();
    expect(await page.locator('p.banner.warn').textContent()).toContain(
      'snowtorch users login-link',
    );
    expect(await page.locator('#login-link-hint').textContent()).toContain('snowtorch demo');
    await page.context().close();
    await shots('/data', 'data-sync', 'td[data-samples]');
  });
});
