import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { ManualClock } from '../../server/clock.ts';
import type { RPCClient } from '../../server/ocpp/rpc.ts';
import { en } from '../../web/src/i18n/en.ts';
import { zh } from '../../web/src/i18n/zh.ts';
import { collectErrors, loginAs, newPage, screenshot, startWebApp, type WebApp } from '../helpers/browser.ts';
import { BOOT, chargePoint, registerCharger, type OcppTestApp } from '../helpers/ocpp.ts';

/**
 * Devices' Connectors and Messages tabs and Overview's connector table (issue 14):
 * a strict OCPP 1.6 charger's statuses shown live with error, vendor error and
 * since when; its frames listed, a call opened on its answer and latency,
 * filtered, and the filtered log downloaded as JSON.
 */
describe('web: connectors and the OCPP message log', () => {
  let w: WebApp;
  let cp: RPCClient;
  before(async () => {
    w = await startWebApp();
    const ocpp: OcppTestApp = { ...w, endpoint: `${w.base.replace('http', 'ws')}/ocpp`, clients: [] };
    await registerCharger(w, 'CP-MSG');
    cp = chargePoint(ocpp, 'CP-MSG');
    await cp.connect();
    assert.equal(((await cp.call('BootNotification', BOOT)) as { status: string }).status, 'Accepted');
    await cp.call('StatusNotification', {
      connectorId: 1,
      status: 'Faulted',
      errorCode: 'GroundFailure',
      vendorId: 'evpower',
      vendorErrorCode: 'E42',
    });
    // The charger takes 120 ms (on the server's clock) to answer a Reset.
    cp.handle('Reset', async () => {
      (w.clock as ManualClock).advance(120);
      return { status: 'Accepted' };
    });
    const res = await w.app.inject({
      method: 'POST',
      url: '/api/chargers/CP-MSG/commands/Reset',
      headers: await w.as('operator'),
      payload: { type: 'Hard' },
    });
    assert.equal(res.statusCode, 200, res.body);
    await w.app.messageLog.flush();
  });
  after(async () => {
    await cp.close({ force: true }).catch(() => undefined);
    await w.close();
  });

  it('shows the connectors live, then the messages: a call with its answer and latency, filters, a JSON download', async () => {
    const page = await newPage(w, 'en');
    const errors = collectErrors(page);
    await loginAs(w, page, 'viewer', '/devices/?charger_id=CP-MSG');
    const connectors = page.getByTestId('connector-table');
    await connectors.locator('tr', { hasText: 'E42' }).waitFor();
    assert.match((await connectors.textContent()) ?? '', /GroundFailure/);
    assert.match((await connectors.textContent()) ?? '', /evpower: E42/);

    // Live: the charger recovers; the row follows without a reload.
    await page.locator('[data-testid=connectors-panel][data-live=open]').waitFor();
    await cp.call('StatusNotification', { connectorId: 1, status: 'Available', errorCode: 'NoError' });
    await connectors.locator('tr', { hasText: 'NoError' }).waitFor();
    assert.doesNotMatch((await connectors.textContent()) ?? '', /E42/, 'the vendor error went with the fault');
    await screenshot(page, 'devices-connectors-en');

    await page.getByTestId('tab-messages').click();
    const table = page.getByTestId('messages-table');
    await table.locator('tr', { hasText: 'Reset' }).first().waitFor();
    await w.app.messageLog.flush();
    // The out-going Reset CALL opens on its answer, 120 ms later.
    await table
      .locator('tr', { hasText: 'Reset' })
      .filter({ hasText: /CALL(?!RESULT)/ })
      .first()
      .click();
    const pair = page.getByTestId('message-pair');
    await pair.waitFor();
    assert.equal(await pair.getByTestId('latency').textContent(), en['messages.latency'].replace('{n}', '120'));
    assert.match((await pair.getByTestId('frame-CALL').textContent()) ?? '', /"type": "Hard"/);
    assert.match((await pair.getByTestId('frame-CALLRESULT').textContent()) ?? '', /"status": "Accepted"/);
    await screenshot(page, 'devices-message-pair-en');
    await page.keyboard.press('Escape');

    // Filtered to what the server sent: the Reset CALL and the answers to the charger's four calls.
    await page.getByTestId('messages-direction').selectOption('out');
    await table.locator('tbody tr').filter({ hasText: en['messages.in'] }).first().waitFor({ state: 'detached' });
    const outRows = await table.locator('tbody tr').count();
    assert.equal(outRows, 4, 'Boot, Status, Status answered; Reset sent');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('messages-download').click(),
    ]);
    const saved = JSON.parse(await readFile((await download.path())!, 'utf8')) as { direction: string }[];
    assert.equal(saved.length, outRows, 'the download holds exactly the filtered rows');
    assert.ok(saved.every((m) => m.direction === 'out'));
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  it('shows every connector on Overview, and the tabs in Chinese', async () => {
    const page = await newPage(w, 'zh');
    const errors = collectErrors(page);
    await loginAs(w, page, 'viewer', '/overview/');
    const overview = page.getByTestId('overview-connectors');
    await overview.locator('tr', { hasText: 'CP-MSG' }).first().waitFor();
    assert.match((await overview.textContent()) ?? '', /NoError/);
    await page.goto(`${w.base}/devices/?charger_id=CP-MSG`);
    assert.equal(await page.getByTestId('tab-messages').textContent(), zh['messages.tab']);
    assert.equal(await page.getByTestId('tab-connectors').textContent(), zh['connectors.tab']);
    assert.deepEqual(errors, []);
    await page.context().close();
  });
});
