import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MeResponse, NightResponse } from '../src/api/types.ts';
import { CHROMIUM } from './support/chromium.ts';
import { type DashboardBrowser, startDashboardBrowser } from './support/dashboardBrowser.ts';

/**
 * The dashboard in headless Chromium, served by the real server with a year of simulated data
 * synced by the real engine. Accessibility, width and screenshots of every page:
 * browser-a11y-*.test.ts.
 */

const END = '2026-11-28';

let d: DashboardBrowser;
let me: MeResponse;
const api = <T>(path: string) => d.api<T>(path);
const open = (path: string, opts?: Parameters<DashboardBrowser['open']>[1]) => d.open(path, opts);

describe.skipIf(!existsSync(CHROMIUM))('dashboard in a browser', () => {
  beforeAll(async () => {
    d = await startDashboardBrowser({ days: 400, endDate: END });
    me = d.me;
  }, 600_000);

  afterAll(async () => {
    await d?.close();
  });

  it('shows last night with scores, stages and charts on one time axis', async () => {
    const page = await open('/night');
    await page.locator('.night-charts .uplot').first().waitFor();
    expect(await page.locator('h1').textContent()).toBe('Last night');
    const night = await api<NightResponse>(`/api/nights/${me.lastNight}`);
    const ring = page.locator('.score-ring').first();
    expect(await ring.locator('strong').textContent()).toBe(String(night.sleepScore?.score));
    expect(await page.locator('.contributors').first().locator('li').count()).toBe(7);
    // 14 numbers against the 30-night median, then time in bed, SpO₂ and breathing disturbances.
    expect(await page.locator('.tile').count()).toBeGreaterThanOrEqual(15);
    // Hypnogram, heart rate, HRV and movement share the night's time axis.
    expect(await page.locator('.night-charts .uplot').count()).toBe(4);
    const hours = Math.floor((night.night?.totalSleep ?? 0) / 3600);
    expect(await page.locator('.tile').first().textContent()).toContain(`${hours}h`);
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
    // Keyboard: arrow keys move the range selector.
    await page.locator('.segmented [aria-checked="true"]').focus();
    await page.keyboard.press('ArrowRight');
    await page.waitForURL('**/trends?*range=1y*');
    await page.context().close();
  });

  for (const [path, heading] of [
    ['/readiness', 'Readiness'],
    ['/activity', 'Activity'],
    ['/breathing', 'SpO₂ & breathing'],
    ['/stress', 'Stress & resilience'],
    ['/heart', 'Heart'],
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
      await page.context().close();
    });
  }

  it('lists workouts with weekly minutes', async () => {
    const page = await open('/workouts?range=1y');
    await page.locator('table tbody tr').first().waitFor();
    expect(await page.locator('table tbody tr').count()).toBeGreaterThan(5);
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
    await d.shot(page, 'data-sync');
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
    await page.locator('a[href="/night"]').first().click();
    await page.locator('.tile').first().waitFor();
    expect(
      await page.locator('.tile', { hasText: 'Temperature' }).locator('.tile-value').textContent(),
    ).toContain('°F');
    expect(
      await page.locator('.tile', { hasText: 'Bedtime' }).locator('.tile-value').textContent(),
    ).toMatch(/(am|pm)$/);
    await page.locator('.night-charts .uplot').first().waitFor();
    await page.context().close();
  });

  it('logged no console errors on any page', () => {
    expect(d.errors).toEqual([]);
  });
});
