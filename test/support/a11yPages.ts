import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OTHER_PAGES, PAGES } from '../../web/src/router.ts';
import { CHROMIUM } from './chromium.ts';
import {
  axeViolations,
  type DashboardBrowser,
  goInApp,
  settled,
  startDashboardBrowser,
} from './dashboardBrowser.ts';

/**
 * Every page the router knows (the menu and the pages outside it) at one width in one theme:
 * axe-core's WCAG 2.2 A/AA rules report nothing, nothing scrolls sideways, and no label is cut
 * off. New pages are covered as soon as they join the router's lists.
 */
export function describePagesAt(width: number, theme: 'dark' | 'light'): void {
  const themes = [theme];
  describe.skipIf(!existsSync(CHROMIUM))(`every page at ${width} px`, () => {
    let d: DashboardBrowser;
    const pages = new Map<string, Page>();
    beforeAll(async () => {
      d = await startDashboardBrowser({ days: 90, endDate: '2026-11-28', owner: true });
      for (const theme of themes) {
        const page = await d.open('/night', { width, theme, axe: true });
        await settled(page);
        pages.set(theme, page);
      }
    }, 300_000);
    afterAll(async () => {
      await d?.close();
    });

    const paths = [...PAGES, ...OTHER_PAGES].map((p) => p.href);
    for (const theme of themes) {
      for (const path of paths) {
        it(`${path} (${theme}) passes axe, fits and cuts off no label`, async () => {
          const page = pages.get(theme) as Page;
          await goInApp(page, path);
          expect(new URL(page.url()).pathname).toBe(path);
          const violations = await axeViolations(page);
          expect(violations, JSON.stringify(violations, null, 1)).toEqual([]);
          expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
          expect(await truncatedLabels(page)).toEqual([]);
          expect(await menuLinksOutOfView(page)).toEqual([]);
          // docs/screenshots: <page>-dark, <page>-light at 1280 px; <page>-phone (dark) at 390.
          if (process.env.SNOWTORCH_SCREENSHOTS === 'docs' && (width > 600 || theme === 'dark')) {
            const name = path.slice(1) || 'night';
            await d.shot(page, `${name}-${width > 600 ? theme : 'phone'}`);
          }
        });
      }
      it(`/login (${theme}, logged out) passes axe`, async () => {
        const ctx = await d.browser.newContext({
          viewport: { width, height: 900 },
          colorScheme: theme,
          bypassCSP: true,
        });
        const page = await ctx.newPage();
        await page.goto(`${d.dashboard.url}/login`, { waitUntil: 'load' });
        await settled(page);
        expect(await axeViolations(page)).toEqual([]);
        await ctx.close();
      });
    }

    it('logged no console errors', () => {
      expect(d.errors).toEqual([]);
    });
  });
}

/** Menu links a person cannot see without scrolling the menu (clipped by it or the window). */
function menuLinksOutOfView(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const nav = document.querySelector('.top-nav');
    if (!nav) return ['(no menu)'];
    const box = nav.getBoundingClientRect();
    return [...nav.querySelectorAll('a')]
      .filter((a) => {
        const r = a.getBoundingClientRect();
        return r.left < box.left - 1 || r.right > box.right + 1 || r.right > window.innerWidth;
      })
      .map((a) => a.textContent ?? '');
  });
}

function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

/** Text cut off by its box (an ellipsis or hidden overflow), as "tag: text". */
function truncatedLabels(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const cut: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>('main *, header.top *')) {
      const style = getComputedStyle(el);
      if (style.textOverflow !== 'ellipsis' && style.overflowX !== 'hidden') continue;
      const hasText = [...el.childNodes].some(
        (n) => n.nodeType === Node.TEXT_NODE && n.textContent?.trim(),
      );
      if (hasText && el.scrollWidth > el.clientWidth + 1)
        cut.push(`${el.tagName.toLowerCase()}: ${el.textContent?.trim()}`);
    }
    return cut;
  });
}
