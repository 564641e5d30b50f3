import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { engineName } from '../../../helpers/db.ts';
import { siteHistoryViewer } from '../../../helpers/site-history.ts';

const LOCAL_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;

// Seed 004 §2.1, keys in the seed's order.
const DETAIL_KEYS = [
  'vchchargerid',
  'vchModelID',
  'vchvenderid',
  'vchSerialNo',
  'vchFirmwareVer',
  'dblAccumlatedPower',
  'dblAccumlatedMinute',
  'vchIP',
  'vchMac',
  'vchSoket',
  'vchstate',
  'intcurrentfeedback',
  'intcurrent',
  'intchargingcurrent',
  'intconsumedenergy',
  'intElapsedTime',
  'intchargingphase',
  'vchcommand',
  'dblmaxcurrent',
  'dblmincurrent',
  'intMaxPhase',
];
const RECORD_KEYS = [
  'intrecordid',
  'intchargingcode',
  'vchchargerid',
  'dttstartqueue',
  'dttstarttime',
  'dttfinishtime',
  'dttrealfinish',
];

describe(`seed 2.1 charger details and 2.2 records on ${engineName}`, () => {
  const { s, inject: get } = siteHistoryViewer();

  it('2.1 without charger_id describes the most recently active charger, mid-session', async () => {
    const res = await get('/api/charger/details/');
    assert.equal(res.statusCode, 200);
    const r = res.json().result;
    assert.deepEqual(Object.keys(res.json()), ['result']);
    assert.deepEqual(Object.keys(r), DETAIL_KEYS);
    assert.deepEqual(r, {
      vchchargerid: 'CP-B',
      vchModelID: 'EVC32N',
      vchvenderid: 'evpower',
      vchSerialNo: 'SN-CP-B',
      vchFirmwareVer: '3.1',
      dblAccumlatedPower: 20,
      dblAccumlatedMinute: 120,
      vchIP: null,
      vchMac: '',
      vchSoket: 'GBT',
      vchstate: 'Charging',
      intcurrentfeedback: 16,
      intcurrent: 32,
      intchargingcurrent: 32,
      intconsumedenergy: 1200,
      intElapsedTime: 120,
      intchargingphase: 1,
      vchcommand: 'StatusNotification',
      dblmaxcurrent: 32,
      dblmincurrent: 8,
      intMaxPhase: 1,
    });
  });

  it('2.1 of an idle charger: totals of its finished sessions, zeros for the session figures', async () => {
    const r = (await get('/api/charger/details?charger_id=CP-A')).json().result;
    assert.equal(r.dblAccumlatedPower, 18);
    assert.equal(r.dblAccumlatedMinute, 60 + 70 + 60);
    assert.equal(r.vchstate, 'Available');
    assert.deepEqual([r.intcurrentfeedback, r.intchargingcurrent, r.intconsumedenergy, r.intElapsedTime], [0, 0, 0, 0]);
    const never = (await get('/api/charger/details/?charger_id=CP-H')).json().result;
    assert.deepEqual([never.vchstate, never.vchModelID, never.vchcommand, never.dblAccumlatedPower], ['', '', '', 0]);
  });

  it('2.1 with an unknown charger answers 404 naming the field', async () => {
    const res = await get('/api/charger/details/?charger_id=NOPE');
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().code, 'NOT_FOUND');
    assert.ok(res.json().fields.charger_id);
  });

  it('2.2 lists what started on the site-local day, oldest first, running sessions without a real finish', async () => {
    const res = await get('/api/charging/record/list/?date=2026-03-15');
    assert.equal(res.statusCode, 200);
    const list = res.json().result;
    for (const rec of list) {
      assert.deepEqual(Object.keys(rec), RECORD_KEYS);
      for (const k of ['dttstartqueue', 'dttstarttime']) assert.match(rec[k], LOCAL_ISO);
    }
    assert.deepEqual(list, [
      {
        intrecordid: s.t.ids.s3,
        intchargingcode: 3,
        vchchargerid: 'CP-A',
        dttstartqueue: '2026-03-15T01:30:00',
        dttstarttime: '2026-03-15T01:30:00',
        dttfinishtime: '2026-03-15T04:00:00',
        dttrealfinish: '2026-03-15T02:30:00',
      },
      {
        intrecordid: s.t.ids.run,
        intchargingcode: 2,
        vchchargerid: 'CP-B',
        dttstartqueue: '2026-03-15T13:58:00',
        dttstarttime: '2026-03-15T14:00:00',
        dttfinishtime: null,
        dttrealfinish: null,
      },
    ]);
  });

  it('2.2 cuts days in the site zone and filters by charger', async () => {
    assert.deepEqual(
      (await get('/api/charging/record/list/?date=2026-03-14')).json().result,
      [],
      'UTC 14 March is local 15 March',
    );
    const dec31 = (await get('/api/charging/record/list?date=2025-12-31')).json().result;
    assert.deepEqual(
      dec31.map((r: { intrecordid: number; dttfinishtime: string }) => [r.intrecordid, r.dttfinishtime]),
      [[s.t.ids.s1, '2026-01-01T00:30:00']],
    );
    const onlyB = (await get('/api/charging/record/list/?date=2026-03-15&charger_id=CP-B')).json().result;
    assert.deepEqual(
      onlyB.map((r: { intrecordid: number }) => r.intrecordid),
      [s.t.ids.run],
    );
  });

  it('2.2 refuses a bad date or an unknown charger', async () => {
    for (const date of ['2026-02-30', '15-03-2026', '2026-3-5', '']) {
      const res = await get(`/api/charging/record/list/?date=${date}`);
      assert.equal(res.statusCode, 400, date);
      assert.ok(res.json().fields.date, date);
    }
    assert.equal((await get('/api/charging/record/list/')).statusCode, 400);
    assert.equal((await get('/api/charging/record/list/?date=2026-03-15&charger_id=NOPE')).statusCode, 404);
  });

  it('one record in full for the "Start" modal', async () => {
    const res = await get(`/api/charging/record/${s.t.ids.s3}/`);
    assert.equal(res.statusCode, 200);
    const r = res.json().result;
    assert.deepEqual(Object.keys(r).slice(0, 7), RECORD_KEYS);
    assert.deepEqual(r, {
      intrecordid: s.t.ids.s3,
      intchargingcode: 3,
      vchchargerid: 'CP-A',
      dttstartqueue: '2026-03-15T01:30:00',
      dttstarttime: '2026-03-15T01:30:00',
      dttfinishtime: '2026-03-15T04:00:00',
      dttrealfinish: '2026-03-15T02:30:00',
      intconnectorid: 1,
      vchidtag: 'TAG-S3',
      intmeterstart: 7000,
      intmeterstop: 9500,
      dblenergy: 2.5,
      dblminutes: 60,
      vchstopreason: 'EVDisconnected',
      blnmeteranomaly: 0,
    });
    const running = (await get(`/api/charging/record/${s.t.ids.run}`)).json().result;
    assert.deepEqual(
      [running.intmeterstop, running.dblenergy, running.dblminutes, running.vchstopreason],
      [null, 1.2, 120, null],
    );
    assert.equal((await get('/api/charging/record/999999/')).statusCode, 404);
    assert.equal((await get('/api/charging/record/abc/')).statusCode, 400);
  });
});
