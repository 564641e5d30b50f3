import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Page, Request } from 'playwright-core';
import { collectErrors, loginAs, newPage, screenshot, startWebApp, type WebApp } from '../helpers/browser.ts';

/** The Settings page (seed 004 §2.4/§2.5) against the real server and its real rules. */
describe('web: settings page', () => {
  let w: WebApp;
  let page: Page;
  let errors: string[];
  const posts: Request[] = [];
  const serverValue = async (key: string) =>
    (await w.app.inject({ url: '/api/basic/settings/', headers: await w.as('admin') })).json()[key];
  const field = (name: string) => page.locator(`[data-field=${name}]`);

  before(async () => {
    w = await startWebApp();
    page = await newPage(w);
    errors = collectErrors(page);
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().includes('/api/basic/settings')) posts.push(r);
    });
    await loginAs(w, page, 'admin', '/settings/');
  });
  after(() => w.close());
  beforeEach(async () => {
    posts.length = 0;
    await page.goto(`${w.base}/settings/`);
    await page.getByTestId('settings-form').waitFor();
  });

  it('shows every field initialised from the server', async () => {
    assert.equal(await page.locator('[data-testid=settings-form] [data-field]').count(), 16);
    assert.equal(
      await field('vchcardreadercom').locator('input').inputValue(),
      String(await serverValue('vchcardreadercom')),
    );
    assert.equal(
      await field('intmaxcurrenta').locator('input').inputValue(),
      String(await serverValue('intmaxcurrenta')),
    );
    assert.equal(await field('vchpowersequence').locator('select').inputValue(), await serverValue('vchpowersequence'));
    await screenshot(page, 'settings');
  });

  it('refuses a bad value in the page, at its field, and sends nothing', async () => {
    const before = await serverValue('intmaxcurrenta');
    await field('intmaxcurrenta').locator('input').fill('5000');
    await field('yeainstallyear').locator('input').fill('20x3');
    await page.getByRole('button', { name: 'Save' }).click();
    assert.equal(
      await field('intmaxcurrenta').locator('.field-error').textContent(),
      'Must be a whole number from 0 to 2000.',
    );
    assert.equal(
      await field('yeainstallyear').locator('.field-error').textContent(),
      'Must be a four-digit year from 1980 to 2100.',
    );
    assert.equal(
      await page.getByTestId('settings-notice').textContent(),
      'Some values are not valid; nothing was sent.',
    );
    assert.equal(posts.length, 0, 'no request left the page');
    assert.equal(await serverValue('intmaxcurrenta'), before);
    await screenshot(page, 'settings-invalid');
  });

  it('checks the cross-field rule the server checks: the two priorities must differ', async () => {
    await field('intdeductionpriorityminute')
      .locator('input')
      .fill(String(await serverValue('intdeductionprioritypower')));
    await page.getByRole('button', { name: 'Save' }).click();
    assert.equal(
      await field('intdeductionpriorityminute').locator('.field-error').textContent(),
      'The energy and minute deduction priorities must differ.',
    );
    assert.equal(posts.length, 0);
  });

  it('saves a good value, sending only what changed, and shows it after a reload', async () => {
    await field('intmaxcurrentb').locator('input').fill('40');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('settings-notice').filter({ hasText: 'Settings saved.' }).waitFor();
    assert.equal(posts.length, 1);
    assert.deepEqual(posts[0]!.postDataJSON(), { intmaxcurrentb: 40 });
    assert.equal(await serverValue('intmaxcurrentb'), 40);
    await page.reload();
    await page.getByTestId('settings-form').waitFor();
    assert.equal(await field('intmaxcurrentb').locator('input').inputValue(), '40');
  });

  // No test swaps the page's body for one the server refuses: the page checks with the
  // server's own rules (contracts/settings.ts), and the one cross-field rule cannot be
  // broken by a stale page either (both priorities range over {1, 2} and must differ,
  // so any edit the page accepts is one the server accepts). A real server-side 400
  // shown at its field is tested on the Devices page (test/web/server-errors.test.ts).

  it('caused no console errors', () => {
    assert.deepEqual(errors, []);
  });
});
