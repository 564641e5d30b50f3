import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ManualClock } from '../../server/clock.ts';
import { en } from '../../web/src/i18n/en.ts';
import { zh } from '../../web/src/i18n/zh.ts';
import { collectErrors, loginAs, newPage, screenshot, startWebApp, type WebApp } from '../helpers/browser.ts';
import { BOOT, chargePoint, registerCharger, type OcppTestApp } from '../helpers/ocpp.ts';

/**
 * The Devices page shows a charger's clock skew (issue: values no site can
 * have), measured by the server from a strict OCPP 1.6 charger's timestamped
 * StatusNotification, in English and Chinese; a charger not yet heard says so.
 */
describe("web: a charger's clock skew on the devices page", () => {
  let w: WebApp;
  before(async () => {
    w = await startWebApp();
    const ocpp: OcppTestApp = { ...w, endpoint: `${w.base.replace('http', 'ws')}/ocpp`, clients: [] };
    await registerCharger(w, 'CP-SKEW');
    await registerCharger(w, 'CP-QUIET');
    const cp = chargePoint(ocpp, 'CP-SKEW');
    await cp.connect();
    assert.equal(((await cp.call('BootNotification', BOOT)) as { status: string }).status, 'Accepted');
    // The charger's clock runs two and a half minutes ahead of ours.
    const ahead = new Date((w.clock as ManualClock).now().getTime() + 150_000).toISOString();
    await cp.call('StatusNotification', {
      connectorId: 1,
      status: 'Available',
      errorCode: 'NoError',
      timestamp: ahead,
    });
    await cp.close({ force: true });
  });
  after(() => w.close());

  for (const lang of ['en', 'zh'] as const) {
    it(`shows it in ${lang}`, async () => {
      const dict = lang === 'en' ? en : zh;
      const page = await newPage(w, lang);
      const errors = collectErrors(page);
      await loginAs(w, page, 'viewer', '/devices/');
      const value = page.getByTestId('clock-skew-value');
      // The list re-renders as live events arrive (the charger's disconnect): a click that lands
      // on a row being replaced selects nothing, so select again until the card shows.
      for (let attempt = 1; ; attempt++) {
        await page.locator('tr', { hasText: 'CP-SKEW' }).first().click();
        try {
          await value.waitFor({ timeout: 10_000 });
          break;
        } catch (err) {
          if (attempt === 3) throw err;
        }
      }
      const minutes = dict['devices.minutes'].replace('{n}', '2.5');
      assert.equal(await value.textContent(), dict['devices.clockAhead'].replace('{d}', minutes));
      assert.notEqual(await page.getByTestId('clock-skew-at').textContent(), '—');
      await screenshot(page, `devices-clock-skew-${lang}`);
      await page.locator('tr', { hasText: 'CP-QUIET' }).first().click();
      await page.getByTestId('clock-skew-value').filter({ hasText: dict['devices.clockUnknown'] }).waitFor();
      assert.deepEqual(errors, []);
      await page.context().close();
    });
  }
});
