import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  MeResponse,
  RegularityResponse,
  SignalsResponse,
  SleepDebtResult,
  WeekReport,
} from '../src/api/types.ts';
import { CHROMIUM } from './support/chromium.ts';
import { type DashboardBrowser, startDashboardBrowser } from './support/dashboardBrowser.ts';

/**
 * The insight pages in headless Chromium at desktop (1280 px) and phone (390 px) widths, served
 * by the real server over simulated data synced by the real engine. Screenshots with
 * SNOWTORCH_SCREENSHOTS (see dashboardBrowser.ts).
 */

const END = '2026-11-28';

let d: DashboardBrowser;
let me: MeResponse;
const api = <T>(path: string) => d.api<T>(path);
/** The file's one page at this width, moved to `path`. */
const visit = (path: string, width = 1280) => d.visit(path, { width });

async function fitsAndShoot(page: Page, name: string, width: number): Promise<void> {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - window.innerWidth,
  );
  expect(overflow, `${name} at ${width} px`).toBeLessThanOrEqual(0);
  await d.shot(page, `${name}${width < 500 ? '-phone' : ''}`);
}

describe.skipIf(!existsSync(CHROMIUM))('insight pages in a browser', () => {
  beforeAll(async () => {
    d = await startDashboardBrowser({ days: 400, endDate: END });
    me = d.me;
  }, 600_000);

  afterAll(async () => {
    await d?.close();
  });

  for (const width of [1280, 390]) {
    it(`shows body signals, debt and the bedtime window on the night page (${width} px)`, async () => {
      const page = await visit('/night', width);
      await page.locator('.signals-strip .signal-chip').first().waitFor();
      await page.locator('.debt-card .bedtime-window').waitFor();
      expect(await page.locator('.signals-strip .signal-chip').count()).toBe(5);
      const debt = await api<SleepDebtResult>(`/api/insights/debt?day=${me.lastNight}`);
      expect(await page.locator('.debt-card .debt-value').textContent()).not.toBe('');
      expect(await page.locator('.debt-card').textContent()).toContain(debt.message.slice(0, 20));
      expect(await page.locator('.debt-card svg rect').count()).toBe(debt.n);
      await page.locator('.night-charts .uplot').first().waitFor();
      await fitsAndShoot(page, 'night-insights', width);
    });

    it(`shows a flagged illness on the Signals timeline (${width} px)`, async () => {
      const res = await api<SignalsResponse>('/api/insights/signals?range=1y');
      const page = await visit('/signals?range=1y', width);
      expect(await page.locator('h1').textContent()).toBe('Body signals');
      await page.locator('.signal-timeline svg').waitFor();
      expect(await page.locator('.signal-timeline rect.zcell').count()).toBe(res.days.length * 5);
      expect(await page.locator('.signal-timeline rect.flag-mark').count()).toBe(
        res.days.filter((d) => d.flagged).length,
      );
      expect(await page.locator('.episode-list li').count()).toBe(res.episodes.length);
      // The detail opens on the latest flagged day and says which signals moved.
      expect(await page.locator('.signal-detail .signal-summary').textContent()).toMatch(
        /Several signals moved together/,
      );
      await fitsAndShoot(page, 'signals', width);
    });

    it(`shows SRI over 7/30/90 days and the chronotype (${width} px)`, async () => {
      const r = await api<RegularityResponse>('/api/insights/regularity');
      const page = await visit('/regularity', width);
      await page.locator('.sri-line svg').waitFor();
      for (const w of r.sri)
        expect(await page.locator(`[data-window="${w.days}"] .tile-value`).textContent()).toBe(
          w.sri === null ? '–' : w.sri.toFixed(0),
        );
      expect(await page.locator('.chronotype-message').textContent()).toBe(r.chronotype.message);
      await fitsAndShoot(page, 'regularity', width);
    });

    it(`shows the week against baseline, with tags (${width} px)`, async () => {
      const w = await api<WeekReport>('/api/insights/week?day=2026-11-18');
      const page = await visit('/week?day=2026-11-18', width);
      await page.locator('.week-table').waitFor();
      expect(await page.locator('.week-table tbody tr').count()).toBe(w.metrics.length);
      expect(await page.locator('.tag-list li').count()).toBe(w.tags.length);
      await page.locator('.debt-bars svg').waitFor();
      await fitsAndShoot(page, 'week', width);
      await page.locator('a[rel="prev"]').click();
      await page.waitForURL('**/week?day=2026-11-09');
    });
  }

  it('shows the body-signals strip on the readiness page', async () => {
    const page = await visit('/readiness');
    await page.locator('.signals-strip .signal-chip').first().waitFor();
    expect(await page.locator('.signals-strip .signal-chip').count()).toBe(5);
  });

  it('saves work days and sleep need in settings, and the insights follow', async () => {
    const page = await d.open('/settings');
    await page.locator('#save-insights').waitFor();
    await page.locator('#need-auto').uncheck();
    await page.locator('#need-hours').fill('9');
    await page.locator('input[name="work-day"][value="5"]').uncheck();
    await page.locator('#save-insights').click();
    await page.locator('[role="status"]', { hasText: 'Saved.' }).waitFor();
    await fitsAndShoot(page, 'settings-insights', 1280);
    const r = await api<RegularityResponse>('/api/insights/regularity');
    expect(r.chronotype.workDays).toEqual([1, 2, 3, 4]);
    const debt = await api<SleepDebtResult>('/api/insights/debt');
    expect(debt.need).toMatchObject({ source: 'settings', minutes: 540 });
    await page.context().close();
  });

  it('logged no console errors on any page', () => {
    expect(d.errors).toEqual([]);
  });
});
