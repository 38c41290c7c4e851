import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkoutsResponse } from '../src/api/types.ts';
import type { Db } from '../src/db/database.ts';
import { CHROMIUM } from './support/chromium.ts';
import { type DashboardBrowser, startDashboardBrowser } from './support/dashboardBrowser.ts';
import { unzipText } from './support/unzip.ts';

/**
 * Pages that must tell the truth, in headless Chromium over real HTTP with synced simulator
 * data: the Data page's sync state, sample counts and export; night addresses that cannot show a
 * night; workouts and a workout's heart rate; the login page's way back in. Each page is also
 * shown at 390 px (a phone); screenshots with SNOWTORCH_SCREENSHOTS (see dashboardBrowser.ts).
 */

const END = '2026-11-28';

let d: DashboardBrowser;
let db: Db;
let userId = 0;
const api = <T>(path: string) => d.api<T>(path);
/** The file's one page at 1280 px, moved to `path`. */
const visit = (path: string) => d.visit(path);

/** The page at 1280 px, and again at 390 px (a phone) with `-phone` in the name. */
async function shots(path: string, name: string, ready: string): Promise<void> {
  for (const [width, suffix] of [
    [1280, ''],
    [390, '-phone'],
  ] as const) {
    const page = await d.visit(path, { width });
    await page.locator(ready).first().waitFor();
    await d.shot(page, `${name}${suffix}`);
  }
}

describe.skipIf(!existsSync(CHROMIUM))('truthful pages in a browser', () => {
  beforeAll(async () => {
    // As `snowtorch demo` does: the first user owns the instance.
    d = await startDashboardBrowser({ days: 90, endDate: END, owner: true });
    db = d.harness.db;
    userId = d.me.user?.id ?? 0;
    expect(d.me.user?.role).toBe('owner');
  }, 600_000);

  afterAll(async () => {
    const errors = d ? [...d.errors] : [];
    await d?.close();
    expect(errors).toEqual([]);
  });

  it('shows the last recorded sync, never "No sync has run", above a successful history', async () => {
    const page = await visit('/data');
    await page.locator('.runs > li').first().waitFor();
    expect(await page.locator('.runs > li').first().textContent()).toContain('succeeded');
    const state = await page.locator('#sync-state').textContent();
    expect(state).toMatch(/^succeeded Last sync .+ \(\w+\)$/);
    expect(await page.locator('main').textContent()).not.toContain('No sync has run');
  });

  it('counts heart rate and battery as samples with their span', async () => {
    const page = await visit('/data');
    await page.locator('td[data-samples]').first().waitFor();
    for (const [label, table] of [
      ['Heartrate', 'heart_rate_sample'],
      ['Ring battery level', 'battery_sample'],
    ] as const) {
      const n = await db
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
  });

  it('exports CSV tables or raw NDJSON for the chosen types and days', async () => {
    const page = await visit('/data');
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
  });

  it('shows a friendly not-found page for a malformed night address', async () => {
    for (const bad of ['/night/abc', '/night/2026-02-30', '/night/2026-11-28x', '/night/..%2F..']) {
      const page = await visit(bad);
      await page.locator('.state.empty').waitFor();
      expect(await page.locator('h1').textContent(), bad).toBe('Page not found');
      const text = (await page.locator('main').textContent()) ?? '';
      expect(text, bad).toContain('There is no such night');
      expect(text, bad).not.toMatch(/undefined|NaN|\^\(|pattern/);
      expect(await page.locator('main a[href="/night"]').count(), bad).toBe(1);
    }
    await shots('/night/abc', 'night-not-found', '.state.empty');
  });

  it('says that a future night is in the future', async () => {
    const page = await visit('/night/2099-01-01');
    await page.locator('.state.empty').waitFor();
    expect(await page.locator('main h2').textContent()).toBe('This night is in the future');
    expect(await page.locator('main').textContent()).toContain(
      'Thu 1 Jan 2099 has not happened yet',
    );
  });

  it('lists workouts with Oura activity names and start times, grouped exactly as listed', async () => {
    const data = await api<WorkoutsResponse>('/api/workouts?range=90d');
    const page = await visit('/workouts?range=90d');
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
  });

  it('opens a workout with its heart rate from the stored series', async () => {
    const data = await api<WorkoutsResponse>('/api/workouts?range=90d');
    const page = await visit('/workouts?range=90d');
    await page.locator('#workout-rows tbody tr').first().waitFor();
    let opened = false;
    for (const w of [...data.workouts].reverse().slice(0, 5)) {
      const detail = await api<{
        heartRate: unknown[];
        heartRateSummary: { average: number } | null;
      }>(`/api/workouts/${w.id}`);
      if (detail.heartRate.length < 3) continue;
      await visit('/workouts?range=90d');
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
  });

  it('tells a logged-out newcomer with an expired link how to get a fresh one', async () => {
    const page = await d.visit('/login?link=invalid', { loggedIn: false });
    await page.locator('p.banner.warn').waitFor();
    expect(await page.locator('p.banner.warn').textContent()).toContain(
      'snowtorch users login-link',
    );
    expect(await page.locator('#login-link-hint').textContent()).toContain('snowtorch demo');
    await shots('/data', 'data-sync', 'td[data-samples]');
  });
});
