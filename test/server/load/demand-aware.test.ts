import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LoadSnapshot } from '../../../contracts/load.ts';
import type { ManualClock } from '../../../server/clock.ts';
import { engineName } from '../../helpers/db.ts';
import { loadCharger, saveSettings, SiteWatch, type LoadCharger } from '../../helpers/load-site.ts';
import { createOcppTestApp, type OcppTestApp } from '../../helpers/ocpp.ts';

/**
 * Demand-aware allocation end to end (server/load/demand.ts, docs/LOAD.md):
 * the measured Current.Import from MeterValues caps a session that draws
 * clearly less than it may for 30 s of the injected clock, the freed current
 * goes to the others on its phase, and the cap goes when it draws up again.
 */
describe(`demand-aware re-allocation on ${engineName}`, () => {
  let t: OcppTestApp;
  let site: SiteWatch;
  let cp1: LoadCharger;
  let cp2: LoadCharger;
  const clock = () => t.clock as ManualClock;
  const sessions = async () => {
    const res = await t.app.inject({ url: '/api/load', headers: await t.as('viewer') });
    return Object.fromEntries(
      (res.json() as LoadSnapshot).sessions.map((s) => [s.chargerId, [s.allowed, s.state, s.measured]]),
    );
  };

  before(async () => {
    t = await createOcppTestApp({ config: { loadControl: true } });
    site = new SiteWatch(t.clock, { A: 32, B: 32, C: 32 });
    await saveSettings(t, { blncurrentdistribution: 1, intmaxcurrenta: 32 });
    cp1 = await loadCharger(t, site, 'CP1', { maxCurrent: 32, minCurrent: 6 });
    cp2 = await loadCharger(t, site, 'CP2', { maxCurrent: 32, minCurrent: 6 });
    clock().advance(1000);
    await cp1.start();
    clock().advance(1000);
    await cp2.start();
    await t.app.load.settle();
  });
  after(() => t.close());

  it('a car that draws clearly less for 30 s is capped at its draw plus a margin, and the rest goes to the other', async () => {
    assert.deepEqual([cp1.limit(), cp2.limit()], [16, 16]);
    await cp1.meter([10]);
    await cp2.meter([15.8]);
    await t.app.load.settle();
    assert.deepEqual(
      await sessions(),
      { CP1: [16, 'charging', { A: 10 }], CP2: [16, 'charging', { A: 15.8 }] },
      'not within 30 s',
    );
    clock().advance(29_000);
    await cp1.meter([10.2]);
    await t.app.load.settle();
    assert.deepEqual([cp1.limit(), cp2.limit()], [16, 16]);
    const mark = site.lastSeq;
    clock().advance(1000);
    await cp1.meter([9.9]);
    await t.app.load.settle();
    // The window's peak, 10.2 A, plus 1 A.
    assert.deepEqual(await sessions(), {
      CP1: [11.2, 'capped-by-demand', { A: 9.9 }],
      CP2: [20.8, 'charging', { A: 15.8 }],
    });
    assert.deepEqual([cp1.limit(), cp2.limit()], [11.2, 20.8]);
    const lower = site.profilesSince(mark, 'CP1')[0]!;
    const raise = site.profilesSince(mark, 'CP2')[0]!;
    assert.ok(lower.answeredSeq! < raise.seq, 'the capped session came down before the other went up');
    assert.deepEqual(site.violations, []);
  });

  it('when it draws up to its cap again it is raised back to its share', async () => {
    clock().advance(5000);
    const mark = site.lastSeq;
    await cp1.meter([11.1]);
    await t.app.load.settle();
    assert.deepEqual(await sessions(), { CP1: [16, 'charging', { A: 11.1 }], CP2: [16, 'charging', { A: 15.8 }] });
    assert.deepEqual([cp1.limit(), cp2.limit()], [16, 16]);
    const lower = site.profilesSince(mark, 'CP2')[0]!;
    const raise = site.profilesSince(mark, 'CP1')[0]!;
    assert.ok(lower.answeredSeq! < raise.seq);
    assert.deepEqual(site.violations, []);
  });

  it('a measured session counts in the phase sums; one that stopped does not', async () => {
    const res = await t.app.inject({ url: '/api/load', headers: await t.as('viewer') });
    assert.deepEqual((res.json() as LoadSnapshot).site.A, { limit: 32, allowed: 32, measured: 26.9 });
    await cp2.stop();
    await t.app.load.settle();
    const after = await t.app.inject({ url: '/api/load', headers: await t.as('viewer') });
    assert.deepEqual((after.json() as LoadSnapshot).site.A, { limit: 32, allowed: 32, measured: 11.1 });
  });

  it('a car that takes ~0 for 30 s is idle at 0 A, its minimum goes to the other; probed after 3 min, back on Charging', async () => {
    await cp1.stop(); // a new session: no demand window carried over from the others above
    clock().advance(1000);
    await cp2.start();
    clock().advance(1000);
    await cp1.start();
    await t.app.load.settle();
    assert.deepEqual([cp1.limit(), cp2.limit()], [16, 16]);
    await cp1.meter([0.3]); // full: SuspendedEV
    await cp1.status('SuspendedEV');
    clock().advance(30_000);
    await cp1.meter([0]);
    await t.app.load.settle();
    assert.deepEqual(await sessions(), { CP1: [0, 'capped-by-demand', { A: 0 }], CP2: [32, 'charging', null] });
    assert.deepEqual([cp1.limit(), cp2.limit()], [0, 32]);
    // At 0 A the charger suspends (SuspendedEVSE): that says nothing of the car, which stays idle.
    await cp1.status('SuspendedEVSE');
    clock().advance(60_000);
    t.app.load.refresh();
    await t.app.load.settle();
    assert.deepEqual([cp1.limit(), cp2.limit()], [0, 32]);
    // 3 min idle: probed at its 6 A minimum, the other lowered first.
    clock().advance(120_000);
    const mark = site.lastSeq;
    t.app.load.refresh();
    await t.app.load.settle();
    assert.deepEqual([cp1.limit(), cp2.limit()], [6, 26]);
    const lower = site.profilesSince(mark, 'CP2')[0]!;
    const raise = site.profilesSince(mark, 'CP1')[0]!;
    assert.ok(lower.answeredSeq! < raise.seq, 'the other came down before the probe went up');
    // The car takes it: Charging, and its share is back at once.
    await cp1.status('Charging');
    await t.app.load.settle();
    assert.deepEqual([cp1.limit(), cp2.limit()], [16, 16]);
    assert.deepEqual(site.violations, []);
  });
});
