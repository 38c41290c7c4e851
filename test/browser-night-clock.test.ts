import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NightResponse } from '../src/api/types.ts';
import { CHROMIUM } from './support/chromium.ts';
import {
  type DashboardBrowser,
  settled,
  startDashboardBrowser,
} from './support/dashboardBrowser.ts';

/**
 * The demo user lives in Berlin: on 2026-03-29 the clocks go forward, on 2026-10-25 back. The
 * night's charts must read the same wall clock as its header, across the change.
 */
let d: DashboardBrowser;

const ticks = (page: Page, i: number) =>
  page
    .locator('.night-charts .uplot')
    .nth(i)
    .evaluate((el) => (el as HTMLElement).dataset.xTicks?.split('|') ?? []);

async function tooltipAt(page: Page, chart: number, key: string): Promise<string> {
  const el = page.locator('.night-charts .uplot').nth(chart);
  await el.focus();
  await page.keyboard.press(key);
  const tip = el.locator('.chart-tip');
  await tip.waitFor();
  return (await tip.textContent()) ?? '';
}

describe.skipIf(!existsSync(CHROMIUM))('a night across a clock change', () => {
  beforeAll(async () => {
    d = await startDashboardBrowser({ days: 215, endDate: '2026-10-26' });
  }, 300_000);
  afterAll(async () => {
    await d?.close();
  });

  for (const [day, from, to, label, shift] of [
    ['2026-03-29', 'UTC+01:00', 'UTC+02:00', '02:00→03:00', 'forward'],
    ['2026-10-25', 'UTC+02:00', 'UTC+01:00', '03:00→02:00', 'back'],
  ] as const) {
    it(`draws ${day} on the night's own clock, as its header says`, async () => {
      const night = (await d.api<NightResponse>(`/api/nights/${day}`)).night;
      expect(night?.bedtimeEnd.endsWith(to.slice(3))).toBe(true);
      const page = await d.open(`/night/${day}`);
      await settled(page);
      await page.locator('.night-charts .uplot').nth(3).waitFor();
      const sub = (await page.locator('.page-head .sub').textContent()) ?? '';
      expect(sub).toContain(`${night?.bedtimeLocal} → ${night?.wakeLocal} (${from} → ${to})`);
      expect(await page.locator('.clock-change').textContent()).toContain(
        `Clocks went ${shift} 1 h`,
      );
      // Every chart's axis shows the change where it happened, and ends within the night.
      for (const i of [0, 1, 2, 3]) {
        const labels = await ticks(page, i);
        expect(labels, `chart ${i}`).toContain(label);
        expect(new Set(labels).size).toBe(labels.length);
        const last = labels.at(-1) ?? '';
        expect(last <= (night?.wakeLocal ?? ''), `${last} after ${night?.wakeLocal}`).toBe(true);
      }
      // The hypnogram starts at bedtime and ends at wake-up on the header's clock.
      expect(await tooltipAt(page, 0, 'Home')).toContain(night?.bedtimeLocal ?? '?');
      expect(await tooltipAt(page, 0, 'End')).toContain(night?.wakeLocal ?? '?');
      const alt = await page.locator('.night-charts .uplot').first().getAttribute('aria-label');
      expect(alt).toContain(`From ${night?.bedtimeLocal} to ${night?.wakeLocal}`);
      await d.shot(page, `night-${day}`);
      await page.context().close();
    });
  }

  it('shows values at the cursor and steps through them from the keyboard', async () => {
    const page = await d.open('/night/2026-06-15');
    await settled(page);
    const hr = page.locator('.night-charts .uplot').nth(1);
    await hr.waitFor();
    // No legend row of dashes; the tooltip follows the mouse with value, unit and time.
    expect(await page.locator('.u-legend').count()).toBe(0);
    await hr.locator('.u-over').hover();
    const tip = hr.locator('.chart-tip');
    await tip.waitFor();
    expect(await tip.textContent()).toMatch(/^\d{2}:\d{2}Heart rate \d+ bpm$/);
    await page.mouse.move(0, 0);
    const first = await tooltipAt(page, 1, 'Home');
    const second = await tooltipAt(page, 1, 'ArrowRight');
    expect(second).not.toBe(first);
    expect(await hr.locator('..').locator('[aria-live]').textContent()).toBe(
      second.replace(/^(\d{2}:\d{2})/, '$1: '),
    );
    // The lowest heart rate is named in the chart's text alternative and marked on it.
    const night = await d.api<NightResponse>('/api/nights/2026-06-15');
    const lowest = Math.min(
      ...(night.night?.heartRate?.items ?? []).filter((v): v is number => v !== null),
    );
    expect(await hr.getAttribute('aria-label')).toContain(`lowest ${lowest} bpm`);
    expect(await page.locator('.chart-note').textContent()).toMatch(
      new RegExp(`^Lowest ${lowest} bpm at \\d{2}:\\d{2}, ringed on the chart\\.$`),
    );
    // Off the charts, ← and → move to the previous and next night.
    await page.locator('h1').click();
    await page.keyboard.press('ArrowLeft');
    await page.waitForURL(`**/night/${night.prevDay}`);
    await settled(page);
    await page.keyboard.press('ArrowRight');
    await page.waitForURL('**/night/2026-06-15');
    await page.context().close();
  });

  it('labels contributors Optimal / Good / Pay attention and shows time in bed and SpO₂', async () => {
    const page = await d.open('/night/2026-06-15');
    await settled(page);
    const data = await d.api<NightResponse>('/api/nights/2026-06-15');
    const items = page.locator('.contributors').first().locator('li');
    expect(await items.count()).toBe(7);
    for (const [i, [, v]] of Object.entries(data.sleepScore?.contributors ?? {}).entries()) {
      const band =
        v === null ? 'No value' : v >= 85 ? 'Optimal' : v >= 70 ? 'Good' : 'Pay attention';
      expect(await items.nth(i).locator('.c-band').textContent()).toBe(band);
      expect(((await items.nth(i).locator('.c-hint').textContent()) ?? '').length).toBeGreaterThan(
        10,
      );
    }
    const tile = (label: string) =>
      page.locator('.tile', { hasText: label }).locator('.tile-value').textContent();
    expect(await tile('Time in bed')).toMatch(/^\d+h \d{2}m$/);
    if (data.spo2?.average)
      expect(await tile('SpO₂ average')).toBe(`${data.spo2.average.toFixed(1)}%`);
    if (
      data.spo2?.breathingDisturbanceIndex !== null &&
      data.spo2?.breathingDisturbanceIndex !== undefined
    )
      expect(await tile('Breathing disturbances')).toBe(
        `${Math.round(data.spo2.breathingDisturbanceIndex)} /h`,
      );
    await page.context().close();
  });

  it('logged no console errors', () => {
    expect(d.errors).toEqual([]);
  });
});
