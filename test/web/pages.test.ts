import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { measureOverview } from '../../bench/web/overview-load.ts';
import { collectErrors, loginAs, newPage, screenshot, startWebApp, type WebApp } from '../helpers/browser.ts';

/**
 * Every page renders for an admin without console errors (on an empty site;
 * test/web/data.test.ts has them with data), and a failed request shows a
 * proper error state, not a crash or an endless spinner.
 */
const PAGES = ['overview', 'details', 'settings', 'devices', 'load', 'batteries', 'users'] as const;

describe('web: every page', () => {
  let w: WebApp;
  before(async () => {
    w = await startWebApp();
  });
  after(() => w.close());

  it('renders each page, settles every loading state, and keeps a screenshot', async () => {
    const page = await newPage(w);
    const errors = collectErrors(page);
    await loginAs(w, page, 'admin');
    for (const name of PAGES) {
      await page.goto(`${w.base}/${name}/`);
      await page.getByTestId(`page-${name}`).waitFor();
      if (name === 'batteries') {
        await page.locator('input[name=q]').fill('LLV2ANB22F0000673');
        await page.getByRole('button', { name: 'Search' }).click();
      }
      // Every loader either shows data, an empty note or an error: no spinner is left.
      await page.waitForFunction("document.querySelectorAll('.state-loading').length === 0", undefined, {
        timeout: 10_000,
      });
      assert.equal(await page.locator('nav.nav a.active').count(), 1, `${name}: the nav marks the page`);
      await screenshot(page, name);
    }
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  it('shows what went wrong when a request cannot reach the server, keeps the rest of the page working, and retries', async () => {
    const page = await newPage(w);
    const errors = collectErrors(page);
    await loginAs(w, page, 'admin');
    // Every API exists now; a request that never reaches the server (cut network) is the failure left to show.
    let cut = true;
    await page.route('**/api/charger/info/statistic/**', (route) =>
      cut ? route.abort('connectionrefused') : route.continue(),
    );
    await page.goto(`${w.base}/overview/`);
    const alert = page.getByRole('alert').first();
    await alert.waitFor();
    assert.match((await alert.textContent())!, /The server cannot be reached/);
    // The rest of the page loaded, and the live feed is up.
    await page
      .getByTestId('live-badge')
      .filter({ hasText: /^● Live$/ })
      .waitFor();
    assert.ok((await page.locator('.state-error').count()) >= 1);
    // A retry re-asks the server and, the network back, shows the counters.
    cut = false;
    const asked = page.waitForResponse((r) => r.url().includes('/api/charger/info/statistic/') && r.status() === 200);
    await page.getByRole('button', { name: 'Retry' }).first().click();
    await asked;
    await page.waitForFunction("document.querySelectorAll('.state-error, .state-loading').length === 0", undefined, {
      timeout: 10_000,
    });
    assert.deepEqual(
      errors.filter((e) => !/net::ERR_CONNECTION_REFUSED/.test(e)),
      [],
    );
    await page.context().close();
  });

  it('/overview/ is usable within 1 s on loopback (scaled by a same-run baseline on a busy machine)', async () => {
    const page = await newPage(w);
    await loginAs(w, page, 'viewer');
    const r = await measureOverview(w, page, 3);
    // Usable: the frame and the counters answered; the charts may still be drawing.
    // The login shell (same app code, no API call) is the same-run baseline: on this
    // shared 2-core machine (load average above 20 while other suites run) even that shell
    // can take a second, so the budget is 1 s or 5x the shell, whichever is larger.
    const budget = Math.max(1000, 5 * r.baselineMs);
    console.log(
      `overview usable ${r.usableMs.toFixed(0)} ms, every panel ${r.settledMs.toFixed(0)} ms; login shell ${r.baselineMs.toFixed(0)} ms; budget ${budget.toFixed(0)} ms`,
    );
    assert.ok(r.usableMs < budget, `overview usable after ${r.usableMs.toFixed(0)} ms`);
    await page.context().close();
  });
});
