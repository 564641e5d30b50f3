import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { engineName } from '../../../helpers/db.ts';
import { SITE_TZ, siteHistoryViewer } from '../../../helpers/site-history.ts';
import type { ManualClock } from '../../../../server/clock.ts';
import { localDay } from '../../../../server/time/site-time.ts';

const zeros = (n: number) => Array.from({ length: n }, () => 0);

describe(`seed 2.10, 2.11, 3.1, 3.2 energy charts on ${engineName}`, () => {
  const { s, json: get } = siteHistoryViewer();

  it('2.10 the last 6 site-local months, newest first, sessions counted where they finished', async () => {
    const body = await get('/api/monthly/energy/');
    assert.deepEqual(Object.keys(body), ['x', 'y']);
    assert.deepEqual(body, {
      x: ['2026-03', '2026-02', '2026-01', '2025-12', '2025-11', '2025-10'],
      y: [8, 0, 10, 0, 0, 0],
    });
    assert.deepEqual((await get('/api/monthly/energy?charger_id=CP-B')).y, zeros(6));
    assert.equal((await s.t.app.inject({ url: '/api/monthly/energy/?charger_id=NOPE', headers: s.h })).statusCode, 404);
  });

  it('2.11 every charger, the 12 months of the current year, y before x as in the seed', async () => {
    const { data } = await get('/api/monthly/energy/list/');
    assert.equal(data.length, 9);
    assert.deepEqual(Object.keys(data[0]), ['charger_id', 'y', 'x']);
    assert.deepEqual(data[0], {
      charger_id: 'CP-A',
      y: [10, 0, 8, ...zeros(9)],
      x: Array.from({ length: 12 }, (_, i) => `2026-${String(i + 1).padStart(2, '0')}`),
    });
    assert.deepEqual(data[1].y, zeros(12), 'CP-B finished only in 2025');
  });

  it('3.1 yearly, monthly and daily: the last N periods oldest first, total = sum of y', async () => {
    assert.deepEqual(await get('/bmw/chart/getAllRecentChargerRecords/?mode=1&offset=3'), {
      x: ['2024', '2025', '2026'],
      y: [0, 20, 18],
      total: 38,
    });
    const monthly = await get('/bmw/chart/getAllRecentChargerRecords?mode=2&offset=12');
    assert.deepEqual(Object.keys(monthly), ['x', 'y', 'total']);
    assert.deepEqual(monthly.x, [
      '2025-04',
      '2025-05',
      '2025-06',
      '2025-07',
      '2025-08',
      '2025-09',
      '2025-10',
      '2025-11',
      '2025-12',
      '2026-01',
      '2026-02',
      '2026-03',
    ]);
    assert.deepEqual(monthly.y, [0, 0, 20, 0, 0, 0, 0, 0, 0, 10, 0, 8]);
    assert.equal(monthly.total, 38);
    const daily = await get('/bmw/chart/getAllRecentChargerRecords/?mode=3&offset=15&charger_id=CP-A');
    assert.equal(daily.x[0], '2026-03-01');
    assert.equal(daily.x[14], '2026-03-15');
    assert.deepEqual(daily.y, [5.5, ...zeros(13), 2.5]);
    assert.equal(daily.total, 8);
    assert.deepEqual((await get('/bmw/chart/getAllRecentChargerRecords/?mode=3&offset=1')).x, ['2026-03-15']);
  });

  it('3.1 refuses a bad mode or offset and an unknown charger', async () => {
    for (const q of [
      'mode=0&offset=3',
      'mode=4&offset=3',
      'mode=x',
      'offset=3',
      'mode=2&offset=0',
      'mode=2&offset=-2',
      'mode=1&offset=51',
      'mode=2&offset=121',
      'mode=3&offset=367',
      'mode=3&offset=1e9',
    ]) {
      const res = await s.t.app.inject({ url: `/bmw/chart/getAllRecentChargerRecords/?${q}`, headers: s.h });
      assert.equal(res.statusCode, 400, q);
      assert.equal(res.json().code, 'VALIDATION_FAILED', q);
      assert.ok(res.json().fields, q);
    }
    assert.equal(
      (
        await s.t.app.inject({
          url: '/bmw/chart/getAllRecentChargerRecords/?mode=2&offset=3&charger_id=NOPE',
          headers: s.h,
        })
      ).statusCode,
      404,
    );
  });

  it('3.2 a bare array, one entry per charger', async () => {
    const body = await get('/bmw/chart/getRecentChargerRecords/?mode=1&offset=2');
    assert.ok(Array.isArray(body));
    assert.equal(body.length, 9);
    assert.deepEqual(Object.keys(body[0]), ['charger_id', 'x', 'y', 'total']);
    assert.deepEqual(body[0], { charger_id: 'CP-A', x: ['2025', '2026'], y: [0, 18], total: 18 });
    assert.deepEqual(body[1], { charger_id: 'CP-B', x: ['2025', '2026'], y: [20, 0], total: 20 });
    assert.deepEqual(body[2], { charger_id: 'CP-C', x: ['2025', '2026'], y: [0, 0], total: 0 });
    const one = await get('/bmw/chart/getRecentChargerRecords?mode=2&offset=1&charger_id=CP-A');
    assert.deepEqual(one, [{ charger_id: 'CP-A', x: ['2026-03'], y: [8], total: 8 }]);
  });

  it('the rollup-based charts equal the same figures computed from raw transactions', async () => {
    const raw = new Map<string, number>();
    const daily = new Map<string, number>();
    for (const id of Object.values(s.t.ids)) {
      const tx = (await s.t.app.repos.transactions.get(id))!;
      if (!tx.stoppedAt) continue;
      const day = localDay(tx.stoppedAt, SITE_TZ);
      const month = `${tx.chargerId}|${day.slice(0, 7)}`;
      raw.set(month, (raw.get(month) ?? 0) + tx.energyWh!);
      daily.set(`${tx.chargerId}|${day}`, (daily.get(`${tx.chargerId}|${day}`) ?? 0) + tx.energyWh!);
    }
    const fromRollup = new Map<string, number>();
    for (const e of await get('/bmw/chart/getRecentChargerRecords/?mode=2&offset=24')) {
      e.x.forEach(
        (m: string, i: number) => e.y[i] && fromRollup.set(`${e.charger_id}|${m}`, Math.round(e.y[i] * 1000)),
      );
    }
    assert.deepEqual([...fromRollup].sort(), [...raw].sort());
    const fromDaily = new Map<string, number>();
    for (const e of await get('/bmw/chart/getRecentChargerRecords/?mode=3&offset=366')) {
      e.x.forEach((d: string, i: number) => e.y[i] && fromDaily.set(`${e.charger_id}|${d}`, Math.round(e.y[i] * 1000)));
    }
    assert.deepEqual([...fromDaily].sort(), [...daily].sort());
  });

  it('moves with the clock: a new month starts with zero', async () => {
    (s.t.clock as ManualClock).set('2026-03-31T16:00:00Z'); // 1 April 00:00 local
    // The session cookie expired with the clock's jump: log in again.
    const login = await s.t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'viewer-user', password: 'correct-horse' },
    });
    s.h = { cookie: `chargeops_session=${login.cookies.find((c) => c.name === 'chargeops_session')!.value}` };
    const body = await get('/api/monthly/energy/');
    assert.deepEqual(body.x.slice(0, 2), ['2026-04', '2026-03']);
    assert.deepEqual(body.y.slice(0, 2), [0, 8]);
  });
});
