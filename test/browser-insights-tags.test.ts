import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnnotationsResponse, CorrelationResponse } from '../src/api/types.ts';
import { CHROMIUM } from './support/chromium.ts';
import { type DashboardBrowser, startDashboardBrowser } from './support/dashboardBrowser.ts';

/**
 * The Experiments and Correlations pages and the tag annotations in headless Chromium, at
 * desktop (1280 px) and phone (390 px) widths, on simulated data synced by the real engine.
 * Screenshots with SNOWTORCH_SCREENSHOTS (see dashboardBrowser.ts).
 */

const END = '2026-11-28';

let d: DashboardBrowser;
const api = <T>(path: string) => d.api<T>(path);
/** The file's one page at this width, moved to `path`. */
const visit = (path: string, width: number) => d.visit(path, { width });

/** Nothing sticks out sideways: the page fits the phone's width. */
async function fitsWidth(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

describe.skipIf(!existsSync(CHROMIUM))('insight pages in a browser', () => {
  beforeAll(async () => {
    d = await startDashboardBrowser({ days: 400, endDate: END });
  }, 600_000);

  afterAll(async () => {
    await d?.close();
  });

  for (const [width, suffix] of [
    [1280, ''],
    [390, '-phone'],
  ] as const) {
    it(`compares nights after alcohol with the others at ${width} px`, async () => {
      const page = await visit('/experiments?subject=tag:tag_generic_alcohol', width);
      await page.locator('table.experiment tbody tr').first().waitFor();
      expect(await page.locator('h1').textContent()).toBe('Experiments');
      expect(await page.locator('table.experiment tbody tr').count()).toBe(6);
      const hrv = page.locator('tr[data-outcome="average_hrv"]');
      expect(await hrv.locator('.pill').textContent()).toBe('Lower');
      expect(await page.locator('.sentences li').first().textContent()).toMatch(
        /nights after alcohol days/,
      );
      expect(await fitsWidth(page)).toBe(true);
      await d.shot(page, `experiments${suffix}`);
    });

    it(`shows a lagged correlation with scatter, trend line and the FDR list at ${width} px`, async () => {
      const page = await visit('/correlations?x=steps&y=deep_sleep&lag=1', width);
      await page.locator('svg.scatter').waitFor();
      await page.locator('table.associations tbody tr').first().waitFor();
      const res = await api<CorrelationResponse>(
        '/api/insights/correlations?x=steps&y=deep_sleep&lag=1',
      );
      expect(await page.locator('svg.scatter circle').count()).toBe(res.n);
      expect(await page.locator('#corr-n').textContent()).toBe(String(res.n));
      expect(await page.locator('svg.scatter .trend-line').count()).toBe(1);
      // Never sold as a cause: either no evidence, or an association said to be one.
      expect(await page.locator('p.sentence').textContent()).toMatch(
        /not a cause|^No evidence either way|^Too few/,
      );
      expect(await fitsWidth(page)).toBe(true);
      await d.shot(page, `correlations${suffix}`);
    });
  }

  it('picks another subject and outcome from the form', async () => {
    const page = await visit('/experiments?subject=tag:tag_generic_alcohol', 1280);
    await page.locator('table.experiment tbody tr').first().waitFor();
    await page.locator('#exp-subject').selectOption('tag:tag_generic_late_meal');
    const checked = page.locator('input[name=outcome]:checked');
    while ((await checked.count()) > 0) await checked.first().uncheck();
    await page.locator('input[name=outcome][value=deep_sleep]').check();
    await page.locator('form.experiment-form button[type=submit]').click();
    await page.waitForURL('**/experiments?subject=tag%3Atag_generic_late_meal&outcomes=deep_sleep');
    await page.locator('tr[data-outcome="deep_sleep"]').waitFor();
    expect(await page.locator('table.experiment tbody tr').count()).toBe(1);
  });

  it("shows a night's tags and workouts, with their text on keyboard focus", async () => {
    const notes = await api<AnnotationsResponse>('/api/insights/annotations?range=90d');
    const tagged = notes.annotations.find((a) => a.kind === 'tag' && a.text);
    expect(tagged).toBeDefined();
    const nightDay = new Date(Date.parse(`${tagged?.day}T00:00:00Z`) + 86_400_000)
      .toISOString()
      .slice(0, 10);
    const page = await visit(`/night/${nightDay}`, 1280);
    const chip = page.locator('.annotation', { hasText: tagged?.label ?? '' }).first();
    await chip.waitFor();
    await chip.focus();
    const detail = page.locator('.annotation-detail');
    expect(await detail.isVisible()).toBe(true);
    expect(await detail.textContent()).toContain(tagged?.text ?? '');
    await d.shot(page, 'night-tags');
  });

  it('marks tags and workouts under the trend chart, with text on hover, tap and focus', async () => {
    const page = await visit('/trends?metric=average_hrv&range=90d', 390);
    const mark = page.locator('.annotation-strip .mark').first();
    await mark.waitFor();
    await mark.focus();
    const tip = page.locator('.annotation-strip .annotation-tip');
    expect(await tip.isVisible()).toBe(true);
    expect(await tip.textContent()).toBe(await mark.getAttribute('aria-label'));
    await mark.blur();
    expect(await tip.isVisible()).toBe(false);
    // A tap is a click on a touch screen.
    await mark.dispatchEvent('click');
    expect(await tip.isVisible()).toBe(true);
    expect(await fitsWidth(page)).toBe(true);
    await d.shot(page, 'trends-tags-phone');
  });

  it('logs no browser errors', () => {
    expect(d.errors).toEqual([]);
  });
});
