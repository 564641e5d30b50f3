import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { Role } from '../../db/schema/index.ts';
import { collectErrors, loginAs, newPage, screenshot, startWebApp, type WebApp } from '../helpers/browser.ts';

/** What each role is offered (docs/PRODUCT.md §8): the server refuses anyway; the page must not offer what would fail. */
describe('web: roles', () => {
  let w: WebApp;
  before(async () => {
    w = await startWebApp();
  });
  after(() => w.close());

  async function visit(role: Role): Promise<{ page: Page; seen: Record<string, boolean>; errors: string[] }> {
    const page = await newPage(w);
    const errors = collectErrors(page);
    await loginAs(w, page, role, '/devices/');
    await page.getByTestId('page-devices').waitFor();
    await page.getByText('Registration').waitFor();
    const devices = {
      commandPanel: (await page.getByRole('heading', { name: 'Commands' }).count()) > 0,
      registerForm: (await page.getByTestId('register-form').count()) > 0,
      idTagForm: (await page.getByTestId('idtag-form').count()) > 0,
      usersNav: (await page.locator('nav.nav a', { hasText: 'Users & tokens' }).count()) > 0,
    };
    await page.goto(`${w.base}/settings/`);
    await page.getByTestId('settings-form').waitFor();
    const settings = {
      saveButton: (await page.getByRole('button', { name: 'Save' }).count()) > 0,
      fieldsEditable: await page.locator('[data-field=intmaxcurrenta] input').isEnabled(),
      readOnlyNote: (await page.getByText('Only an admin may change settings.').count()) > 0,
    };
    return { page, seen: { ...devices, ...settings }, errors };
  }

  it('a viewer sees no command, registration, settings or user-admin controls', async () => {
    const { page, seen, errors } = await visit('viewer');
    assert.deepEqual(seen, {
      commandPanel: false,
      registerForm: false,
      idTagForm: false,
      usersNav: false,
      saveButton: false,
      fieldsEditable: false,
      readOnlyNote: true,
    });
    await screenshot(page, 'settings-viewer');
    await page.goto(`${w.base}/users/`);
    await page.getByRole('alert').filter({ hasText: 'Only an admin may manage users and tokens.' }).waitFor();
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  it('an operator gets the commands but not the admin controls', async () => {
    const { page, seen, errors } = await visit('operator');
    assert.deepEqual(seen, {
      commandPanel: true,
      registerForm: false,
      idTagForm: false,
      usersNav: false,
      saveButton: false,
      fieldsEditable: false,
      readOnlyNote: true,
    });
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  it('an admin gets everything', async () => {
    const { page, seen, errors } = await visit('admin');
    assert.deepEqual(seen, {
      commandPanel: true,
      registerForm: true,
      idTagForm: true,
      usersNav: true,
      saveButton: true,
      fieldsEditable: true,
      readOnlyNote: false,
    });
    assert.deepEqual(errors, []);
    await page.context().close();
  });
});
