import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { collectErrors, loginAs, newPage, screenshot, startWebApp, type WebApp } from '../helpers/browser.ts';

describe('web: language', () => {
  let w: WebApp;
  before(async () => {
    w = await startWebApp();
  });
  after(() => w.close());

  it('switches between English and Chinese at any time, remembers the choice, and formats dates for it', async () => {
    const page = await newPage(w, 'en');
    const errors = collectErrors(page);
    await loginAs(w, page, 'admin', '/users/');
    const nav = page.locator('nav.nav');
    const lastLogin = page.getByTestId('users').locator('tbody tr', { hasText: 'admin-user' }).locator('td').nth(2);
    await lastLogin.waitFor();
    assert.equal(await nav.locator('a').first().textContent(), 'Overview');
    assert.equal(await page.getByTestId('who').textContent(), 'admin-user · Admin');
    const enDate = (await lastLogin.textContent())!;
    assert.match(enDate, /^\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}:\d{2}$/, `English date: ${enDate}`);

    await page.getByTestId('lang-switch').click();
    assert.equal(await nav.locator('a').first().textContent(), '总览');
    assert.equal(await page.getByTestId('who').textContent(), 'admin-user · 管理员');
    assert.equal(await page.getByRole('button', { name: '退出登录' }).count(), 1);
    assert.equal(await page.evaluate('document.documentElement.lang'), 'zh-CN');
    const zhDate = (await lastLogin.textContent())!;
    assert.match(zhDate, /^\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}:\d{2}$/, `Chinese date: ${zhDate}`);
    await screenshot(page, 'users-zh');

    // Remembered across a reload and on other pages, including the login page.
    await page.goto(`${w.base}/settings/`);
    await page.getByTestId('settings-form').waitFor();
    assert.equal(await page.locator('[data-field=intmaxcurrenta] .field-label').textContent(), 'A 相最大电流（A）');
    assert.equal(await page.getByRole('button', { name: '保存' }).count(), 1);
    await screenshot(page, 'settings-zh');

    await page.getByTestId('lang-switch').click();
    assert.equal(
      await page.locator('[data-field=intmaxcurrenta] .field-label').textContent(),
      'Max current phase A (A)',
    );
    await page.reload();
    await page.getByTestId('settings-form').waitFor();
    assert.equal(await nav.locator('a').first().textContent(), 'Overview');
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  it('the Chinese dictionary has every English key and no untranslated copy', async () => {
    const { en } = await import('../../web/src/i18n/en.ts');
    const { zh } = await import('../../web/src/i18n/zh.ts');
    assert.deepEqual(Object.keys(zh).sort(), Object.keys(en).sort());
    const same = Object.keys(en).filter((k) => zh[k as keyof typeof en] === en[k as keyof typeof en]);
    assert.deepEqual(same, [], 'keys whose Chinese text is the English text');
  });
});
