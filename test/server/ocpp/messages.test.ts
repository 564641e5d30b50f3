import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { rawRows } from '../../../db/raw.ts';
import type { ManualClock } from '../../../server/clock.ts';
import type { RPCClient } from '../../../server/ocpp/rpc.ts';
import { engineName } from '../../helpers/db.ts';
import { BOOT, bootedCharger, createOcppTestApp, nextEvent, type OcppTestApp } from '../../helpers/ocpp.ts';
import { scrape } from '../../helpers/metrics.ts';

const T = (min: number) => new Date(Date.parse('2026-03-15T08:00:00Z') + min * 60_000).toISOString();

describe(`OCPP charger → system messages on ${engineName}`, () => {
  let t: OcppTestApp;
  let cp: RPCClient;
  let other: RPCClient;
  before(async () => {
    t = await createOcppTestApp({ config: { ocppHeartbeatInterval: 120, ocppDataTransferVendors: ['evpower'] } });
    const admin = await t.as('admin');
    for (const payload of [
      { idTag: 'GOOD' },
      { idTag: 'PARENT' },
      { idTag: 'CHILD', parentIdTag: 'PARENT', expiryDate: '2027-01-01T00:00:00Z' },
      { idTag: 'BLOCKED', blocked: true },
      { idTag: 'OLD', expiryDate: '2026-01-01T00:00:00Z' },
      { idTag: 'OTHER' },
    ]) {
      const res = await t.app.inject({ method: 'POST', url: '/api/id-tags', headers: admin, payload });
      assert.equal(res.statusCode, 201, res.body);
    }
    cp = await bootedCharger(t, 'CP1');
    other = await bootedCharger(t, 'CP2');
  });
  after(() => t.close());

  it('BootNotification stores the charger and answers Accepted with the heartbeat interval', async () => {
    const boot = nextEvent(t, (e) => e.type === 'boot' && e.chargerId === 'CP1');
    const res = (await cp.call('BootNotification', { ...BOOT, firmwareVersion: '3', meterType: 'DDS' })) as {
      status: string;
      interval: number;
      currentTime: string;
    };
    assert.deepEqual(res, { status: 'Accepted', interval: 120, currentTime: t.clock.now().toISOString() });
    assert.equal(((await boot) as { registration: string }).registration, 'Accepted');
    const c = (await t.app.repos.chargers.get('CP1'))!;
    assert.equal(c.model, 'Amos_EVG-32N');
    assert.equal(c.firmwareVersion, '3');
    assert.equal(c.meterType, 'DDS');
    assert.equal(c.state, 'BootUp', 'BootUp until the first StatusNotification (docs/PRODUCT.md §3)');
    assert.equal(c.lastCommand, 'BootNotification');
    assert.equal(c.heartbeatInterval, 120);
  });

  it('Heartbeat answers the injected clock and records the last action', async () => {
    (t.clock as ManualClock).advance(1000);
    const res = (await cp.call('Heartbeat', {})) as { currentTime: string };
    assert.equal(res.currentTime, '2026-03-15T08:00:01.000Z');
    // Kept in memory and written every few seconds (server/ocpp/seen-buffer.ts), or by a flush.
    await t.app.ocpp.seen.flush();
    const c = (await t.app.repos.chargers.get('CP1'))!;
    assert.equal(c.lastCommand, 'Heartbeat');
    assert.equal(c.lastSeenAt?.toISOString(), '2026-03-15T08:00:01.000Z');
  });

  it('StatusNotification is stored per connector with its error code, and becomes the legacy state', async () => {
    const ev = nextEvent(t, (e) => e.type === 'status' && e.chargerId === 'CP1' && e.connectorId === 2);
    await cp.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Preparing' });
    await cp.call('StatusNotification', {
      connectorId: 2,
      errorCode: 'GroundFailure',
      status: 'Faulted',
      info: 'RCD tripped',
      vendorErrorCode: 'E12',
    });
    assert.deepEqual(
      { ...(await ev), at: undefined },
      {
        type: 'status',
        chargerId: 'CP1',
        at: undefined,
        connectorId: 2,
        status: 'Faulted',
        errorCode: 'GroundFailure',
        state: 'Faulted',
      },
    );
    const res = await t.app.inject({ url: '/api/chargers/CP1', headers: await t.as('viewer') });
    const body = res.json();
    assert.equal(body.state, 'Faulted');
    assert.equal(body.lastCommand, 'StatusNotification');
    assert.deepEqual(
      body.connectors.map((c: { connectorId: number; status: string; errorCode: string; info: string | null }) => [
        c.connectorId,
        c.status,
        c.errorCode,
        c.info,
      ]),
      [
        [1, 'Preparing', 'NoError', null],
        [2, 'Faulted', 'GroundFailure', 'RCD tripped'],
      ],
    );
  });

  it('Authorize answers the tag status from the list: Accepted, Blocked, Expired, Invalid, with parent and expiry', async () => {
    const status = async (idTag: string) =>
      ((await cp.call('Authorize', { idTag })) as { idTagInfo: Record<string, string> }).idTagInfo;
    assert.deepEqual(await status('GOOD'), { status: 'Accepted' });
    assert.deepEqual(await status('CHILD'), {
      status: 'Accepted',
      parentIdTag: 'PARENT',
      expiryDate: '2027-01-01T00:00:00.000Z',
    });
    assert.equal((await status('BLOCKED')).status, 'Blocked');
    assert.equal((await status('OLD')).status, 'Expired');
    assert.equal((await status('NOBODY')).status, 'Invalid');
    assert.deepEqual(
      await status('good'),
      { status: 'Accepted' },
      'IdToken is a CiString (§7.29): case does not matter',
    );
    await t.app.ocpp.seen.flush(); // the last command is kept in memory (server/ocpp/mark-seen.ts)
    assert.equal((await t.app.repos.chargers.get('CP1'))!.lastCommand, 'Authorize');
  });

  let txId = 0;
  it('StartTransaction records the session, and a resend gets the same transactionId', async () => {
    const started = nextEvent(t, (e) => e.type === 'transaction.started' && e.chargerId === 'CP1');
    const req = { connectorId: 1, idTag: 'GOOD', meterStart: 10_000, timestamp: T(5) };
    const a = (await cp.call('StartTransaction', req)) as { transactionId: number; idTagInfo: { status: string } };
    const b = (await cp.call('StartTransaction', req)) as { transactionId: number; idTagInfo: { status: string } };
    assert.equal(a.idTagInfo.status, 'Accepted');
    assert.equal(b.transactionId, a.transactionId);
    assert.equal(b.idTagInfo.status, 'Accepted', 'the resend is not its own ConcurrentTx');
    txId = a.transactionId;
    const ev = (await started) as { sessionNumber: number; transactionId: number };
    assert.equal(ev.transactionId, txId);
    assert.equal(ev.sessionNumber, 1);
    const tx = (await t.app.repos.transactions.get(txId))!;
    assert.equal(tx.meterStart, 10_000);
    assert.equal(
      tx.queuedAt?.toISOString(),
      '2026-03-15T08:00:01.000Z',
      'dttstartqueue is when connector 1 went Preparing',
    );
    const rows = await rawRows(t.database.db, sql`select id from transactions where charger_id = 'CP1'`);
    assert.equal(rows.length, 1);
  });

  it('a tag already charging is ConcurrentTx elsewhere; a non-accepted start is still recorded (OCPP 1.6 §4.8)', async () => {
    const auth = (await other.call('Authorize', { idTag: 'Good' })) as { idTagInfo: { status: string } };
    assert.equal(auth.idTagInfo.status, 'ConcurrentTx', 'the same card in another case');
    const here = (await cp.call('Authorize', { idTag: 'GOOD' })) as { idTagInfo: { status: string } };
    assert.equal(here.idTagInfo.status, 'Accepted', 'at its own charger the card may stop the session');
    (t.clock as ManualClock).set(T(6)); // a live charger: its messages arrive when it stamps them
    const res = (await other.call('StartTransaction', {
      connectorId: 1,
      idTag: 'BLOCKED',
      meterStart: 0,
      timestamp: T(6),
    })) as { transactionId: number; idTagInfo: { status: string } };
    assert.equal(res.idTagInfo.status, 'Blocked');
    const tx = (await t.app.repos.transactions.get(res.transactionId))!;
    assert.equal(tx.chargerId, 'CP2');
    assert.equal(tx.idTag, 'BLOCKED');
    (t.clock as ManualClock).set(T(7));
    await other.call('StopTransaction', {
      transactionId: res.transactionId,
      meterStop: 0,
      timestamp: T(7),
      reason: 'DeAuthorized',
    });
  });

  it('MeterValues stores every sampled value once and updates the live session', async () => {
    (t.clock as ManualClock).set(T(10));
    const meter = nextEvent(t, (e) => e.type === 'meter' && e.chargerId === 'CP1');
    const req = {
      connectorId: 1,
      transactionId: txId,
      meterValue: [
        {
          timestamp: T(10),
          sampledValue: [
            {
              value: '12.5',
              measurand: 'Energy.Active.Import.Register',
              unit: 'kWh',
              context: 'Sample.Periodic',
              location: 'Outlet',
            },
            { value: '15.9', measurand: 'Current.Import', phase: 'L1', unit: 'A' },
            { value: '16.1', measurand: 'Current.Import', phase: 'L2', unit: 'A' },
            { value: '3.7', measurand: 'Power.Active.Import', unit: 'kW' },
          ],
        },
      ],
    };
    assert.deepEqual(await cp.call('MeterValues', req), {});
    assert.deepEqual(await cp.call('MeterValues', req), {}, 'a resend is answered too');
    const ev = (await meter) as {
      transactionId: number;
      values: { measurand: string; phase?: string; value: number }[];
    };
    assert.equal(ev.transactionId, txId);
    assert.deepEqual(
      ev.values.map((v) => [v.measurand, v.phase ?? '', v.value]),
      [
        ['Energy.Active.Import.Register', '', 12.5],
        ['Current.Import', 'L1', 15.9],
        ['Current.Import', 'L2', 16.1],
        ['Power.Active.Import', '', 3.7],
      ],
    );
    const rows = await rawRows(
      t.database.db,
      sql`select measurand, phase, unit, context, location, value from meter_values where transaction_id = ${txId} order by id`,
    );
    assert.equal(rows.length, 4, 'stored once');
    assert.deepEqual(rows[0], {
      measurand: 'Energy.Active.Import.Register',
      phase: '',
      unit: 'kWh',
      context: 'Sample.Periodic',
      location: 'Outlet',
      value: '12.5',
    });
    const tx = (await t.app.repos.transactions.get(txId))!;
    assert.equal(tx.liveEnergyWh, 2500, '12.5 kWh register − 10 000 Wh meterStart');
    assert.equal(tx.liveCurrentA, 16.1);
    assert.equal(tx.livePowerW, 3700);
    assert.equal((await t.app.repos.chargers.get('CP1'))!.lastCommand, 'MeterValues');
  });

  it('StopTransaction with transactionData finishes the session once; a resend changes nothing', async () => {
    (t.clock as ManualClock).set(T(40));
    const stopped = nextEvent(t, (e) => e.type === 'transaction.stopped' && e.chargerId === 'CP1');
    const req = {
      transactionId: txId,
      idTag: 'GOOD',
      meterStop: 14_000,
      timestamp: T(40),
      reason: 'EVDisconnected',
      transactionData: [{ timestamp: T(40), sampledValue: [{ value: '14000', context: 'Transaction.End' }] }],
    };
    const a = await cp.call('StopTransaction', req);
    assert.deepEqual(a, { idTagInfo: { status: 'Accepted' } });
    assert.deepEqual(await cp.call('StopTransaction', { ...req, meterStop: 99_999 }), a);
    assert.equal(((await stopped) as { energyWh: number }).energyWh, 4000);
    const tx = (await t.app.repos.transactions.get(txId))!;
    assert.equal(tx.meterStop, 14_000);
    assert.equal(tx.energyWh, 4000);
    assert.equal(tx.stopReason, 'EVDisconnected');
    await t.app.ocpp.seen.flush();
    const c = (await t.app.repos.chargers.get('CP1'))!;
    assert.equal(c.energyWhTotal, 4000);
    assert.equal(c.minutesTotal, 35);
    assert.equal(c.lastCommand, 'StopTransaction');
    const [end] = await rawRows(
      t.database.db,
      sql`select value, context from meter_values where transaction_id = ${txId} and context = 'Transaction.End'`,
    );
    assert.deepEqual(end, { value: '14000', context: 'Transaction.End' });
    const daily = await rawRows(
      t.database.db,
      sql`select day::text as day, energy_wh::int as e, sessions from energy_daily where charger_id = 'CP1'`,
    );
    assert.deepEqual(daily, [{ day: '2026-03-15', e: 4000, sessions: 1 }]);
  });

  it('a StopTransaction for an unknown transaction is answered and kept for the operator', async () => {
    assert.deepEqual(await cp.call('StopTransaction', { transactionId: 999_999, meterStop: 1, timestamp: T(41) }), {});
    const events = await t.app.repos.chargerEvents.list('CP1', 'UnknownStopTransaction');
    assert.equal(events.length, 1);
  });

  it('DataTransfer is stored; only configured vendors are Accepted', async () => {
    assert.deepEqual(await cp.call('DataTransfer', { vendorId: 'evpower', messageId: 'temp', data: '41.5' }), {
      status: 'Accepted',
    });
    assert.deepEqual(await cp.call('DataTransfer', { vendorId: 'acme' }), { status: 'UnknownVendorId' });
    const events = await t.app.repos.chargerEvents.list('CP1', 'DataTransfer');
    assert.deepEqual(events.map((e) => e.payload).reverse(), [
      { vendorId: 'evpower', messageId: 'temp', data: '41.5' },
      { vendorId: 'acme' },
    ]);
    await t.app.ocpp.seen.flush();
    assert.equal((await t.app.repos.chargers.get('CP1'))!.lastCommand, 'DataTransfer');
  });

  it('Firmware and diagnostics status notifications are stored', async () => {
    assert.deepEqual(await cp.call('FirmwareStatusNotification', { status: 'Downloading' }), {});
    assert.deepEqual(await cp.call('DiagnosticsStatusNotification', { status: 'Uploaded' }), {});
    const c = (await t.app.repos.chargers.get('CP1'))!;
    assert.equal(c.firmwareStatus, 'Downloading');
    assert.equal(c.diagnosticsStatus, 'Uploaded');
    assert.equal(c.lastCommand, 'DiagnosticsStatusNotification');
    assert.equal((await t.app.repos.chargerEvents.list('CP1', 'FirmwareStatusNotification')).length, 1);
  });

  it('messages of one charger are handled in the order sent', async () => {
    // Fired without awaiting: the last status must win even if an earlier write is slower.
    const statuses = ['Preparing', 'Charging', 'SuspendedEV', 'Charging', 'Finishing', 'Available'];
    await Promise.all(
      statuses.map((status) => cp.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status })),
    );
    const [conn] = await t.app.repos.chargers.connectors('CP1');
    assert.equal(conn!.status, 'Available');
    assert.equal((await t.app.repos.chargers.get('CP1'))!.state, 'Available');
  });

  it('metrics count calls by action and outcome and time the handlers', async () => {
    const res = { body: await scrape(t) };
    assert.match(res.body, /ocpp_connected_chargers 2/);
    assert.match(res.body, /ocpp_calls_total\{action="Heartbeat",direction="in",outcome="ok"\} 1/);
    assert.match(res.body, /ocpp_handler_duration_seconds_count\{action="MeterValues"\} 2/);
  });
});
