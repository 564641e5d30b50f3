import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { rawRows } from '../../../db/raw.ts';
import { createBulkHistoryRepository } from '../../../db/repositories/bulk-history.ts';
import { ManualClock } from '../../../server/clock.ts';
import { CSV_COLUMNS } from '../../../server/api/transactions/schemas.ts';
import { createTestApp, type TestApp } from '../../helpers/app.ts';
import { chargingFixtures } from '../../helpers/charging-fixtures.ts';
import { engineName } from '../../helpers/db.ts';

const TZ = 'Asia/Shanghai';
const NOW = new Date('2026-03-15T08:00:00Z');
const BULK = 20_000;

describe(`transactions list and CSV export (docs/PRODUCT.md §8) on ${engineName}`, () => {
  let t: TestApp;
  let h: Record<string, string>;
  before(async () => {
    t = await createTestApp({ config: { siteTz: TZ }, clock: new ManualClock(NOW) });
    const opts = {
      prefix: 'BK',
      chargers: 10,
      sessions: BULK,
      samplesPerSession: 0,
      endAt: new Date('2026-03-01T00:00:00Z'),
      days: 60,
      tz: TZ,
    };
    const bulk = createBulkHistoryRepository(t.database.db);
    await bulk.chargers(opts);
    await bulk.sessions(opts);
    await bulk.rollups(opts);
    // Through the write path: awkward id tags and a running session, on the last local day.
    const f = chargingFixtures(t.app.repos, TZ);
    await f.charger('CP-X', { boot: '2026-03-01T00:00:00Z', status: 'Available' });
    await f.session('CP-X', '2026-03-14T16:30:00Z', '2026-03-14T17:00:00Z', 1500, { idTag: '=HYPERLINK("x")' });
    await f.session('CP-X', '2026-03-14T18:00:00Z', '2026-03-14T19:00:00Z', 2500, { idTag: 'a,"b"' });
    await f.running('CP-X', '2026-03-15T07:00:00Z', { currentA: 10, energyWh: 300 });
    h = await t.as('viewer');
  });
  after(() => t.close());
  const get = (url: string) => t.app.inject({ url, headers: h });

  it('pages JSON in (start, id) order with site-local times and kWh', async () => {
    const res = await get('/api/transactions?pageSize=3&page=2');
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.deepEqual([body.page, body.pageSize, body.total, body.items.length], [2, 3, BULK + 3, 3]);
    assert.deepEqual(Object.keys(body.items[0]), [
      'id',
      'chargerId',
      'connectorId',
      'sessionNumber',
      'idTag',
      'startedAt',
      'stoppedAt',
      'energyKWh',
      'minutes',
      'meterStart',
      'meterStop',
      'stopReason',
      'startStatus',
      'closeCause',
      'closeNote',
      'chargerStartedAt',
      'chargerStoppedAt',
      'meterAnomaly',
      'anomalyReasons',
      'energyReview',
      'signedReadings',
    ]);
    assert.match(body.items[0].startedAt, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  });

  it('from/to are site-local days, to inclusive; a charger filter; a running session has no stop', async () => {
    const body = (await get('/api/transactions?from=2026-03-15&to=2026-03-15&charger_id=CP-X')).json();
    assert.equal(body.total, 3);
    assert.deepEqual(
      body.items.map((i: { startedAt: string; stoppedAt: string | null; energyKWh: number | null }) => [
        i.startedAt,
        i.stoppedAt,
        i.energyKWh,
      ]),
      [
        ['2026-03-15 00:30:00', '2026-03-15 01:00:00', 1.5],
        ['2026-03-15 02:00:00', '2026-03-15 03:00:00', 2.5],
        ['2026-03-15 15:00:00', null, null],
      ],
    );
    assert.equal(
      (await get('/api/transactions?to=2026-03-14&charger_id=CP-X')).json().total,
      0,
      'UTC 14 March is local 15 March',
    );
    assert.equal((await get('/api/transactions?from=2026-03-14T16:00:00Z&to=2026-03-14T17:00:00Z')).json().total, 1);
  });

  it('refuses bad parameters', async () => {
    for (const q of [
      'from=2026-02-30',
      'to=yesterday',
      'from=2026-03-15&to=2026-03-14',
      'page=0',
      'pageSize=501',
      'format=xml',
      'from=2026-03-15T10:00:00',
    ]) {
      const res = await get(`/api/transactions?${q}`);
      assert.equal(res.statusCode, 400, q);
      assert.equal(res.json().code, 'VALIDATION_FAILED', q);
    }
    assert.equal((await get('/api/transactions?charger_id=NOPE')).statusCode, 404);
  });

  it('CSV: every row once, header first, in (start, id) order, formula cells defused', async () => {
    const res = await get('/api/transactions?format=csv');
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/csv/);
    assert.match(String(res.headers['content-disposition']), /attachment; filename="transactions.csv"/);
    const lines = res.body.split('\r\n');
    assert.equal(lines.pop(), '', 'ends with a line break');
    assert.equal(lines[0], CSV_COLUMNS.join(','));
    const rows = lines.slice(1);
    assert.equal(rows.length, BULK + 3);
    const ids = new Set<string>();
    let last = '';
    for (const line of rows) {
      // id first; started_at is the first date-time (no id tag here holds one)
      const id = line.slice(0, line.indexOf(','));
      const started = /\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/.exec(line)?.[0];
      ids.add(id);
      assert.ok(started! >= last, `ordered by start: ${started} after ${last}`);
      last = started!;
    }
    assert.equal(ids.size, BULK + 3);
    assert.match(res.body, /,"'=HYPERLINK\(""x""\)",/);
    assert.match(res.body, /,"a,""b""",/);
  });

  it('the bulk rollups agree: daily = sessions by local stop day, monthly = daily, site daily = daily', async () => {
    const rows = await rawRows<{ raw: string; daily: string; monthly: string; site: string }>(
      t.database.db,
      sql`
      select (select sum(energy_wh) from transactions where stopped_at is not null)::text as raw,
             (select sum(energy_wh) from energy_daily)::text as daily,
             (select sum(energy_wh) from energy_monthly)::text as monthly,
             (select sum(energy_wh) from energy_site_daily)::text as site`,
    );
    assert.equal(rows[0]!.daily, rows[0]!.raw);
    assert.equal(rows[0]!.monthly, rows[0]!.raw);
    assert.equal(rows[0]!.site, rows[0]!.raw);
    const perDay = await rawRows<{ n: string }>(
      t.database.db,
      sql`
      select count(*)::text as n from (select day, energy_site_shard(charger_id) as shard, sum(energy_wh) as e, sum(sessions) as s from energy_daily group by 1, 2) d
      full join energy_site_daily sd on sd.day = d.day and sd.shard = d.shard where sd.energy_wh is distinct from d.e or sd.sessions is distinct from d.s`,
    );
    assert.equal(perDay[0]!.n, '0');
    const perMonth = await rawRows<{ n: string }>(
      t.database.db,
      sql`
      select count(*)::text as n from (select charger_id, date_trunc('month', day)::date as m, sum(energy_wh) as e from energy_daily group by 1, 2) d
      full join energy_monthly em on em.charger_id = d.charger_id and em.month = d.m where em.energy_wh is distinct from d.e`,
    );
    assert.equal(perMonth[0]!.n, '0');
  });

  it('the export reads the set in bounded chunks, one keyset query each', async () => {
    const sizes: number[] = [];
    let n = 0;
    for await (const chunk of t.app.repos.transactionList.chunks({}, 1000)) {
      sizes.push(chunk.length);
      n += chunk.length;
    }
    assert.equal(n, BULK + 3);
    assert.equal(sizes.length, Math.ceil((BULK + 3) / 1000));
    assert.ok(sizes.every((s) => s <= 1000));
  });

  it('the total is counted once per filter until a session starts (its event), not on every page', async () => {
    const total = async () => (await get('/api/transactions?charger_id=CP-X&pageSize=1')).json().total;
    assert.equal(await total(), 3);
    await chargingFixtures(t.app.repos, TZ).session('CP-X', '2026-03-15T01:00:00Z', '2026-03-15T02:00:00Z', 700);
    assert.equal(await total(), 3, 'no event yet: the stored count (at most 2 s old) answers');
    t.app.events.publish({
      type: 'transaction.started',
      chargerId: 'CP-X',
      at: NOW.toISOString(),
      transactionId: 0,
      connectorId: 1,
      idTag: 'T',
      sessionNumber: 0,
    });
    assert.equal(await total(), 4, 'the start made it count again');
  });
});
