import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { expect } from 'vitest';
import { createLoginLink } from '../../src/accounts/links.ts';
import type { MeResponse } from '../../src/api/types.ts';
import { createAccount } from '../../src/db/accounts.ts';
import { listRuns } from '../../src/db/syncRuns.ts';
import { type RunningDashboard, serveDashboard } from '../../src/server/serveDashboard.ts';
import { launchChromium, logInWithLink } from './chromium.ts';
import { openSyncedTestDatabase } from './syncedDatabase.ts';
import { type SyncHarness, startSyncHarness } from './syncHarness.ts';

/**
 * The dashboard in headless Chromium, served by the real server with simulated data synced by
 * the real engine (a copy of the run's synced database for that history), and a logged-in
 * session shared by every page. Screenshots are taken with SNOWTORCH_SCREENSHOTS set: to
 * docs/screenshots with SNOWTORCH_SCREENSHOTS=docs, to test-results/screenshots otherwise.
 */
export interface DashboardBrowser {
  harness: SyncHarness;
  dashboard: RunningDashboard;
  browser: Browser;
  me: MeResponse;
  /** Console errors and page errors seen so far, prefixed with the page's path. */
  errors: string[];
  api<T>(path: string): Promise<T>;
  /** A new page in a browser context of its own, loaded and settled. */
  open(path: string, opts?: OpenOptions): Promise<Page>;
  /**
   * The one page kept for these options, moved to `path` (a full load, settled): for tests that
   * only look, so the file does not start a page for every look. Do not close it.
   */
  visit(path: string, opts?: OpenOptions): Promise<Page>;
  shot(page: Page, name: string): Promise<void>;
  close(): Promise<void>;
}

export interface OpenOptions {
  width?: number;
  theme?: 'dark' | 'light';
  /** Browser-stored display settings (units, clock) before the page loads. */
  settings?: Record<string, string>;
  /** Lets axe-core be injected as an inline script (the app's CSP forbids inline scripts). */
  axe?: boolean;
  /** false: without the session, as a visitor who has not logged in. */
  loggedIn?: boolean;
}

export const SHOTS =
  process.env.SNOWTORCH_SCREENSHOTS === 'docs'
    ? join(import.meta.dirname, '..', '..', 'docs', 'screenshots')
    : join(import.meta.dirname, '..', '..', 'test-results', 'screenshots');

/** Whether screenshots are wanted (PNG encoding of full pages is a good part of a browser test). */
export const SHOTS_WANTED = (process.env.SNOWTORCH_SCREENSHOTS ?? '') !== '';

export async function startDashboardBrowser(opts: {
  days: number;
  endDate: string;
  /** Make the demo user the instance's owner (who also sees the Members page). */
  owner?: boolean;
}): Promise<DashboardBrowser> {
  const history = { days: opts.days, endDate: opts.endDate };
  const harness = await startSyncHarness(
    { ...history, users: 1 },
    await openSyncedTestDatabase(history),
  );
  const user = await harness.connect('demo');
  if (opts.owner)
    await createAccount(harness.db, { name: 'demo', passwordHash: null, role: 'owner' });
  const [run] = await listRuns(harness.db, { userId: user.id, limit: 1 });
  expect(run?.status).toBe('succeeded');
  const dashboard = await serveDashboard({
    config: harness.config,
    db: harness.db,
    sync: harness.ctx,
    port: 0,
    host: '127.0.0.1',
    logger: false,
  });
  const browser = await launchChromium();
  const link = await createLoginLink(harness.db, user.id, dashboard.url);
  const context = await browser.newContext();
  const login = await context.newPage();
  await logInWithLink(login, link.url);
  const storageState: BrowserContextOptions['storageState'] = await context.storageState();
  const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  await context.close();
  const errors: string[] = [];
  const api = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${dashboard.url}${path}`, { headers: { cookie } });
    return (await res.json()) as T;
  };
  const me = await api<MeResponse>('/api/me');
  const newPage = async (o: OpenOptions): Promise<Page> => {
    const ctx = await browser.newContext({
      viewport: { width: o.width ?? 1280, height: 900 },
      colorScheme: o.theme ?? 'dark',
      ...(o.loggedIn === false ? {} : { storageState }),
      bypassCSP: o.axe ?? false,
    });
    if (o.settings) {
      const value = JSON.stringify(o.settings);
      await ctx.addInitScript((v) => localStorage.setItem('snowtorch.settings', v), value);
    }
    const page = await ctx.newPage();
    const where = () => new URL(page.url()).pathname;
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`${where()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`${where()}: ${e.message}`));
    return page;
  };
  const load = async (page: Page, path: string): Promise<Page> => {
    await page.goto(`${dashboard.url}${path}`);
    await settled(page);
    return page;
  };
  const kept = new Map<string, Promise<Page>>();
  return {
    harness,
    dashboard,
    browser,
    me,
    errors,
    api,
    async open(path, o = {}) {
      return load(await newPage(o), path);
    },
    async visit(path, o = {}) {
      const key = JSON.stringify(o);
      let page = kept.get(key);
      if (!page) {
        page = newPage(o);
        kept.set(key, page);
      }
      return load(await page, path);
    },
    async shot(page, name) {
      if (!SHOTS_WANTED) return;
      await mkdir(SHOTS, { recursive: true });
      await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
    },
    async close() {
      await browser.close();
      await dashboard.close();
      await harness.close();
      await harness.database.close();
    },
  };
}

/** Moves to `path` inside the app, as a click on one of its links does (no reload). */
export async function goInApp(page: Page, path: string): Promise<void> {
  await page.evaluate((p) => {
    history.pushState(null, '', p);
    window.dispatchEvent(new PopStateEvent('popstate'));
  }, path);
  await settled(page);
}

/** Waits until the page has rendered and no section is still loading. */
export async function settled(page: Page): Promise<void> {
  await page.waitForFunction(
    () =>
      document.getElementById('main')?.classList.contains('ready') &&
      document.querySelectorAll('.state.loading').length === 0,
  );
}

const axeSource = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** axe-core's WCAG 2.x A/AA checks on the page as it stands; returns the violations. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) {
    await page.addScriptTag({ content: axeSource });
  }
  return page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run: (o: unknown) => Promise<{ violations: AxeViolation[] }> } }
    ).axe;
    const result = await axe.run({
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes
        .slice(0, 5)
        .map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  });
}
