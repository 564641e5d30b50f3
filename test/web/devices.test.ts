import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { en } from '../../web/src/i18n/en.ts';
import { collectErrors, loginAs, newPage, screenshot, startWebApp, type WebApp } from '../helpers/browser.ts';
import { BOOT, chargePoint, registerCharger, type OcppTestApp } from '../helpers/ocpp.ts';

/**
 * The Devices page and a charger that is not connected (issue 6): commands
 * cannot reach it (the server answers 409), so its command forms are disabled
 * with a note, and they open by themselves, through the live feed, once a
 * strict OCPP 1.6 charger connects; they close again when it goes away.
 */
describe('web: devices and offline chargers', () => {
  let w: WebApp;
  let ocpp: OcppTestApp;
  before(async () => {
    w = await startWebApp();
    ocpp = { ...w, endpoint: `${w.base.replace('http', 'ws')}/ocpp`, clients: [] };
    await registerCharger(w, 'CP-OFF');
  });
  after(async () => {
    await Promise.all(ocpp.clients.map((c) => c.close({ force: true })));
    await w.close();
  });

  it("disables an offline charger's command forms, and enables them once it connects", async () => {
    const page = await newPage(w);
    const errors = collectErrors(page);
    await loginAs(w, page, 'operator', '/devices/');
    await page.locator('tr', { hasText: 'CP-OFF' }).getByTestId('open-commands').click();
    const panel = page.getByTestId('command-panel');
    const note = panel.getByTestId('command-offline');
    await note.waitFor();
    assert.equal(await note.textContent(), en['devices.offlineNote'].replace('{id}', 'CP-OFF'));
    assert.equal(await page.getByTestId('command-send').isDisabled(), true);
    assert.equal(await page.getByTestId('command-action').isDisabled(), true);
    assert.equal(
      await panel.locator('input:enabled, select:enabled, textarea:enabled, button:enabled').count(),
      0,
      'every control of the form',
    );
    await screenshot(page, 'devices-offline');

    // The page follows the live feed: once it is up, a charger connecting opens the forms.
    await page
      .getByTestId('live-badge')
      .filter({ hasText: /^● Live$/ })
      .waitFor();
    const cp = chargePoint(ocpp, 'CP-OFF');
    await cp.connect();
    assert.equal(((await cp.call('BootNotification', BOOT)) as { status: string }).status, 'Accepted');
    await note.waitFor({ state: 'detached' });
    assert.equal(await page.getByTestId('command-send').isEnabled(), true);
    assert.equal(await page.getByTestId('command-action').isEnabled(), true);

    // And close again when it goes away.
    await cp.close({ force: true });
    await note.waitFor();
    assert.equal(await page.getByTestId('command-send').isDisabled(), true);
    assert.deepEqual(errors, []);
    await page.context().close();
  });
});
