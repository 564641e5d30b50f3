import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { Role } from '../../db/schema/index.ts';
import { collectErrors, loginAs, newPage, screenshot, startWebApp, type WebApp } from '../helpers/browser.ts';
import { chargingFixtures } from '../helpers/charging-fixtures.ts';
import { registerCharger } from '../helpers/ocpp.ts';

/** The site-local calendar day (YYYY-MM-DD) of an instant, as the records query takes it. */
const localDate = (at: Date, tz: string) => new Intl.DateTimeFormat('en-CA', { timeZone: tz }).format(at);

/** The details page's record modal offers operators and admins the close of an open session, with a confirmation. */
describe('web: closing a session from the record modal', () => {
  let w: WebApp;
  let started: Date;
  const ids: Record<'open' | 'other' | 'done', number> = { open: 0, other: 0, done: 0 };
  before(async () => {
    w = await startWebApp();
    await registerCharger(w, 'CP-W');
    const fx = chargingFixtures(w.app.repos, w.app.config.siteTz);
    // All three start at one instant an hour ago, so on one site-local day whatever the hour.
    started = new Date(w.clock.now().getTime() - 3_600_000);
    ids.done = await fx.session(
      'CP-W',
      started.toISOString(),
      new Date(started.getTime() + 30_000).toISOString(),
      1000,
    );
    ids.open = await fx.running('CP-W', started.toISOString(), { currentA: 16, energyWh: 1500 });
    const other = await w.app.repos.transactions.start({
      chargerId: 'CP-W',
      connectorId: 2,
      idTag: 'NOBODY',
      meterStart: 0,
      startedAt: started,
      startStatus: 'Invalid',
    });
    ids.other = other!.transaction.id;
  });
  after(() => w.close());

  async function openRecord(
    role: Role,
    id: number,
    lang: 'en' | 'zh' = 'en',
  ): Promise<{ page: Page; errors: string[] }> {
    const page = await newPage(w, lang);
    const errors = collectErrors(page);
    await loginAs(w, page, role, '/details/?charger_id=CP-W');
    await page.getByTestId('record-date').fill(localDate(started, w.app.config.siteTz));
    const pick = page.getByTestId('record-id');
    await pick.locator(`option[value="${id}"]`).waitFor({ state: 'attached' });
    await pick.selectOption(String(id));
    await page.locator('.form-row button.primary').click();
    await page.getByTestId('record-full').waitFor();
    return { page, errors };
  }
  const row = (page: Page, k: string) => page.getByTestId('record-full').locator(`tr[data-field="${k}"] td`);

  it('a viewer sees no close, even on an open session', async () => {
    const { page, errors } = await openRecord('viewer', ids.open);
    assert.equal((await row(page, 'dttrealfinish').textContent())!.trim(), '—');
    assert.equal(await page.getByTestId('close-session').count(), 0);
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  it('an operator sees no close on a finished session', async () => {
    const { page, errors } = await openRecord('operator', ids.done);
    assert.notEqual((await row(page, 'dttrealfinish').textContent())!.trim(), '—');
    assert.equal(await page.getByTestId('close-session').count(), 0);
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  it('an operator closes an open session after confirming; cancelling changes nothing', async () => {
    const { page, errors } = await openRecord('operator', ids.open);
    await page.getByTestId('close-session').click();
    const confirm = page.getByTestId('close-session-confirm');
    await confirm.waitFor();
    assert.match((await confirm.textContent())!, new RegExp(`Close session ${ids.open}\\?`));
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'detached' });
    assert.equal((await w.app.repos.transactions.get(ids.open))!.stoppedAt, null, 'cancel sent nothing');

    await page.getByTestId('close-session').click();
    await page.getByTestId('close-session-reason').fill('stuck after a firmware crash');
    await screenshot(page, 'close-session-confirm');
    await page.getByTestId('close-session-yes').click();
    await row(page, 'dttrealfinish').filter({ hasNotText: '—' }).waitFor();
    assert.equal(await page.getByTestId('close-session').count(), 0, 'no close offered once closed');
    const tx = (await w.app.repos.transactions.get(ids.open))!;
    assert.deepEqual(
      [tx.closeCause, tx.stopReason, tx.closeNote, tx.energyWh],
      ['operator', 'Other', 'stuck after a firmware crash', 1500],
    );
    assert.notEqual((await row(page, 'dttrealfinish').textContent())!.trim(), '—', 'the record shows its finish');
    const audit = (await w.app.repos.audit.recent()).filter((a) => a.action === 'transaction.close');
    assert.deepEqual(
      audit.map((a) => [a.actor, a.target]),
      [['user:operator-user', `transaction:${ids.open}`]],
    );
    await screenshot(page, 'close-session-closed');
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  it('an admin gets it in Chinese too', async () => {
    const { page, errors } = await openRecord('admin', ids.other, 'zh');
    await page.getByTestId('close-session').filter({ hasText: '关闭此充电记录' }).click();
    const confirm = page.getByTestId('close-session-confirm');
    assert.match((await confirm.textContent())!, new RegExp(`确定关闭充电记录 ${ids.other}？`));
    await confirm.getByRole('button', { name: '确定关闭' }).click();
    // The button is gone while the confirmation shows: wait for the reloaded record instead.
    await row(page, 'dttrealfinish').filter({ hasNotText: '—' }).waitFor();
    assert.equal(await page.getByTestId('close-session').count(), 0);
    assert.equal((await w.app.repos.transactions.get(ids.other))!.closeCause, 'operator');
    assert.deepEqual(errors, []);
    await page.context().close();
  });
});
