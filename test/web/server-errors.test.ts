import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { collectErrors, loginAs, newPage, screenshot, startWebApp, type WebApp } from '../helpers/browser.ts';

/**
 * A server-side 400 shown at its field, with nothing stood in: the Devices
 * registration form does not know the secret's length rule (8–64 characters,
 * server/api/chargers/schemas.ts), so only the real server refuses a short one.
 */
describe('web: server refusals at their field', () => {
  let w: WebApp;
  before(async () => {
    w = await startWebApp();
  });
  after(() => w.close());

  it("shows the server's 400 message at the secret field and registers nothing", async () => {
    const page = await newPage(w);
    const errors = collectErrors(page);
    await loginAs(w, page, 'admin', '/devices/');
    const form = page.getByTestId('register-form');
    await form.locator('input[name=id]').fill('CP-SHORT');
    await form.locator('input[name=secret]').fill('short');
    await form.locator('button[type=submit]').click();
    const secretField = form.locator('.field', { has: page.locator('input[name=secret]') });
    await secretField.locator('.field-error').waitFor();
    assert.equal(await secretField.locator('.field-error').textContent(), 'must NOT have fewer than 8 characters');
    const list = await w.app.inject({ url: '/api/chargers', headers: await w.as('admin') });
    assert.deepEqual(list.json(), [], 'nothing was registered');

    // Corrected, the same form registers the charger.
    await form.locator('input[name=secret]').fill('long-enough-secret');
    await form.locator('button[type=submit]').click();
    await page.getByText('Charger CP-SHORT registered.').waitFor();
    assert.equal(await secretField.locator('.field-error').count(), 0);
    await screenshot(page, 'devices-registered');
    assert.deepEqual(errors, []);
    await page.context().close();
  });
});
