import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { rawRows } from '../../../db/raw.ts';
import type { ManualClock } from '../../../server/clock.ts';
import { localDay } from '../../../server/time/site-time.ts';
import { engineName } from '../../helpers/db.ts';
import { bootedCharger, createOcppTestApp, type OcppTestApp } from '../../helpers/ocpp.ts';
import type { RPCClient } from '../../../server/ocpp/rpc.ts';

const NOW = '2026-03-15T08:00:00Z';
const at = (min: number) => new Date(Date.parse(NOW) + min * 60_000).toISOString();
type Tx = {
  id: number;
  startedAt: Date;
  stoppedAt: Date | null;
  chargerStartedAt: Date | null;
  chargerStoppedAt: Date | null;
  meterAnomaly: boolean;
  anomalyReasons: string[];
  energyReview: string | null;
  energyWh: number | null;
};

/**
 * Values no site can have (OCPP data correctness): a charger clock in the
 * year 9999, a negative register, a stop before its start, a register going
 * backwards, more energy than any charger delivers. Nothing the charger sent
 * is lost, nothing impossible is counted until an operator confirms it, and
 * each finding raises one alert however often the charger resends.
 */
describe(`implausible values from strict OCPP 1.6 chargers on ${engineName}`, () => {
  let t: OcppTestApp;
  let cp: RPCClient;
  const clock = () => t.clock as ManualClock;
  const tx = async (id: number) => (await t.app.repos.transactions.get(id)) as Tx;
  const alertsOf = async (id: number) =>
    (await t.app.repos.alerts.forTransaction(id)).map((a) => `${a.kind}:${(a.details as { reason: string }).reason}`);
  const get = async (url: string, role: 'viewer' | 'operator' = 'viewer') => {
    const res = await t.app.inject({ url, headers: await t.as(role) });
    assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
    return res.json();
  };
  const review = async (id: number, verb: 'confirm' | 'reject', role: 'viewer' | 'operator' = 'operator') =>
    t.app.inject({ method: 'POST', url: `/api/transactions/${id}/energy/${verb}`, headers: await t.as(role) });

  before(async () => {
    t = await createOcppTestApp();
    clock().set(NOW);
    cp = await bootedCharger(t, 'CP-Q');
  });
  after(() => t.close());

  it("a StartTransaction in the year 9999 is stored at the receive time, the charger's value beside it, and a resend is the same session", async () => {
    const req = { connectorId: 1, idTag: 'ANY', meterStart: 100, timestamp: '9999-01-01T00:00:00.000Z' };
    const a = (await cp.call('StartTransaction', req)) as { transactionId: number };
    clock().advance(30_000);
    const b = (await cp.call('StartTransaction', req)) as { transactionId: number };
    assert.equal(
      b.transactionId,
      a.transactionId,
      "the resend, received later, still matches on the charger's own timestamp",
    );
    const row = await tx(a.transactionId);
    assert.equal(row.startedAt.toISOString(), '2026-03-15T08:00:00.000Z', 'the receive time');
    assert.equal(row.chargerStartedAt?.toISOString(), '9999-01-01T00:00:00.000Z');
    assert.equal(row.meterAnomaly, false, 'a clock is not a meter');
    assert.deepEqual(await alertsOf(a.transactionId), ['clock_skew:future'], 'one alert, not one per resend');
    const page = await get('/api/transactions?charger_id=CP-Q');
    assert.equal(page.items[0].chargerStartedAt, '9999-01-01T00:00:00.000Z');
    assert.match(page.items[0].startedAt, /^2026-03-15 /);

    // Stopped a minute later by the same confused clock: the stop gets the receive time too.
    clock().advance(30_000);
    await cp.call('StopTransaction', {
      transactionId: a.transactionId,
      meterStop: 1100,
      timestamp: '9999-01-01T00:00:00.000Z',
    });
    const done = await tx(a.transactionId);
    assert.equal(done.stoppedAt?.toISOString(), '2026-03-15T08:01:00.000Z');
    assert.equal(done.chargerStoppedAt?.toISOString(), '9999-01-01T00:00:00.000Z');
    assert.equal(done.energyWh, 1000);
    assert.deepEqual(
      (await get('/api/transactions?charger_id=CP-Q')).items[0].minutes,
      1,
      'one minute, not 7,000 years',
    );
    assert.deepEqual((await alertsOf(a.transactionId)).sort(), ['clock_skew:future', 'clock_skew:future']);
    assert.equal((await t.app.repos.chargers.get('CP-Q'))!.energyWhTotal, 1000, 'plausible energy counts at once');
  });

  it('a timestamp before 2010 is a clock that lost its time; a stop before its start counts no minutes', async () => {
    clock().set(at(10));
    const start = (await cp.call('StartTransaction', {
      connectorId: 1,
      idTag: 'ANY',
      meterStart: 2000,
      timestamp: '1970-01-01T00:00:00.000Z',
    })) as { transactionId: number };
    assert.equal((await tx(start.transactionId)).startedAt.toISOString(), at(10));
    assert.equal((await tx(start.transactionId)).chargerStartedAt?.toISOString(), '1970-01-01T00:00:00.000Z');
    clock().set(at(20));
    const minutesBefore = (await t.app.repos.chargers.get('CP-Q'))!.minutesTotal;
    // Stamped five minutes before the (replaced) start: plausible on its own, impossible after it.
    await cp.call('StopTransaction', { transactionId: start.transactionId, meterStop: 2500, timestamp: at(5) });
    const row = await tx(start.transactionId);
    assert.equal(row.stoppedAt?.toISOString(), at(5), 'a past stop is kept: chargers deliver late');
    assert.equal(
      (await get('/api/transactions?charger_id=CP-Q&pageSize=500')).items.find((i: { id: number }) => i.id === row.id)
        .minutes,
      0,
    );
    assert.equal(
      (await t.app.repos.chargers.get('CP-Q'))!.minutesTotal,
      minutesBefore,
      'no negative minutes in the totals',
    );
    assert.deepEqual((await alertsOf(row.id)).sort(), ['clock_skew:before_2010', 'clock_skew:stop_before_start']);
    const [daily] = await rawRows<{ minutes: number }>(
      t.database.db,
      sql`select min(minutes)::float8 as minutes from energy_daily`,
    );
    assert.ok(daily!.minutes >= 0);
  });

  let negId = 0;
  it('a negative meterStart flags the session, raises exactly one alert (also after resends) and keeps its energy out of every total', async () => {
    clock().set(at(30));
    const statsBefore = await get('/api/charger/info/statistic/');
    const chartBefore = await get('/bmw/chart/getAllRecentChargerRecords/?mode=3&offset=1');
    const req = { connectorId: 1, idTag: 'ANY', meterStart: -5000, timestamp: at(30) };
    negId = ((await cp.call('StartTransaction', req)) as { transactionId: number }).transactionId;
    assert.equal(((await cp.call('StartTransaction', req)) as { transactionId: number }).transactionId, negId);
    const started = await tx(negId);
    assert.equal(started.meterAnomaly, true);
    assert.deepEqual(started.anomalyReasons, ['negative_meter_start']);
    assert.equal(started.energyReview, 'pending');
    assert.deepEqual(await alertsOf(negId), ['meter_anomaly:negative_meter_start']);

    clock().set(at(90));
    const stop = { transactionId: negId, meterStop: 15_000, timestamp: at(90) };
    await cp.call('StopTransaction', stop);
    await cp.call('StopTransaction', stop);
    const row = await tx(negId);
    assert.equal(row.energyWh, 20_000, 'stored as the meter says');
    assert.deepEqual(
      await alertsOf(negId),
      ['meter_anomaly:negative_meter_start'],
      'the stop and its resend raise nothing new',
    );
    assert.equal(
      (await t.app.repos.chargers.get('CP-Q'))!.energyWhTotal,
      1000 + 500,
      'dblAccumlatedPower source unchanged',
    );
    assert.equal((await get('/api/charger/details/?charger_id=CP-Q')).result.dblAccumlatedPower, 1.5);
    assert.equal((await get('/api/charger/info/statistic/')).accumulate_power, statsBefore.accumulate_power);
    assert.deepEqual((await get('/bmw/chart/getAllRecentChargerRecords/?mode=3&offset=1')).y, chartBefore.y);
    const listed = (await get('/api/transactions?charger_id=CP-Q&pageSize=500')).items.find(
      (i: { id: number }) => i.id === negId,
    );
    assert.deepEqual(
      [listed.meterAnomaly, listed.anomalyReasons, listed.energyReview],
      [true, ['negative_meter_start'], 'pending'],
    );
  });

  it('counts once an operator confirms it (audited, idempotent); a viewer may not, and the other decision is refused', async () => {
    assert.equal((await review(negId, 'confirm', 'viewer')).statusCode, 403);
    const before = await get('/api/charger/info/statistic/');
    const res = await review(negId, 'confirm');
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(
      { ...(res.json() as object), reviewedAt: undefined },
      {
        id: negId,
        energyReview: 'confirmed',
        energyKWh: 20,
        anomalyReasons: ['negative_meter_start'],
        counted: true,
        reviewedAt: undefined,
        reviewedBy: 'user:operator-user',
        changed: true,
      },
    );
    assert.equal(
      (await get('/api/charger/info/statistic/')).accumulate_power,
      before.accumulate_power + 20,
      'the cached answer moved with it',
    );
    assert.equal((await get('/api/charger/details/?charger_id=CP-Q')).result.dblAccumlatedPower, 21.5);
    const again = await review(negId, 'confirm');
    assert.equal(again.statusCode, 200);
    assert.equal(again.json().changed, false);
    assert.equal((await t.app.repos.chargers.get('CP-Q'))!.energyWhTotal, 21_500, 'counted once');
    assert.equal((await review(negId, 'reject')).statusCode, 409);
    assert.equal((await review(999_999, 'confirm')).statusCode, 404);
    assert.equal((await review(1, 'confirm')).statusCode, 409, 'nothing flagged');
    const audit = (await t.app.repos.audit.recent()).filter((a) => a.target === `transaction:${negId}`);
    assert.deepEqual(
      audit.map((a) => [a.action, a.actor]),
      [['transaction.energy.confirm', 'user:operator-user']],
    );
    const [alert] = await t.app.repos.alerts.forTransaction(negId);
    assert.equal(alert!.acknowledgedBy, 'user:operator-user');
  });

  it('a register that goes backwards mid-session, or more energy than 350 kW can deliver, is flagged; a running session cannot be confirmed', async () => {
    clock().set(at(100));
    const { transactionId: id } = (await cp.call('StartTransaction', {
      connectorId: 2,
      idTag: 'ANY',
      meterStart: 50_000,
      timestamp: at(100),
    })) as { transactionId: number };
    const sample = (min: number, wh: number) =>
      cp.call('MeterValues', {
        connectorId: 2,
        transactionId: id,
        meterValue: [{ timestamp: at(min), sampledValue: [{ value: String(wh) }] }],
      });
    clock().set(at(101));
    await sample(101, 51_000);
    assert.equal((await tx(id)).meterAnomaly, false, 'forwards is fine');
    clock().set(at(102));
    await sample(102, 50_500);
    await sample(102, 50_400);
    assert.deepEqual((await tx(id)).anomalyReasons, ['register_backwards']);
    assert.deepEqual(await alertsOf(id), ['meter_anomaly:register_backwards'], 'raised once');
    assert.equal((await review(id, 'confirm')).statusCode, 409, 'still running');
    clock().set(at(110));
    await cp.call('StopTransaction', { transactionId: id, meterStop: 52_000, timestamp: at(110) });
    assert.equal((await tx(id)).energyReview, 'pending');

    // 1,000 kWh in ten minutes is 6 MW.
    const big = (await cp.call('StartTransaction', {
      connectorId: 3,
      idTag: 'ANY',
      meterStart: 0,
      timestamp: at(110),
    })) as { transactionId: number };
    clock().set(at(120));
    await cp.call('StopTransaction', { transactionId: big.transactionId, meterStop: 1_000_000, timestamp: at(120) });
    assert.deepEqual((await tx(big.transactionId)).anomalyReasons, ['energy_above_max_power']);
    const rejected = await review(big.transactionId, 'reject');
    assert.equal(rejected.json().counted, false);
    assert.equal((await t.app.repos.chargers.get('CP-Q'))!.energyWhTotal, 21_500, 'neither counts');
  });

  it('the rollups equal the raw sessions that count (plausible or confirmed)', async () => {
    const rows = await rawRows<{
      charger_id: string;
      stopped_at: string;
      energy_wh: string;
      meter_anomaly: boolean;
      energy_review: string | null;
    }>(
      t.database.db,
      sql`select charger_id, stopped_at::text, energy_wh, meter_anomaly, energy_review from transactions where stopped_at is not null`,
    );
    const raw = new Map<string, number>();
    for (const r of rows) {
      if (r.meter_anomaly && r.energy_review !== 'confirmed') continue;
      const key = `${r.charger_id}|${localDay(new Date(r.stopped_at), t.app.config.siteTz)}`;
      raw.set(key, (raw.get(key) ?? 0) + Number(r.energy_wh));
    }
    const daily = await rawRows<{ charger_id: string; day: string; energy_wh: string }>(
      t.database.db,
      sql`select charger_id, day::text, energy_wh from energy_daily`,
    );
    assert.deepEqual(new Map(daily.map((d) => [`${d.charger_id}|${d.day}`, Number(d.energy_wh)])), raw);
    const [site] = await rawRows<{ wh: string }>(
      t.database.db,
      sql`select sum(energy_wh) as wh from energy_site_daily`,
    );
    const [monthly] = await rawRows<{ wh: string }>(
      t.database.db,
      sql`select sum(energy_wh) as wh from energy_monthly`,
    );
    const total = [...raw.values()].reduce((a, b) => a + b, 0);
    assert.equal(
      total,
      1000 + 500 + 20_000,
      'the confirmed 20 kWh counts; the pending 2 kWh and the rejected 1,000 kWh do not',
    );
    assert.deepEqual(
      [Number(site!.wh), Number(monthly!.wh), (await t.app.repos.chargers.get('CP-Q'))!.energyWhTotal],
      [total, total, total],
    );
  });

  it("the charger's clock skew shows on its JSON, from its least-delayed live message", async () => {
    clock().set(at(200));
    await cp.call('StatusNotification', {
      connectorId: 1,
      status: 'Available',
      errorCode: 'NoError',
      timestamp: new Date(Date.parse(at(200)) + 90_000).toISOString(),
    });
    await t.app.ocpp.skews.flush(); // kept in memory and written every few seconds (server/ocpp/seen-buffer.ts)
    let c = await get('/api/chargers/CP-Q');
    assert.equal(c.clockSkewMs, 90_000, 'ninety seconds ahead');
    assert.equal(c.clockSkewAt, new Date(at(200)).toISOString());
    // A message queued while offline arrives three hours late: it says nothing about the clock.
    clock().set(at(201));
    await cp.call('MeterValues', {
      connectorId: 1,
      meterValue: [{ timestamp: at(21), sampledValue: [{ value: '1' }] }],
    });
    await t.app.ocpp.skews.flush();
    c = await get('/api/chargers/CP-Q');
    assert.equal(c.clockSkewMs, 90_000);
  });

  it('GET /api/alerts: viewers page through them newest first', async () => {
    const all = await get('/api/alerts?pageSize=200');
    assert.equal(all.total, all.items.length);
    assert.ok(all.total >= 7);
    const times = all.items.map((a: { at: string }) => a.at);
    assert.deepEqual(times, [...times].sort().reverse());
    const first = await get('/api/alerts?pageSize=2');
    assert.deepEqual(
      first.items.map((a: { id: number }) => a.id),
      all.items.slice(0, 2).map((a: { id: number }) => a.id),
    );
    const second = await get('/api/alerts?pageSize=2&page=2');
    assert.deepEqual(
      second.items.map((a: { id: number }) => a.id),
      all.items.slice(2, 4).map((a: { id: number }) => a.id),
    );
    assert.deepEqual(Object.keys(all.items[0]), [
      'id',
      'at',
      'kind',
      'severity',
      'chargerId',
      'connectorId',
      'transactionId',
      'message',
      'details',
      'clearedAt',
      'acknowledgedAt',
      'acknowledgedBy',
    ]);
    assert.equal(
      (await t.app.inject({ url: '/api/alerts?pageSize=0', headers: await t.as('viewer') })).statusCode,
      400,
    );
    assert.equal((await t.app.inject({ url: '/api/alerts' })).statusCode, 401);
  });
});
