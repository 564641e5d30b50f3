import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { engineName } from '../../../helpers/db.ts';
import { siteHistoryViewer } from '../../../helpers/site-history.ts';
import { STATE_CATEGORIES, stateShare } from '../../../../server/api/seed/state-share.ts';
import { publishState } from '../../../../server/ocpp/context.ts';

describe(`seed 2.6 – 2.9, 2.12 – 2.14 overview and devices on ${engineName}`, () => {
  const { s, json: get } = siteHistoryViewer();

  it('2.6 counts chargers, finished energy and minutes, chargers charging now', async () => {
    const body = await get('/api/charger/info/statistic/');
    assert.deepEqual(Object.keys(body), ['total_charger', 'accumulate_power', 'accumulate_minutes', 'total_charging']);
    assert.deepEqual(body, { total_charger: 9, accumulate_power: 38, accumulate_minutes: 310, total_charging: 1 });
  });

  it('2.7 lists finished sessions newest first with site-local finish times and kWh', async () => {
    const body = await get('/api/recent/charging/record/list/');
    assert.deepEqual(Object.keys(body), ['num', 'result']);
    assert.equal(body.num, 7);
    assert.deepEqual(body.result, [
      { intrecordid: s.t.ids.s3, dttfinishtime: '2026-03-15 02:30:00', dblenergy: 2.5 },
      { intrecordid: s.t.ids.s2, dttfinishtime: '2026-03-01 00:10:00', dblenergy: 5.5 },
      { intrecordid: s.t.ids.s1, dttfinishtime: '2026-01-01 00:30:00', dblenergy: 10 },
      { intrecordid: s.t.ids.old, dttfinishtime: '2025-06-10 12:00:00', dblenergy: 20 },
    ]);
    const two = await get('/api/recent/charging/record/list?num=2');
    assert.deepEqual([two.num, two.result.length], [2, 2]);
  });

  it('2.7 bounds num', async () => {
    for (const num of ['0', '-1', '1001', 'x', '2.5']) {
      const res = await s.t.app.inject({ url: `/api/recent/charging/record/list/?num=${num}`, headers: s.h });
      assert.equal(res.statusCode, 400, num);
      assert.ok(res.json().fields.num, num);
    }
  });

  it('2.8 lists every charger, most recently heard first', async () => {
    const body = await get('/api/recent/charger/state/list/');
    assert.deepEqual(
      body.result.map((r: { vchchargerid: string }) => r.vchchargerid),
      ['CP-B', 'CP-C', 'CP-A', 'CP-E', 'CP-F', 'CP-G', 'CP-I', 'CP-D', 'CP-H'],
    );
    assert.deepEqual(body.result[0], { vchchargerid: 'CP-B', vchstate: 'Charging', vchcommand: 'StatusNotification' });
    assert.deepEqual(body.result[1], { vchchargerid: 'CP-C', vchstate: 'BootUp', vchcommand: 'BootNotification' });
  });

  it('2.9 counts each charger once in its present category; shares add to exactly 100', async () => {
    const body = await get('/api/charger/state/statistic/');
    assert.deepEqual(body.result.map((o: object) => Object.keys(o)).flat(), [...STATE_CATEGORIES]);
    const share = Object.assign({}, ...body.result) as Record<string, number>;
    // 9 chargers: 7 alone in a category (11.11 %), Other holds the offline and the never-connected one.
    assert.deepEqual(share, {
      BootUp: 11.11,
      Available: 11.11,
      PreParing: 11.11,
      Charging: 11.11,
      StatusChanged: 0,
      StopCharging: 0,
      RemoteCharging: 11.11,
      RemoteStopCharging: 0,
      SendMessage: 0,
      Updating: 0,
      Unavailable: 0,
      Reboot: 0,
      Faulted: 0,
      SupsendedEV: 11.11,
      Finishing: 11.11,
      Other: 22.23,
    });
    assert.equal(Math.round(Object.values(share).reduce((a, b) => a + b, 0) * 100), 10_000);
  });

  it('2.9 transitional states win over the status and end when cleared', async () => {
    // Straight to the repository, then the event the command and boot paths publish after their writes.
    await s.t.app.repos.chargers.setTransitional('CP-A', 'Reboot', new Date('2026-03-15T07:00:00Z'));
    await publishState(s.t.app, 'CP-A');
    let share = Object.assign({}, ...(await get('/api/charger/state/statistic/')).result);
    assert.equal(share.Reboot, 11.11);
    assert.equal(share.Available, 0);
    await s.t.app.repos.chargers.recordBoot(
      'CP-A',
      { vendor: 'evpower', model: 'Amos_EVG-32N' },
      new Date('2026-03-15T07:01:00Z'),
    );
    s.t.app.events.publish({ type: 'boot', chargerId: 'CP-A', at: '2026-03-15T07:01:00Z', registration: 'Accepted' });
    share = Object.assign({}, ...(await get('/api/charger/state/statistic/')).result);
    // BootUp and Other hold 2 of 9 each; the one spare hundredth goes to the earlier category.
    assert.deepEqual([share.Reboot, share.BootUp, share.Other], [0, 22.23, 22.22]);
  });

  it('largest-remainder rounding: thirds and sevenths add to 100, no charger gives zeros', () => {
    const on = (state: string) => ({ state, transitionalState: null, online: true });
    const sum = (rows: Record<string, number>[]) =>
      Math.round(rows.reduce((a, o) => a + Object.values(o)[0]!, 0) * 100);
    const thirds = stateShare([on('Available'), on('Charging'), on('Faulted')]);
    assert.deepEqual(
      thirds.filter((o) => Object.values(o)[0]! > 0),
      [{ Available: 33.34 }, { Charging: 33.33 }, { Faulted: 33.33 }],
    );
    const sevenths = stateShare(
      ['Available', 'Available', 'Charging', 'Faulted', 'Finishing', 'SuspendedEVSE', 'Reserved'].map(on),
    );
    assert.equal(sum(sevenths), 10_000);
    assert.deepEqual(Object.assign({}, ...sevenths).Other, 28.57);
    assert.ok(stateShare([]).every((o) => Object.values(o)[0] === 0));
    assert.equal(stateShare([]).length, 16);
  });

  it('2.12 ids, 2.13 phase limits from the settings, 2.14 devices', async () => {
    assert.deepEqual(await get('/api/charger/id/list/'), {
      chargers: ['CP-A', 'CP-B', 'CP-C', 'CP-D', 'CP-E', 'CP-F', 'CP-G', 'CP-H', 'CP-I'],
    });
    assert.deepEqual(await get('/api/max/current/list'), {
      int_max_current_a: 32,
      int_max_current_b: 32,
      int_max_current_c: 32,
    });
    await s.t.app.repos.settings.update({ intmaxcurrentb: 25 }, 'test', new Date(0));
    assert.equal((await get('/api/max/current/list/')).int_max_current_b, 25);
    const devices = (await get('/api/charger/list/')).data;
    assert.equal(devices.length, 9);
    assert.deepEqual(Object.keys(devices[0]), ['vch_charger_id', 'vch_firmware_ver', 'vch_model_id', 'vch_state']);
    assert.deepEqual(devices[1], {
      vch_charger_id: 'CP-B',
      vch_firmware_ver: '3.1',
      vch_model_id: 'EVC32N',
      vch_state: 'Charging',
    });
    assert.deepEqual(devices[7], { vch_charger_id: 'CP-H', vch_firmware_ver: '', vch_model_id: '', vch_state: null });
  });

  it('every seed route needs a login and answers a viewer', async () => {
    for (const url of [
      '/api/charger/details/',
      '/api/charger/info/statistic/',
      '/api/charger/state/statistic/',
      '/bmw/chart/getRecentChargerRecords/?mode=1',
    ]) {
      assert.equal((await s.t.app.inject({ url })).statusCode, 401, url);
    }
  });
});
