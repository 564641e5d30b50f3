import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { collectErrors, loginAs, newPage, screenshot, startWebApp, type WebApp } from '../helpers/browser.ts';
import { BOOT, chargePoint, registerCharger, type OcppTestApp } from '../helpers/ocpp.ts';

const OCMF_BEGIN =
  'OCMF|{"FV":"1.0","GI":"Ladesäule & Co","PG":"T1","IS":false,"RD":[{"TX":"B","RV":1.000,"RU":"kWh"}]}|{"SD":"3045022100AB"}';
const OCMF_END =
  'OCMF|{"FV":"1.0","GI":"Ladesäule & Co","PG":"T2","IS":false,"RD":[{"TX":"E","RV":3.500,"RU":"kWh"}]}|{"SD":"3045022100CD"}';

/** The site-local calendar day (YYYY-MM-DD) of an instant, as the records query takes it. */
const localDate = (at: Date, tz: string) => new Intl.DateTimeFormat('en-CA', { timeZone: tz }).format(at);

/**
 * A session whose charger (a strict OCPP 1.6 client) sent signed readings
 * (SignedData, OCMF) beside raw ones: the record modal on the details page
 * says how many, in English and Chinese, and the download is the blobs verbatim.
 */
describe('web: signed meter readings in the record modal', () => {
  let w: WebApp;
  let ocpp: OcppTestApp;
  let signedTx = 0;
  let plainTx = 0;
  const stop = new Date(Date.now() - 3_600_000);
  const at = (minBeforeStop: number) => new Date(stop.getTime() - minBeforeStop * 60_000).toISOString();

  before(async () => {
    w = await startWebApp();
    ocpp = { ...w, endpoint: `${w.base.replace('http', 'ws')}/ocpp`, clients: [] };
    await registerCharger(w, 'CP-S');
    const res = await w.app.inject({
      method: 'POST',
      url: '/api/id-tags',
      headers: await w.as('admin'),
      payload: { idTag: 'TAG-S' },
    });
    assert.equal(res.statusCode, 201, res.body);
    const cp = chargePoint(ocpp, 'CP-S');
    await cp.connect();
    await cp.call('BootNotification', BOOT);
    const start = (min: number, meterStart: number) =>
      cp.call('StartTransaction', { connectorId: 1, idTag: 'TAG-S', meterStart, timestamp: at(min) }) as Promise<{
        transactionId: number;
      }>;
    signedTx = (await start(120, 1000)).transactionId;
    await cp.call('MeterValues', {
      connectorId: 1,
      transactionId: signedTx,
      meterValue: [
        {
          timestamp: at(120),
          sampledValue: [
            { value: '1000', context: 'Transaction.Begin' },
            { value: OCMF_BEGIN, format: 'SignedData', context: 'Transaction.Begin' },
          ],
        },
      ],
    });
    await cp.call('StopTransaction', {
      transactionId: signedTx,
      meterStop: 3500,
      timestamp: at(60),
      transactionData: [
        {
          timestamp: at(60),
          sampledValue: [
            { value: '3500', context: 'Transaction.End' },
            { value: OCMF_END, format: 'SignedData', context: 'Transaction.End' },
          ],
        },
      ],
    });
    plainTx = (await start(30, 3500)).transactionId;
    await cp.call('StopTransaction', { transactionId: plainTx, meterStop: 4000, timestamp: at(0) });
  });
  after(async () => {
    await Promise.all(ocpp.clients.map((c) => c.close({ force: true })));
    await w.close();
  });

  async function openRecord(lang: 'en' | 'zh', id: number) {
    const page = await newPage(w, lang);
    const errors = collectErrors(page);
    await loginAs(w, page, 'viewer', '/details/?charger_id=CP-S');
    await page.getByTestId('record-date').fill(localDate(stop, w.app.config.siteTz));
    const pick = page.getByTestId('record-id');
    await pick.locator(`option[value="${id}"]`).waitFor({ state: 'attached' });
    await pick.selectOption(String(id));
    await page.getByRole('button', { name: lang === 'en' ? 'Start' : '开始' }).click();
    await page.getByTestId('record-full').waitFor();
    const signed = page.getByTestId('signed-readings');
    await signed.waitFor();
    return { page, errors, signed };
  }

  it('says how many signed readings a session has and downloads them byte for byte', async () => {
    const { page, errors, signed } = await openRecord('en', signedTx);
    assert.match((await signed.textContent())!, /Signed meter readings: 2/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('signed-download').click()]);
    assert.equal(download.suggestedFilename(), `session-${signedTx}-signed.txt`);
    const bytes = readFileSync((await download.path())!);
    assert.ok(bytes.equals(Buffer.from(`${OCMF_BEGIN}\n${OCMF_END}\n`, 'utf8')), bytes.toString('utf8'));
    assert.equal(
      await page.getByTestId('signed-download-xml').getAttribute('href'),
      `/api/transactions/${signedTx}/signed-readings?format=xml`,
    );
    await screenshot(page, 'details-signed-readings');
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  it('in Chinese, and a session without signed readings says so', async () => {
    const zh = await openRecord('zh', signedTx);
    assert.match((await zh.signed.textContent())!, /签名电表读数：2 条/);
    assert.match((await zh.signed.textContent())!, /下载（OCMF，每行一条）/);
    assert.deepEqual(zh.errors, []);
    await zh.page.context().close();
    const en = await openRecord('en', plainTx);
    assert.match((await en.signed.textContent())!, /No signed meter readings for this session\./);
    assert.equal(await en.page.getByTestId('signed-download').count(), 0);
    assert.deepEqual(en.errors, []);
    await en.page.context().close();
  });
});
