import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PASSWORD, collectErrors, newPage, screenshot, startWebApp, type WebApp } from '../helpers/browser.ts';

describe('web: logging in', () => {
  let w: WebApp;
  before(async () => {
    w = await startWebApp();
  });
  after(() => w.close());

  it('sends an anonymous visitor to /login/ and back to the page afterwards', async () => {
    await w.as('operator');
    const page = await newPage(w);
    const errors = collectErrors(page);
    await page.goto(`${w.base}/devices/?tab=1`);
    await page.waitForURL(/\/login\/\?next=/);
    assert.equal(new URL(page.url()).searchParams.get('next'), '/devices/?tab=1');
    await screenshot(page, 'login');

    await page.fill('input[name=username]', 'operator-user');
    await page.fill('input[name=password]', 'wrong-password');
    await page.click('button[type=submit]');
    await page.getByRole('alert').filter({ hasText: 'Wrong username or password.' }).waitFor();
    assert.match(page.url(), /\/login\//, 'a wrong password stays on the login page');

    await page.fill('input[name=password]', PASSWORD);
    await Promise.all([page.waitForURL(`${w.base}/devices/?tab=1`), page.click('button[type=submit]')]);
    await page.getByTestId('page-devices').waitFor();
    assert.equal(await page.getByTestId('who').textContent(), 'operator-user · Operator');
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  it('"/" leads to the overview, and logging out ends the session', async () => {
    const page = await newPage(w);
    await page.goto(`${w.base}/login/?next=%2F`);
    await page.fill('input[name=username]', 'operator-user');
    await page.fill('input[name=password]', PASSWORD);
    await Promise.all([page.waitForURL(`${w.base}/overview/`), page.click('button[type=submit]')]);
    await page.getByTestId('page-overview').waitFor();

    await Promise.all([page.waitForURL(`${w.base}/login/`), page.getByRole('button', { name: 'Log out' }).click()]);
    await page.goto(`${w.base}/settings/`);
    await page.waitForURL(/\/login\/\?next=%2Fsettings%2F$/);
    await page.context().close();
  });

  it('refuses a next target on another site', async () => {
    const page = await newPage(w);
    await page.goto(`${w.base}/login/?next=${encodeURIComponent('//evil.example/')}`);
    await page.fill('input[name=username]', 'operator-user');
    await page.fill('input[name=password]', PASSWORD);
    await Promise.all([page.waitForURL(`${w.base}/overview/`), page.click('button[type=submit]')]);
    await page.context().close();
  });
});
