import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WeekdayResponse } from '../src/api/types.ts';
import { CHROMIUM } from './support/chromium.ts';
import {
  type DashboardBrowser,
  settled,
  startDashboardBrowser,
} from './support/dashboardBrowser.ts';

/** What the trend charts' axes and bars tell a reader, in the 7-day and the long views. */
let d: DashboardBrowser;

const tickList = (page: Page, selector: string, axis: 'xTicks' | 'yTicks') =>
  page
    .locator(selector)
    .first()
    .evaluate((el, key) => (el as HTMLElement).dataset[key]?.split('|') ?? [], axis);

describe.skipIf(!existsSync(CHROMIUM))('trend axes and bars', () => {
  beforeAll(async () => {
    d = await startDashboardBrowser({ days: 200, endDate: '2026-11-28' });
  }, 300_000);
  afterAll(async () => {
    await d?.close();
  });

  it('labels each day once in the 7-day view and says what span every card shows', async () => {
    const page = await d.open('/trends?metric=sleep_score&range=7d');
    await settled(page);
    const days = await tickList(page, '.trend-body .uplot', 'xTicks');
    expect(days.length).toBeGreaterThanOrEqual(4);
    expect(new Set(days).size).toBe(days.length);
    expect(days.every((t) => /^\d{1,2} [A-Z][a-z]{2}$/.test(t))).toBe(true);
    // The keyboard reaches the same values as the mouse: one night per arrow press.
    const chart = page.locator('.trend-body .uplot').first();
    await chart.focus();
    const tip = chart.locator('.chart-tip');
    await tip.waitFor();
    const last = (await tip.locator('strong').textContent()) ?? '';
    await page.keyboard.press('ArrowLeft');
    const before = (await tip.locator('strong').textContent()) ?? '';
    expect(Date.parse(before) < Date.parse(last) || before !== last).toBe(true);
    expect(await tip.textContent()).toMatch(/Sleep score \d+/);
    const titles = await page.locator('.card h2').allTextContents();
    expect(titles).toContain('Sleep stage composition · last 7 days');
    expect(titles).toContain('Weekday vs weekend · Sleep score · last 90 days');
    expect(await page.locator('.card', { hasText: 'Weekday vs weekend' }).textContent()).toContain(
      'this card uses the last 90 days',
    );
    await page.context().close();
  });

  it('draws weekday bars from zero, so 79 against 86 looks like 79 against 86', async () => {
    const page = await d.open('/trends?metric=sleep_score&range=90d');
    await settled(page);
    const data = await d.api<WeekdayResponse>('/api/trends/sleep_score/weekdays?range=90d');
    const widths = await page
      .locator('.weekday-bars .bar > span')
      .evaluateAll((els) => els.map((e) => Number.parseFloat((e as HTMLElement).style.width)));
    data.weekdays.forEach((w, i) => {
      expect(widths[i]).toBeCloseTo(w.mean ?? 0, 0);
    });
    await page.context().close();
  });

  it('names months "Feb 2026", durations in h:mm and units on the axes', async () => {
    const page = await d.open('/trends?metric=total_sleep&range=all');
    await settled(page);
    const months = await tickList(page, '.trend-body .uplot', 'xTicks');
    expect(months.length).toBeGreaterThanOrEqual(3);
    expect(months.every((t) => /^[A-Z][a-z]{2} 20\d\d$/.test(t))).toBe(true);
    const hours = await tickList(page, '.trend-body .uplot', 'yTicks');
    expect(
      hours.every((t) => /^\d+:(00|15|30|45)$/.test(t)),
      hours.join(' '),
    ).toBe(true);
    const heart = await d.open('/heart?range=90d');
    await settled(heart);
    await heart.locator('.trend-card .uplot').nth(2).waitFor();
    const labels = await heart
      .locator('.trend-card .uplot')
      .evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.yUnit));
    expect(labels).toEqual(expect.arrayContaining(['bpm', 'ms', 'ml/kg/min']));
    // VO₂ max is measured every few days: its mean and band stay whole and inside the plot.
    await heart.goto(`${d.dashboard.url}/heart?range=1y`);
    await settled(heart);
    await d.shot(heart, 'heart-1y');
    await page.context().close();
    await heart.context().close();
  });

  it('at 390 px: the menu shows the current page and the calendar opens on the latest months', async () => {
    const page = await d.open('/trends?metric=sleep_score&range=30d', { width: 390 });
    await settled(page);
    const current = page.locator('.top-nav a[aria-current="page"]');
    expect(await current.textContent()).toBe('Trends');
    const box = await current.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 390).toBe(true);
    const cal = page.locator('.heatmap-scroll');
    await cal.locator('svg').waitFor();
    const { left, width, scroll } = await cal.evaluate((el) => ({
      left: el.scrollLeft,
      width: el.clientWidth,
      scroll: el.scrollWidth,
    }));
    expect(scroll).toBeGreaterThan(width);
    expect(left + width).toBeGreaterThanOrEqual(scroll - 1);
    await page.context().close();
  });

  it('gives each colour one meaning', async () => {
    const page = await d.open('/trends?metric=sleep_score&range=90d');
    await settled(page);
    // Weekend bars are named, not recoloured; the 7-day mean is not the awake orange.
    const bars = await page
      .locator('.weekday-bars .bar > span')
      .evaluateAll((els) => [...new Set(els.map((e) => getComputedStyle(e).backgroundColor))]);
    expect(bars).toHaveLength(1);
    const keys = await page
      .locator('.trend-body .chart-key .key-mark')
      .evaluateAll((els) => els.map((e) => getComputedStyle(e).backgroundColor));
    expect(keys).not.toContain('rgb(230, 159, 0)');
    await page.context().close();
  });

  it('logged no console errors', () => {
    expect(d.errors).toEqual([]);
  });
});
