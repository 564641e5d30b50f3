import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import type { ChargerEvent } from '../../contracts/events.ts';
import { BOOT, chargePoint, createOcppTestApp, nextEvent, registerCharger, type OcppTestApp } from '../helpers/ocpp.ts';
import { engineName } from '../helpers/db.ts';

/**
 * The whole path a dashboard user relies on: a strict OCPP 1.6J charger talks
 * to the central system, a live subscriber sees its meter values within a
 * second (seed 004 §2.3), and the seed API answers from what it stored.
 */
describe(`charger to dashboard on ${engineName}`, () => {
  let t: OcppTestApp;
  let live: WebSocket;
  const received: { event: ChargerEvent; at: number }[] = [];

  before(async () => {
    t = await createOcppTestApp({ clock: { now: () => new Date() } });
    await registerCharger(t, '21509006');
    const viewer = await t.as('viewer');
    // The Origin a browser sends from the dashboard served on the same port.
    const origin = t.endpoint.replace('ws://', 'http://').replace('/ocpp', '');
    live = new WebSocket(`${t.endpoint.replace('/ocpp', '/api/live')}?charger_id=21509006`, {
      headers: { ...viewer, origin },
    });
    live.on('message', (d) => received.push({ event: JSON.parse(String(d)) as ChargerEvent, at: Date.now() }));
    await once(live, 'open');
  });
  after(async () => {
    live.close();
    await t.close();
  });

  const waitFor = async (match: (e: ChargerEvent) => boolean, sentAt: number): Promise<number> => {
    for (;;) {
      const hit = received.find((r) => match(r.event) && r.at >= sentAt);
      if (hit) return hit.at - sentAt;
      await once(live, 'message');
    }
  };

  it('a session reported over OCPP reaches the live subscriber within 1 s and the seed API', async () => {
    const cp = chargePoint(t, '21509006');
    await cp.connect();
    assert.equal(((await cp.call('BootNotification', BOOT)) as { status: string }).status, 'Accepted');
    await cp.call('StatusNotification', { connectorId: 1, status: 'Preparing', errorCode: 'NoError' });
    const start = (await cp.call('StartTransaction', {
      connectorId: 1,
      idTag: 'ANYTAG',
      meterStart: 1000,
      timestamp: new Date().toISOString(),
    })) as { transactionId: number };
    await cp.call('StatusNotification', { connectorId: 1, status: 'Charging', errorCode: 'NoError' });

    const sentAt = Date.now();
    const meterEvent = nextEvent(t, (e) => e.type === 'meter' && e.chargerId === '21509006');
    await cp.call('MeterValues', {
      connectorId: 1,
      transactionId: start.transactionId,
      meterValue: [
        {
          timestamp: new Date().toISOString(),
          sampledValue: [
            { value: '2500', measurand: 'Energy.Active.Import.Register', unit: 'Wh' },
            { value: '16.0', measurand: 'Current.Import', phase: 'L1', unit: 'A' },
          ],
        },
      ],
    });
    const latency = await waitFor((e) => e.type === 'meter' && e.chargerId === '21509006', sentAt);
    assert.ok(latency < 1000, `meter value reached the subscriber after ${latency} ms`);
    const meter = (await meterEvent) as { sessionEnergyWh?: number };
    assert.equal(meter.sessionEnergyWh, 1500, 'the session so far: register 2500 − meterStart 1000');

    const headers = await t.as('viewer');
    const details = (await t.app.inject({ url: '/api/charger/details/?charger_id=21509006', headers })).json().result;
    assert.equal(details.vchstate, 'Charging');
    assert.equal(details.vchcommand, 'MeterValues');
    assert.equal(details.vchModelID, 'Amos_EVG-32N');

    // The aggregate answers are shared through the read cache: fill it while charging...
    const get = async (url: string) => (await t.app.inject({ url, headers })).json();
    const during = await get('/api/charger/info/statistic/');
    assert.deepEqual([during.total_charging, during.accumulate_power], [1, 0]);
    assert.deepEqual((await get('/bmw/chart/getAllRecentChargerRecords/?mode=3&offset=1')).y, [0]);
    assert.equal((await get('/api/recent/charger/state/list/')).result[0].vchstate, 'Charging');

    await cp.call('StopTransaction', {
      transactionId: start.transactionId,
      meterStop: 4000,
      timestamp: new Date().toISOString(),
      reason: 'EVDisconnected',
    });
    await cp.call('StatusNotification', { connectorId: 1, status: 'Finishing', errorCode: 'NoError' });
    await waitFor((e) => e.type === 'transaction.stopped' && e.chargerId === '21509006', sentAt);
    // ...and the charger's own events make every one of them stale at once.
    const stats = await get('/api/charger/info/statistic/');
    assert.equal(stats.total_charger, 1);
    assert.equal(stats.accumulate_power, 3);
    assert.equal(stats.total_charging, 0);
    assert.deepEqual((await get('/bmw/chart/getAllRecentChargerRecords/?mode=3&offset=1')).y, [3]);
    assert.equal((await get('/api/recent/charger/state/list/')).result[0].vchstate, 'Finishing');
    const recent = (await t.app.inject({ url: '/api/recent/charging/record/list/?num=1', headers })).json();
    assert.equal(recent.result[0].intrecordid, start.transactionId);
    assert.equal(recent.result[0].dblenergy, 3);
  });
});
