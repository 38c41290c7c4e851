import { type Browser, chromium, type Page } from 'playwright-core';

/** Debian's Chromium (CHROMIUM_PATH overrides); browser tests and benchmarks skip without it. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Headless, and quiet on the network: without the background-networking flags Chromium reaches
 * for Google's hosts at every start, which this machine's closed network refuses.
 */
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

/**
 * Logs a page in with a one-time login link the way a person does: the link opens a page with a
 * "Log in" button (a GET never logs in), and pressing it lands on the night page.
 */
export async function logInWithLink(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL('**/night');
}
