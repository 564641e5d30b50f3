import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type ConsoleMessage, type Page } from 'playwright-core';
import type { Role } from '../../db/schema/index.ts';
import { ensureWebBuilt } from '../../scripts/ensure-web.mjs';
import { ManualClock } from '../../server/clock.ts';
import type { Config } from '../../server/config.ts';
import { createTestApp, type TestApp } from './app.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Without these flags Debian's chromium waits on the (closed) network at start-up.
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
export const ARTIFACTS = join(import.meta.dirname, '../../test-artifacts');
export const PASSWORD = 'correct-horse'; // what createTestApp's as(role) gives each user

export interface WebApp extends TestApp {
  base: string;
  browser: Browser;
}

/** The real app over a fresh test database, listening on a loopback port, with the built dashboard; and a browser. `config` overrides the test config (e.g. `loadControl: true`). */
export async function startWebApp(opts: { config?: Partial<Config> } = {}): Promise<WebApp> {
  await ensureWebBuilt({ quiet: true });
  // The browser judges the session cookie's expiry by its own (real) clock, so the
  // server's manual clock starts at the real time instead of a fixed date.
  const t = await createTestApp({ clock: new ManualClock(new Date()), config: opts.config });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = t.app.server.address() as AddressInfo;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  return {
    ...t,
    base: `http://127.0.0.1:${port}`,
    browser,
    async close() {
      await browser.close();
      await t.close();
    },
  };
}

/**
 * Console errors the app itself caused. The browser's own reports of a failed
 * request (a 4xx/5xx answer, a refused WebSocket) are left out: they are how an
 * API that is not there yet shows up, and the page must then show an error
 * state, which the tests check on the page itself.
 */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m: ConsoleMessage) => {
    if (m.type() !== 'error') return;
    const text = m.text();
    if (/^Failed to load resource: the server responded with a status of \d{3}/.test(text)) return;
    if (/^WebSocket connection to '.*\/api\/live.*' failed/.test(text)) return;
    errors.push(text);
  });
  return errors;
}

export async function newPage(w: WebApp, lang: 'en' | 'zh' = 'en'): Promise<Page> {
  const context = await w.browser.newContext({
    viewport: { width: 1400, height: 900 },
    locale: lang === 'zh' ? 'zh-CN' : 'en-GB',
  });
  // The first visit starts in `lang`; a switch made on the page is kept (it is what is under test).
  await context.addInitScript(
    `if (!localStorage.getItem('chargeops.lang')) localStorage.setItem('chargeops.lang', '${lang}');`,
  );
  return context.newPage();
}

/** Logs in through the login page as the `${role}-user` that createTestApp makes. */
export async function loginAs(w: WebApp, page: Page, role: Role, next = '/overview/'): Promise<void> {
  await w.as(role);
  await page.goto(`${w.base}/login/?next=${encodeURIComponent(next)}`);
  await page.fill('input[name=username]', `${role}-user`);
  await page.fill('input[name=password]', PASSWORD);
  await Promise.all([page.waitForURL(`${w.base}${next}`), page.click('button[type=submit]')]);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const shoot = () => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  try {
    await shoot();
  } catch {
    // Chromium refuses a capture while the page is still navigating (a form post's answer
    // replacing the document): wait for it to settle and take it once more.
    await page.waitForLoadState('load');
    await shoot();
  }
}
