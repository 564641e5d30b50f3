import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page, Request } from 'playwright-core';
import { en } from '../../web/src/i18n/en.ts';
import { zh } from '../../web/src/i18n/zh.ts';
import { collectErrors, loginAs, newPage, startWebApp, type WebApp } from '../helpers/browser.ts';
import { gate } from '../helpers/gate.ts';

const VIN_A = 'LLV2ANB22F0000673'; // seed 000 §1's example vehicle
const VIN_B = 'LSVAA4182E2000001';

const isVehicleList = (url: URL) => url.pathname === '/api/batteries/vehicles';
const listQuery = (r: Request) => new URL(r.url()).searchParams.get('q') ?? '';

/** Waits until the vehicle list shows exactly the VINs `expected` (in any order). */
async function listShows(page: Page, expected: string[]): Promise<void> {
  const rows =
    "[...document.querySelectorAll('[data-testid=vehicle-list] tbody tr td:first-child')].map((td) => td.textContent).sort()";
  await page.waitForFunction(
    `JSON.stringify(${rows}) === ${JSON.stringify(JSON.stringify([...expected].sort()))}`,
    undefined,
    { timeout: 10_000 },
  );
}

const shownNow = (page: Page) => page.locator('[data-testid=vehicle-list] tbody tr td:first-child').allTextContents();

/** Lets the page take in what has arrived: two frames later a set state has been committed. */
const settle = (page: Page) =>
  page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');

/**
 * The Batteries page (issue 6): typing in the search asks the server once a
 * pause, not per keystroke, and a slow answer to an older query never replaces
 * the list of what is typed now; a write the registry refuses is worded by its
 * code in the reader's language, with the server's detail.
 */
describe('web: batteries page', () => {
  let w: WebApp;
  before(async () => {
    w = await startWebApp();
    for (const [vin, no, bms] of [
      [VIN_A, '4017052327', 'C2AB0000018C'],
      [VIN_B, '4017052399', 'C2AB00000199'],
    ] as const) {
      const res = await w.app.inject({
        method: 'POST',
        url: `/batteryInfo/updateBatteryInfoByVinCode/${vin}`,
        headers: await w.as('operator'),
        payload: { batteryGroupNo: '00B-00071', batteryInfo: [{ batteryNo: no, bmsNo: bms, batteryType: 2 }] },
      });
      assert.equal(res.json().code, '1000', res.body);
    }
  });
  after(() => w.close());

  it('sends one request for a VIN typed fast', async () => {
    const page = await newPage(w);
    const errors = collectErrors(page);
    // The page's timers run on a clock the test holds, so "fast" does not depend on the machine's load.
    await page.clock.install();
    await loginAs(w, page, 'operator', '/batteries/');
    await listShows(page, [VIN_A, VIN_B]);
    const asked: string[] = [];
    page.on('request', (r) => {
      if (isVehicleList(new URL(r.url()))) asked.push(listQuery(r));
    });
    await page.clock.pauseAt(Number(await page.evaluate('Date.now()')) + 1000);
    await page.locator('input[name=q]').pressSequentially(VIN_A);
    await page.clock.runFor(300);
    await page.clock.resume();
    await listShows(page, [VIN_A]);
    assert.deepEqual(asked, [VIN_A], 'one request, for the whole VIN');
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  it("keeps the newest query's list when an older query answers last", async () => {
    const page = await newPage(w);
    const errors = collectErrors(page);
    await loginAs(w, page, 'operator', '/batteries/');
    await listShows(page, [VIN_A, VIN_B]);
    // The answer to "LS" (VIN_B) is held back until "LLV" (VIN_A) has been answered and shown.
    const held = gate();
    const heldAsked = gate();
    void page.route(isVehicleList, async (route) => {
      if (listQuery(route.request()) === 'LS') {
        heldAsked.open();
        await held.promise;
      }
      await route.continue();
    });
    const input = page.locator('input[name=q]');
    await input.fill('LS');
    await heldAsked.promise;
    await input.fill('LLV');
    await listShows(page, [VIN_A]);
    const lateDone = page.waitForEvent(
      'requestfinished',
      (r) => isVehicleList(new URL(r.url())) && listQuery(r) === 'LS',
    );
    held.open();
    await lateDone;
    await settle(page);
    assert.deepEqual(await shownNow(page), [VIN_A], 'the late answer for "LS" was dropped');
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  it("shows a refused write's 1001 in Chinese, with the server's detail, and stores nothing", async () => {
    const page = await newPage(w, 'zh');
    const errors = collectErrors(page);
    await loginAs(w, page, 'operator', '/batteries/');
    await page.locator('input[name=q]').fill(VIN_A);
    await page.getByRole('button', { name: zh['batteries.search'] }).click();
    const vehicle = page.getByTestId('vehicle');
    await vehicle.waitFor();
    await vehicle.locator('tbody tr').first().locator('input').first().fill('bad no!');
    await vehicle.getByRole('button', { name: zh['batteries.saveVehicle'] }).click();
    const refusal = vehicle.locator('.state-error');
    await refusal.waitFor();
    // The same write through the API: the registry's code and its message naming the field.
    const refused = await w.app.inject({
      method: 'POST',
      url: `/batteryInfo/updateBatteryInfoByVinCode/${VIN_A}`,
      headers: await w.as('operator'),
      payload: {
        batteryGroupNo: '00B-00071',
        batteryInfo: [{ batteryNo: 'bad no!', bmsNo: 'C2AB0000018C', batteryType: 2 }],
      },
    });
    const { code, msg } = refused.json() as { code: string; msg: string };
    assert.equal(code, '1001');
    assert.match(msg, /batteryNo/);
    assert.equal(await refusal.textContent(), `${zh['code.1001']}（${msg}）`);
    const stored = (
      await w.app.inject({ url: `/batteryInfo/getBatteryInfoEsbpByVin/${VIN_A}`, headers: await w.as('viewer') })
    ).json().data;
    assert.deepEqual(
      stored.batteryInfo.map((p: { batteryNo: string }) => p.batteryNo),
      ['4017052327'],
    );
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  it('moves a pack by battery number: a bad target VIN is refused in English, a good one saved', async () => {
    const page = await newPage(w);
    const errors = collectErrors(page);
    await loginAs(w, page, 'operator', '/batteries/');
    await page.getByRole('button', { name: en['batteries.by.battery'] }).click();
    await page.locator('input[name=q]').fill('4017052399');
    await page.getByRole('button', { name: en['batteries.search'] }).click();
    const pack = page.getByTestId('pack');
    await pack.waitFor();
    const target = pack.getByPlaceholder(en['batteries.moveTo']);
    await target.fill('NOT-A-VIN');
    await pack.getByRole('button', { name: en['batteries.doMove'] }).click();
    const refusal = pack.locator('.state-error');
    await refusal.waitFor();
    const text = (await refusal.textContent())!;
    assert.ok(text.startsWith(`${en['code.1001']} (vinCode `), text);
    await target.fill(VIN_A);
    await pack.getByRole('button', { name: en['batteries.doMove'] }).click();
    await pack.locator('.state-ok', { hasText: en['batteries.saved'] }).waitFor();
    await pack.locator('td', { hasText: VIN_A }).waitFor();
    const stored = (
      await w.app.inject({
        url: '/batteryInfo/getBatteryInfoEsbpByBatteryNo/4017052399',
        headers: await w.as('viewer'),
      })
    ).json().data;
    assert.equal(stored.vinCode, VIN_A);
    assert.deepEqual(errors, []);
    await page.context().close();
  });
});
