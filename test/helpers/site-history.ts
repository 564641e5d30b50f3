import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { ManualClock } from '../../server/clock.ts';
import { createTestApp, type TestApp } from './app.ts';
import { chargingFixtures } from './charging-fixtures.ts';

export const SITE_TZ = 'Asia/Shanghai'; // UTC+8: local days start at 16:00Z the day before
export const NOW = '2026-03-15T08:00:00Z'; // 16:00 local, Sunday 15 March 2026

/**
 * A small site whose sessions straddle day, month and year boundaries in the
 * site's zone but not in UTC, with every kind of charger state the overview
 * distinguishes (docs/PRODUCT.md §3). Comments give site-local times.
 */
export async function siteWithHistory(): Promise<TestApp & { ids: Record<string, number> }> {
  const t = await createTestApp({ config: { siteTz: SITE_TZ }, clock: new ManualClock(NOW) });
  const f = chargingFixtures(t.app.repos, SITE_TZ);
  const boot = '2025-01-02T00:00:00Z';
  await f.charger('CP-A', { boot, status: 'Available', statusAt: '2026-03-15T03:00:00Z' });
  await f.charger('CP-B', { boot, model: 'EVC32N', firmware: '3.1' });
  await f.charger('CP-C', { boot: '2026-03-15T04:00:00Z' }); // BootUp, no status yet
  await f.charger('CP-D', { boot, status: 'Available', statusAt: '2026-03-10T00:00:00Z' });
  await t.app.repos.chargers.setOnline('CP-D', false); // offline: Other
  await f.charger('CP-E', { boot, status: 'Available', statusAt: '2026-03-15T02:00:00Z' });
  await t.app.repos.chargers.setTransitional('CP-E', 'RemoteCharging', new Date('2026-03-15T02:00:01Z'));
  await f.charger('CP-F', { boot, status: 'SuspendedEV', statusAt: '2026-03-15T01:00:00Z' });
  await f.charger('CP-G', { boot, status: 'Preparing', statusAt: '2026-03-15T00:30:00Z' });
  await f.charger('CP-H'); // registered, never connected
  await f.charger('CP-I', { boot, status: 'Finishing', statusAt: '2026-03-15T00:10:00Z' });

  const ids: Record<string, number> = {};
  // 2025-12-31 23:30 → 2026-01-01 00:30: counts in January 2026 (UTC would say December 2025)
  ids.s1 = await f.session('CP-A', '2025-12-31T15:30:00Z', '2025-12-31T16:30:00Z', 10_000);
  // 2026-02-28 23:00 → 2026-03-01 00:10: counts on 1 March
  ids.s2 = await f.session('CP-A', '2026-02-28T15:00:00Z', '2026-02-28T16:10:00Z', 5_500);
  // 2026-03-15 01:30 → 02:30, planned to 04:00 (UTC says 14 March)
  ids.s3 = await f.session('CP-A', '2026-03-14T17:30:00Z', '2026-03-14T18:30:00Z', 2_500, {
    plannedFinish: '2026-03-14T20:00:00Z',
    idTag: 'TAG-S3',
    meterStart: 7_000,
  });
  // 2025-06-10 10:00 → 12:00
  ids.old = await f.session('CP-B', '2025-06-10T02:00:00Z', '2025-06-10T04:00:00Z', 20_000);
  // CP-B queues at 13:58, starts at 14:00 and is still charging at 16:00
  await t.app.repos.chargers.recordStatus(
    'CP-B',
    { connectorId: 1, status: 'Preparing', errorCode: 'NoError' },
    new Date('2026-03-15T05:58:00Z'),
  );
  ids.run = await f.running('CP-B', '2026-03-15T06:00:00Z', { currentA: 15.6, energyWh: 1_200 });
  await t.app.repos.chargers.recordStatus(
    'CP-B',
    { connectorId: 1, status: 'Charging', errorCode: 'NoError' },
    new Date('2026-03-15T06:00:05Z'),
  );
  return { ...t, ids };
}

/**
 * For a describe block over `siteWithHistory()` seen by a viewer: registers
 * the before/after hooks; `s.t` and `s.h` are set once `before` has run.
 */
export function siteHistoryViewer() {
  const s = {} as { t: TestApp & { ids: Record<string, number> }; h: Record<string, string> };
  before(async () => {
    s.t = await siteWithHistory();
    s.h = await s.t.as('viewer');
  });
  after(() => s.t.close());
  /** The raw answer to a viewer's GET. */
  const inject = (url: string) => s.t.app.inject({ url, headers: s.h });
  /** A viewer's GET that must answer 200, as JSON. */
  const json = async (url: string) => {
    const res = await inject(url);
    assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
    return res.json();
  };
  return { s, inject, json };
}
