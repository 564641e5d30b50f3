import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { collectErrors, loginAs, newPage, screenshot, startWebApp, type WebApp } from '../helpers/browser.ts';
import { chargingFixtures } from '../helpers/charging-fixtures.ts';
import { BOOT, chargePoint, registerCharger, type OcppTestApp } from '../helpers/ocpp.ts';

const DAY = 86_400_000;
const VIN = 'LLV2ANB22F0000673'; // seed 000 §1's example vehicle

/** The site-local calendar day (YYYY-MM-DD) of an instant, as the records query takes it. */
const localDate = (at: Date, tz: string) => new Intl.DateTimeFormat('en-CA', { timeZone: tz }).format(at);

async function settled(page: Page): Promise<void> {
  await page.waitForFunction("document.querySelectorAll('.state-loading').length === 0", undefined, {
    timeout: 10_000,
  });
}

/**
 * SPEC issue 6 "Done when", with data: two chargers (one a connected strict
 * OCPP 1.6 client), finished sessions on two days, a vehicle in the battery
 * registry. Every page shows the real values, with no console errors.
 */
describe('web: pages with data', () => {
  let w: WebApp;
  let ocpp: OcppTestApp;
  const sessions: { id: number; energyWh: number; start: Date }[] = [];
  before(async () => {
    w = await startWebApp();
    ocpp = { ...w, endpoint: `${w.base.replace('http', 'ws')}/ocpp`, clients: [] };
    await registerCharger(w, 'CP-A', { description: 'Bay 1' });
    await registerCharger(w, 'CP-B', { description: 'Bay 2' });
    const fx = chargingFixtures(w.app.repos, w.app.config.siteTz);
    const now = Date.now();
    for (const [charger, daysAgo, wh] of [
      ['CP-A', 2, 12_340],
      ['CP-B', 2, 8_000],
      ['CP-A', 1, 20_500],
    ] as const) {
      const stop = new Date(now - daysAgo * DAY);
      const start = new Date(stop.getTime() - 2 * 3_600_000);
      const id = await fx.session(charger, start.toISOString(), stop.toISOString(), wh);
      sessions.push({ id, energyWh: wh, start });
    }
    const cp = chargePoint(ocpp, 'CP-A');
    // A strict charger answers GetConfiguration (OCPP 1.6 §5.8) with its own keys.
    cp.handle('GetConfiguration', (() => ({
      configurationKey: [{ key: 'HeartbeatInterval', readonly: false, value: '300' }],
      unknownKey: [],
    })) as never);
    await cp.connect();
    await cp.call('BootNotification', BOOT);
    await cp.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available' });
  });
  after(async () => {
    await Promise.all(ocpp.clients.map((c) => c.close({ force: true })));
    await w.close();
  });

  it('Overview and Devices show the chargers and sessions', async () => {
    const page = await newPage(w);
    const errors = collectErrors(page);
    await loginAs(w, page, 'admin', '/overview/');
    await settled(page);
    const overview = (await page.getByTestId('page-overview').textContent())!;
    assert.match(overview, /CP-A/);
    await screenshot(page, 'data-overview');
    await page.goto(`${w.base}/devices/`);
    await settled(page);
    const devices = page.getByTestId('page-devices');
    for (const id of ['CP-A', 'CP-B']) assert.match((await devices.textContent())!, new RegExp(id));
    assert.match((await devices.textContent())!, /Bay 2/);
    await screenshot(page, 'data-devices');
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  it('Details: date → record ID → charge code → Start shows the record in full', async () => {
    const page = await newPage(w);
    const errors = collectErrors(page);
    await loginAs(w, page, 'viewer', '/details/?charger_id=CP-A');
    const s = sessions[2]!;
    // Seed 2.2 lists the records that STARTED on the site-local day; the session
    // runs two hours, so its stop can fall on the next day (00:00–02:00 site time).
    await page.getByTestId('record-date').fill(localDate(s.start, w.app.config.siteTz));
    const pick = page.getByTestId('record-id');
    await pick.locator(`option[value="${s.id}"]`).waitFor({ state: 'attached' });
    await pick.selectOption(String(s.id));
    const code = await page.getByTestId('charge-code').inputValue();
    assert.match(code, /^\d+$/);
    await page.getByRole('button', { name: 'Start' }).click();
    const full = page.getByTestId('record-full');
    await full.waitFor();
    const row = async (k: string) => (await full.locator(`tr[data-field="${k}"] td`).textContent())!.trim();
    const api = (await w.app.inject({ url: `/api/charging/record/${s.id}/`, headers: await w.as('viewer') })).json()
      .result as Record<string, unknown>;
    assert.equal(await row('intrecordid'), String(s.id));
    assert.equal(await row('vchchargerid'), 'CP-A');
    assert.equal(await row('intchargingcode'), code);
    assert.equal(await row('dblenergy'), `${s.energyWh / 1000} kWh`, "the fixture's 20,500 Wh as kWh, with its unit");
    const label = await full.locator('tr[data-field="dblenergy"] th').innerText();
    assert.deepEqual(
      label.split('\n'),
      ['Energy', 'dblenergy'],
      "a human label, and the seed's field name other programs read",
    );
    assert.match(await row('dttstarttime'), /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/, 'a site-local time, readably');
    assert.equal(await row('vchstopreason'), 'EVDisconnected');
    assert.equal(await full.locator('tbody tr').count(), Object.keys(api).length, 'every field of the record');
    await screenshot(page, 'data-details-record');
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  it('Devices: an operator sends GetConfiguration to the connected charger and sees its answer; a viewer sees no command buttons', async () => {
    const page = await newPage(w);
    const errors = collectErrors(page);
    await loginAs(w, page, 'operator', '/devices/');
    await settled(page);
    await page.locator('tr', { hasText: 'CP-A' }).getByTestId('open-commands').click();
    await page.getByTestId('command-action').selectOption('GetConfiguration');
    await page.getByTestId('command-send').click();
    const outcome = page.getByTestId('command-outcome');
    await outcome.waitFor();
    assert.match((await outcome.textContent())!, /Charger answered/);
    const answer = JSON.parse((await outcome.locator('pre').textContent())!) as unknown;
    assert.deepEqual(answer, {
      configurationKey: [{ key: 'HeartbeatInterval', readonly: false, value: '300' }],
      unknownKey: [],
    });
    await page.getByTestId('command-log').filter({ hasText: 'GetConfiguration' }).waitFor();
    await screenshot(page, 'data-devices-command');
    await page.context().close();

    const viewer = await newPage(w);
    const viewerErrors = collectErrors(viewer);
    await loginAs(w, viewer, 'viewer', '/devices/');
    await settled(viewer);
    assert.match((await viewer.getByTestId('page-devices').textContent())!, /CP-A/);
    assert.equal(await viewer.getByTestId('open-commands').count(), 0);
    assert.equal(await viewer.getByTestId('command-send').count(), 0);
    assert.deepEqual([...errors, ...viewerErrors], []);
    await viewer.context().close();
  });

  it('switches language on a data page', async () => {
    const page = await newPage(w);
    const errors = collectErrors(page);
    await loginAs(w, page, 'admin', '/devices/');
    await settled(page);
    await page.getByTestId('lang-switch').click();
    await page.getByRole('button', { name: '退出登录' }).waitFor();
    assert.match((await page.getByTestId('page-devices').textContent())!, /CP-A/);
    await screenshot(page, 'data-devices-zh');
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  it('Batteries: looks up a vehicle written through the API, edits its pack set, shows the history', async () => {
    const written = await w.app.inject({
      method: 'POST',
      url: `/batteryInfo/updateBatteryInfoByVinCode/${VIN}`,
      headers: await w.as('operator'),
      payload: {
        batteryGroupNo: '00B-00071',
        batteryInfo: [{ batteryNo: '4017052327', bmsNo: 'C2AB0000018C', batteryType: 2 }],
      },
    });
    assert.equal(written.json().code, '1000', written.body);
    const page = await newPage(w);
    const errors = collectErrors(page);
    await loginAs(w, page, 'operator', '/batteries/');
    await page.locator('input[name=q]').fill(VIN);
    await page.getByRole('button', { name: 'Search' }).click();
    const vehicle = page.getByTestId('vehicle');
    await vehicle.waitFor();
    assert.equal(await vehicle.locator('tbody tr input').first().inputValue(), '4017052327');
    await vehicle.getByRole('button', { name: 'Add pack' }).click();
    const added = vehicle.locator('tbody tr').nth(1).locator('input');
    await added.nth(0).fill('4017052328');
    await added.nth(1).fill('C2AB0000018D');
    await vehicle.getByRole('button', { name: 'Save pack set' }).click();
    await page.getByText('Saved.').waitFor({ timeout: 5000 });
    const stored = (
      await w.app.inject({ url: `/batteryInfo/getBatteryInfoEsbpByVin/${VIN}`, headers: await w.as('viewer') })
    ).json().data;
    assert.deepEqual(stored.batteryInfo.map((p: { batteryNo: string }) => p.batteryNo).sort(), [
      '4017052327',
      '4017052328',
    ]);
    const history = page.getByTestId('battery-history');
    await history.filter({ hasText: '4017052328' }).waitFor();
    assert.ok((await history.locator('tbody tr').count()) >= 2, 'the API write and the page edit');
    await settled(page);
    await screenshot(page, 'data-batteries');
    assert.deepEqual(errors, []);
    await page.context().close();
  });
});
