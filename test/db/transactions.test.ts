import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { createRepositories, type Repositories } from '../../db/repositories/index.ts';
import { rawRows } from '../../db/raw.ts';
import { createTestDatabase, engineName } from '../helpers/db.ts';

const T0 = new Date('2026-03-01T15:59:00Z'); // 23:59 in Asia/Shanghai

describe(`charging sessions on ${engineName}`, () => {
  let database: Database;
  let repos: Repositories;
  before(async () => {
    database = await createTestDatabase();
    repos = createRepositories(database.db);
    await repos.chargers.create({ id: 'CP1' }, T0);
    await repos.chargers.create({ id: 'CP2' }, T0);
  });
  after(() => database.close());

  it('a repeated StartTransaction gets the same id and does not count a new session', async () => {
    const input = { chargerId: 'CP1', connectorId: 1, idTag: 'TAG1', meterStart: 1000, startedAt: T0 };
    const a = await repos.transactions.start(input);
    const b = await repos.transactions.start(input);
    assert.equal(a?.duplicate, false);
    assert.equal(b?.duplicate, true);
    assert.equal(a?.transaction.id, b?.transaction.id);
    assert.equal(a?.transaction.sessionNumber, 1);
    assert.equal((await repos.chargers.get('CP1'))?.sessionCounter, 1);
  });

  it('concurrent identical starts still make one session', async () => {
    const input = { chargerId: 'CP2', connectorId: 1, idTag: 'TAG2', meterStart: 50, startedAt: T0 };
    const results = await Promise.all(Array.from({ length: 8 }, () => repos.transactions.start(input)));
    assert.equal(new Set(results.map((r) => r!.transaction.id)).size, 1);
    assert.equal(results.filter((r) => !r!.duplicate).length, 1);
    assert.equal(
      (await repos.chargers.get('CP2'))?.sessionCounter,
      1,
      'a resend that waited for the lock moved no counter',
    );
  });

  it('concurrent starts on two connectors of one charger get consecutive session numbers', async () => {
    await repos.chargers.create({ id: 'CP3' }, T0);
    const start = (connectorId: number) =>
      repos.transactions.start({
        chargerId: 'CP3',
        connectorId,
        idTag: `T${connectorId}`,
        meterStart: 0,
        startedAt: T0,
      });
    const results = await Promise.all([1, 2, 3, 4].map(start));
    assert.deepEqual(results.map((r) => r!.transaction.sessionNumber).sort(), [1, 2, 3, 4]);
    assert.equal((await repos.chargers.get('CP3'))?.sessionCounter, 4);
    assert.equal(
      await repos.transactions.start({ chargerId: 'NOPE', connectorId: 1, idTag: 'X', meterStart: 0, startedAt: T0 }),
      undefined,
    );
  });

  it('dttstartqueue is when the connector went Preparing', async () => {
    await repos.chargers.recordStatus(
      'CP2',
      { connectorId: 2, status: 'Preparing', errorCode: 'NoError' },
      new Date(T0.getTime() + 60_000),
    );
    await repos.chargers.recordStatus(
      'CP2',
      { connectorId: 2, status: 'Preparing', errorCode: 'NoError' },
      new Date(T0.getTime() + 90_000),
    );
    const r = await repos.transactions.start({
      chargerId: 'CP2',
      connectorId: 2,
      idTag: 'TAG3',
      meterStart: 0,
      startedAt: new Date(T0.getTime() + 120_000),
    });
    assert.deepEqual(r?.transaction.queuedAt, new Date(T0.getTime() + 60_000));
  });

  it('a stop counts energy, minutes and the daily rollup once, in the stop day', async () => {
    const open = (await repos.transactions.open('CP1', 1))!;
    const stop = {
      transactionId: open.id,
      meterStop: 3500,
      stoppedAt: new Date(T0.getTime() + 30 * 60_000),
      reason: 'EVDisconnected',
      localDay: '2026-03-02',
    };
    const first = await repos.transactions.stop(stop);
    const again = await repos.transactions.stop({ ...stop, meterStop: 9999 });
    assert.equal(first?.transaction.energyWh, 2500);
    assert.equal(again?.duplicate, true);
    assert.equal(again?.transaction.meterStop, 3500, 'the repeat changed nothing');
    const c = (await repos.chargers.get('CP1'))!;
    assert.equal(c.energyWhTotal, 2500);
    assert.equal(c.minutesTotal, 30);
    const rollup = await rawRows(
      database.db,
      sql`select day::text as day, energy_wh, sessions from energy_daily where charger_id = 'CP1'`,
    );
    assert.deepEqual(
      rollup.map((r) => ({ ...r, energy_wh: Number(r.energy_wh) })),
      [{ day: '2026-03-02', energy_wh: 2500, sessions: 1 }],
    );
  });

  it('a meterStop below meterStart is stored, flagged and held out of the totals', async () => {
    const r = await repos.transactions.start({
      chargerId: 'CP1',
      connectorId: 1,
      idTag: 'TAG1',
      meterStart: 5000,
      startedAt: new Date(T0.getTime() + 3600_000),
    });
    const s = await repos.transactions.stop({
      transactionId: r!.transaction.id,
      meterStop: 4000,
      stoppedAt: new Date(T0.getTime() + 7200_000),
      localDay: '2026-03-02',
    });
    assert.equal(s?.transaction.meterStop, 4000);
    assert.equal(s?.transaction.energyWh, 0);
    assert.equal(s?.transaction.meterAnomaly, true);
    assert.deepEqual(s?.transaction.anomalyReasons, ['meter_stop_below_start']);
    assert.equal(s?.transaction.energyReview, 'pending');
    const c = (await repos.chargers.get('CP1'))!;
    assert.deepEqual([c.energyWhTotal, c.minutesTotal], [2500, 30], 'neither its energy nor its minutes count yet');
  });

  it('the database refuses negative energy even if code tried', async () => {
    await assert.rejects(database.db.execute(sql`update transactions set energy_wh = -1 where id = 1`));
  });

  it('a resent meter sample is stored once', async () => {
    const s = {
      chargerId: 'CP2',
      connectorId: 1,
      transactionId: null,
      timestamp: T0,
      measurand: 'Energy.Active.Import.Register',
      phase: '',
      location: 'Outlet',
      context: 'Sample.Periodic',
      unit: 'Wh',
      format: 'Raw',
      value: '123',
    };
    assert.equal(
      await repos.transactions.addSamples([
        s,
        { ...s, measurand: 'Current.Import', phase: 'L1', unit: 'A', value: '16' },
      ]),
      2,
    );
    assert.equal(await repos.transactions.addSamples([s]), 0);
  });

  it('the rollup equals the raw sessions that count (flagged ones only once confirmed)', async () => {
    const raw = await rawRows(
      database.db,
      sql`select charger_id, sum(energy_wh)::bigint as e, count(*)::int as n from transactions
      where stopped_at is not null and (not meter_anomaly or energy_review = 'confirmed') group by charger_id order by charger_id`,
    );
    const rolled = await rawRows(
      database.db,
      sql`select charger_id, sum(energy_wh)::bigint as e, sum(sessions)::int as n from energy_daily group by charger_id order by charger_id`,
    );
    assert.deepEqual(
      rolled.map((r) => [r.charger_id, Number(r.e), Number(r.n)]),
      raw.map((r) => [r.charger_id, Number(r.e), Number(r.n)]),
    );
  });

  it('the trigger-kept monthly and site-daily rollups equal the daily one', async () => {
    const drift = await rawRows<{ n: string }>(
      database.db,
      sql`
      select (select count(*) from (select charger_id, date_trunc('month', day)::date as m, sum(energy_wh) as e, sum(sessions) as s from energy_daily group by 1, 2) d
                full join energy_monthly em on em.charger_id = d.charger_id and em.month = d.m
                where em.energy_wh is distinct from d.e or em.sessions is distinct from d.s)
           + (select count(*) from (select day, energy_site_shard(charger_id) as shard, sum(energy_wh) as e, sum(sessions) as s from energy_daily group by 1, 2) d
                full join energy_site_daily sd on sd.day = d.day and sd.shard = d.shard
                where sd.energy_wh is distinct from d.e or sd.sessions is distinct from d.s) as n`,
    );
    assert.equal(Number(drift[0]!.n), 0);
    const [site] = await rawRows<{ e: string }>(
      database.db,
      sql`select coalesce(sum(energy_wh), 0)::text as e from energy_site_daily`,
    );
    assert.ok(Number(site!.e) > 0, 'the site rollup moved with the stops above');
  });
});
