import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { rawRows } from '../../../db/raw.ts';
import type { ManualClock } from '../../../server/clock.ts';
import type { RPCClient } from '../../../server/ocpp/rpc.ts';
import { engineName } from '../../helpers/db.ts';
import { BOOT, bootedCharger, createOcppTestApp, nextEvent, type OcppTestApp } from '../../helpers/ocpp.ts';
import { rollupDrift } from '../../helpers/rollups.ts';

// The test clock stands at 2026-03-15T08:00:00Z (16:00 in the site's Asia/Shanghai).
const T = (min: number) => new Date(Date.parse('2026-03-15T08:00:00Z') + min * 60_000).toISOString();
type Info = { idTagInfo: { status: string } };
type Started = Info & { transactionId: number };

describe(`refused starts and sessions closed without a StopTransaction on ${engineName}`, () => {
  let t: OcppTestApp;
  const cps: Record<string, RPCClient> = {};
  const status = async (cp: string, action: 'Authorize' | 'StartTransaction', params: Record<string, unknown>) =>
    ((await cps[cp]!.call(action, params)) as Info).idTagInfo.status;
  const start = async (
    cp: string,
    params: { connectorId: number; idTag: string; meterStart: number; timestamp: string },
  ) => (await cps[cp]!.call('StartTransaction', params)) as Started;
  const totalCharging = async () =>
    (await t.app.inject({ url: '/api/charger/info/statistic/', headers: await t.as('viewer') })).json()
      .total_charging as number;
  const row = async (id: number) => (await t.app.repos.transactions.get(id))!;
  const drift = () => rollupDrift(t.database.db, t.app.config.siteTz);

  before(async () => {
    t = await createOcppTestApp();
    const admin = await t.as('admin');
    for (const idTag of ['GOOD', 'ORPHAN', 'BOOTED']) {
      const res = await t.app.inject({ method: 'POST', url: '/api/id-tags', headers: admin, payload: { idTag } });
      assert.equal(res.statusCode, 201, res.body);
    }
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/id-tags',
      headers: admin,
      payload: { idTag: 'BLOCKED', blocked: true },
    });
    assert.equal(res.statusCode, 201, res.body);
    for (const id of ['R', 'A', 'B', 'C', 'D', 'E']) cps[id] = await bootedCharger(t, id);
  });
  after(() => t.close());

  it('36 refused starts are kept, deauthorized, and none counts as charging or locks its tag', async () => {
    for (let i = 0; i < 36; i++) {
      const res = await start('R', {
        connectorId: 1,
        idTag: i % 2 ? 'NOBODY' : 'BLOCKED',
        meterStart: 1000 + i,
        timestamp: T(i),
      });
      assert.equal(res.idTagInfo.status, i % 2 ? 'Invalid' : 'Blocked');
    }
    const kept = await rawRows<{ n: number; statuses: string }>(
      t.database.db,
      sql`
      select count(*)::int as n, string_agg(distinct start_status, ',' order by start_status) as statuses
      from transactions where charger_id = 'R' and stopped_at is null`,
    );
    assert.deepEqual(
      kept,
      [{ n: 36, statuses: 'Blocked,Invalid' }],
      'the records stay (OCPP 1.6 §4.8), marked with the answer given',
    );
    assert.equal(await totalCharging(), 0, 'seed 2.6: nothing is charging');
    assert.deepEqual(await t.app.repos.transactions.openForTag('BLOCKED'), [], 'no open session holds the tag');
  });

  it('a deauthorized session counts as charging only while its connector says energy flows', async () => {
    await cps.R!.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Charging' });
    assert.equal(await totalCharging(), 1, 'StopTransactionOnInvalidId false: the charger went on charging');
    await cps.R!.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'SuspendedEV' });
    assert.equal(await totalCharging(), 1);
    await cps.R!.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Finishing' });
    assert.equal(await totalCharging(), 0);
  });

  it('Available closes every session left open on that connector', async () => {
    (t.clock as ManualClock).set(T(45));
    await cps.R!.call('StatusNotification', {
      connectorId: 1,
      errorCode: 'NoError',
      status: 'Available',
      timestamp: T(40),
    });
    const rows = await rawRows<{ n: number; cause: string; reason: string; stopped: string }>(
      t.database.db,
      sql`
      select count(*)::int as n, min(close_cause) as cause, min(stop_reason) as reason, (min(stopped_at) at time zone 'UTC')::text as stopped
      from transactions where charger_id = 'R' group by stopped_at is null`,
    );
    assert.equal(rows.length, 1, 'none is left open');
    assert.equal(rows[0]!.n, 36);
    assert.equal(rows[0]!.cause, 'connector-available');
    assert.equal(rows[0]!.reason, 'Other', 'OCPP 1.6 §7.34 Reason');
    assert.equal(rows[0]!.stopped.slice(0, 16), '2026-03-15 08:40', 'at the status timestamp, not ahead of our clock');
    assert.deepEqual(await drift(), []);
    (t.clock as ManualClock).set(T(0));
  });

  it('after a ConcurrentTx the tag starts fine elsewhere once nothing runs, and Authorize and StartTransaction agree', async () => {
    const onC = await start('C', { connectorId: 1, idTag: 'GOOD', meterStart: 0, timestamp: T(1) });
    assert.equal(onC.idTagInfo.status, 'Accepted');
    assert.equal(await status('A', 'Authorize', { idTag: 'GOOD' }), 'ConcurrentTx');
    const refused = await start('A', { connectorId: 1, idTag: 'GOOD', meterStart: 0, timestamp: T(2) });
    assert.equal(refused.idTagInfo.status, 'ConcurrentTx');
    assert.equal((await row(refused.transactionId)).startStatus, 'ConcurrentTx');
    assert.equal(await totalCharging(), 1, 'only C is charging');
    await cps.C!.call('StopTransaction', { transactionId: onC.transactionId, meterStop: 1000, timestamp: T(3) });

    // Nothing runs with GOOD now: the refused session on A must not lock it, on B or on A itself.
    assert.equal(await status('B', 'Authorize', { idTag: 'GOOD' }), 'Accepted');
    const onB = await start('B', { connectorId: 1, idTag: 'GOOD', meterStart: 0, timestamp: T(4) });
    assert.equal(onB.idTagInfo.status, 'Accepted');
    // B charges now: at A both answers say so.
    assert.equal(await status('A', 'Authorize', { idTag: 'GOOD' }), 'ConcurrentTx');
    const againOnA = await start('A', { connectorId: 2, idTag: 'GOOD', meterStart: 0, timestamp: T(5) });
    assert.equal(againOnA.idTagInfo.status, 'ConcurrentTx');
    await cps.B!.call('StopTransaction', { transactionId: onB.transactionId, meterStop: 500, timestamp: T(6) });
    await cps.A!.call('StopTransaction', {
      transactionId: againOnA.transactionId,
      meterStop: 0,
      timestamp: T(6),
      reason: 'DeAuthorized',
    });
    // Only A's first refused session is open: at A both say Accepted.
    assert.equal(await status('A', 'Authorize', { idTag: 'GOOD' }), 'Accepted');
    const nowOnA = await start('A', { connectorId: 3, idTag: 'GOOD', meterStart: 0, timestamp: T(7) });
    assert.equal(nowOnA.idTagInfo.status, 'Accepted');
    const resent = await start('A', { connectorId: 2, idTag: 'GOOD', meterStart: 0, timestamp: T(5) });
    assert.deepEqual(
      [resent.transactionId, resent.idTagInfo.status],
      [againOnA.transactionId, 'ConcurrentTx'],
      'a resend gets the answer first given',
    );
    await cps.A!.call('StopTransaction', { transactionId: nowOnA.transactionId, meterStop: 0, timestamp: T(8) });
  });

  let orphan = 0;
  it('Available without a StopTransaction closes the session with its best meter reading and counts it', async () => {
    orphan = (await start('D', { connectorId: 1, idTag: 'ORPHAN', meterStart: 1000, timestamp: T(0) })).transactionId;
    await cps.D!.call('MeterValues', {
      connectorId: 1,
      transactionId: orphan,
      meterValue: [
        { timestamp: T(20), sampledValue: [{ value: '3.5', measurand: 'Energy.Active.Import.Register', unit: 'kWh' }] },
      ],
    });
    const stopped = nextEvent(t, (e) => e.type === 'transaction.stopped' && e.transactionId === orphan);
    (t.clock as ManualClock).set(T(31));
    await cps.D!.call('StatusNotification', {
      connectorId: 1,
      errorCode: 'NoError',
      status: 'Finishing',
      timestamp: T(29),
    });
    assert.equal((await row(orphan)).stoppedAt, null, 'Finishing alone closes nothing');
    await cps.D!.call('StatusNotification', {
      connectorId: 1,
      errorCode: 'NoError',
      status: 'Available',
      timestamp: T(30),
    });
    const ev = (await stopped) as { energyWh: number; reason: string; cause: string };
    assert.deepEqual([ev.energyWh, ev.reason, ev.cause], [2500, 'Other', 'connector-available']);
    const tx = await row(orphan);
    assert.equal(tx.stoppedAt?.toISOString(), T(30), 'at the status timestamp');
    assert.deepEqual(
      [tx.meterStop, tx.energyWh, tx.stopReason, tx.closeCause, tx.closedDay],
      [3500, 2500, 'Other', 'connector-available', '2026-03-15'],
    );
    const c = (await t.app.repos.chargers.get('D'))!;
    assert.deepEqual([c.energyWhTotal, c.minutesTotal], [2500, 30]);
    assert.deepEqual(await t.app.repos.transactions.openForTag('ORPHAN'), []);
    assert.deepEqual(await drift(), []);
    (t.clock as ManualClock).set(T(0));
  });

  it('a StopTransaction arriving later replaces the automatic close; its resend changes nothing', async () => {
    const replaced = nextEvent(t, (e) => e.type === 'transaction.stopped' && e.transactionId === orphan);
    const req = {
      transactionId: orphan,
      idTag: 'ORPHAN',
      meterStop: 4000,
      timestamp: T(35),
      reason: 'EVDisconnected',
      transactionData: [{ timestamp: T(35), sampledValue: [{ value: '4000', context: 'Transaction.End' }] }],
    };
    // The charger delivers it when it happened (a stamp ahead of our clock would be replaced: plausibility.ts).
    (t.clock as ManualClock).set(T(35));
    assert.deepEqual(await cps.D!.call('StopTransaction', req), { idTagInfo: { status: 'Accepted' } });
    (t.clock as ManualClock).set(T(0));
    assert.deepEqual(
      { ...((await replaced) as object), at: undefined },
      {
        type: 'transaction.stopped',
        chargerId: 'D',
        at: undefined,
        transactionId: orphan,
        energyWh: 3000,
        reason: 'EVDisconnected',
        cause: 'charger',
      },
    );
    const tx = await row(orphan);
    assert.deepEqual(
      [tx.meterStop, tx.energyWh, tx.stopReason, tx.closeCause, tx.stoppedAt?.toISOString()],
      [4000, 3000, 'EVDisconnected', 'charger', T(35)],
    );
    const [end] = await rawRows(
      t.database.db,
      sql`select value from meter_values where transaction_id = ${orphan} and context = 'Transaction.End'`,
    );
    assert.deepEqual(end, { value: '4000' }, 'its transactionData is kept');
    assert.deepEqual(await cps.D!.call('StopTransaction', { ...req, meterStop: 9999, timestamp: T(50) }), {
      idTagInfo: { status: 'Accepted' },
    });
    assert.equal((await row(orphan)).meterStop, 4000, 'the resend changed nothing');
    const c = (await t.app.repos.chargers.get('D'))!;
    assert.deepEqual([c.energyWhTotal, c.minutesTotal], [3000, 35], "counted once, with the charger's figures");
    const daily = await rawRows(
      t.database.db,
      sql`select day::text as day, energy_wh::int as e, sessions from energy_daily where charger_id = 'D'`,
    );
    assert.deepEqual(daily, [{ day: '2026-03-15', e: 3000, sessions: 1 }]);
    assert.deepEqual(await drift(), []);
  });

  it('BootNotification closes what was open; the queued StopTransaction after it moves the session to its real day', async () => {
    // 23:50 local on 14 March: the reboot closes it on the 15th, the charger's own stop says the 14th.
    const late = (
      await start('E', { connectorId: 1, idTag: 'BOOTED', meterStart: 10_000, timestamp: '2026-03-14T15:50:00Z' })
    ).transactionId;
    const other = (await start('E', { connectorId: 2, idTag: 'NOBODY', meterStart: 500, timestamp: T(-10) }))
      .transactionId;
    await cps.E!.call('MeterValues', {
      connectorId: 1,
      transactionId: late,
      meterValue: [
        {
          timestamp: '2026-03-14T15:55:00Z',
          sampledValue: [{ value: '10600', measurand: 'Energy.Active.Import.Register' }],
        },
      ],
    });
    const events: unknown[] = [];
    const off = t.app.events.subscribe(
      (e) => e.type === 'transaction.stopped' && e.chargerId === 'E' && events.push(e),
    );
    const boot = (await cps.E!.call('BootNotification', BOOT)) as { status: string };
    assert.equal(boot.status, 'Accepted');
    off();
    assert.deepEqual(
      events
        .map((e) => e as { transactionId: number; cause: string; reason: string; energyWh: number })
        .map((e) => [e.transactionId, e.cause, e.reason, e.energyWh]),
      [
        [late, 'boot', 'Reboot', 600],
        [other, 'boot', 'Reboot', 0],
      ],
    );
    const closed = await row(late);
    assert.deepEqual(
      [closed.meterStop, closed.closeCause, closed.closedDay, closed.stoppedAt?.toISOString()],
      [10_600, 'boot', '2026-03-15', T(0)],
    );
    assert.equal((await row(other)).meterStop, 500, 'no sample: meterStart');
    assert.deepEqual(await drift(), []);

    await cps.E!.call('StopTransaction', {
      transactionId: late,
      meterStop: 10_700,
      timestamp: '2026-03-14T15:58:00Z',
      reason: 'PowerLoss',
    });
    const real = await row(late);
    assert.deepEqual(
      [real.energyWh, real.stopReason, real.closeCause, real.closedDay],
      [700, 'PowerLoss', 'charger', '2026-03-14'],
    );
    const daily = await rawRows(
      t.database.db,
      sql`select day::text as day, energy_wh::int as e, sessions from energy_daily where charger_id = 'E' and sessions > 0 order by day`,
    );
    assert.deepEqual(daily, [
      { day: '2026-03-14', e: 700, sessions: 1 },
      { day: '2026-03-15', e: 0, sessions: 1 },
    ]);
    assert.deepEqual(await drift(), [], 'daily, monthly, site and charger totals equal the raw sessions');
    assert.equal(await totalCharging(), 0);
  });
});
