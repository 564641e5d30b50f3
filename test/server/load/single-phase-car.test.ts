import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LoadSnapshot } from '../../../contracts/load.ts';
import type { ManualClock } from '../../../server/clock.ts';
import { engineName } from '../../helpers/db.ts';
import { loadCharger, saveSettings, SiteWatch, type LoadCharger } from '../../helpers/load-site.ts';
import { createOcppTestApp, type OcppTestApp } from '../../helpers/ocpp.ts';

/**
 * Per-phase demand end to end (server/load/phase-demand.ts, docs/LOAD.md
 * "Per-phase demand"): a single-phase car on a three-phase charger is
 * narrowed to its L1 after 30 s of the injected clock, its TxProfile goes to
 * numberPhases 1 before the others are raised on the phases it frees, and it
 * is widened (the others lowered first) the moment another line draws.
 * The chargers here honour numberPhases; the site watch counts each on the
 * phases its profile allows.
 */
describe(`per-phase demand on ${engineName}`, () => {
  let t: OcppTestApp;
  let site: SiteWatch;
  let three: LoadCharger;
  let onB: LoadCharger;
  let onC: LoadCharger;
  const clock = () => t.clock as ManualClock;
  const load = async () => {
    const res = await t.app.inject({ url: '/api/load', headers: await t.as('viewer') });
    return res.json() as LoadSnapshot;
  };
  const view = async () =>
    Object.fromEntries((await load()).sessions.map((s) => [s.chargerId, [s.allowed, s.phases.join('')]]));
  const phasesSent = (mark: number, id: string) =>
    site.profilesSince(mark, id).map((r) => {
      const schedule = (
        r.params as {
          csChargingProfiles: {
            chargingSchedule: { chargingSchedulePeriod: { limit: number; numberPhases?: number }[] };
          };
        }
      ).csChargingProfiles.chargingSchedule;
      return [schedule.chargingSchedulePeriod[0]!.limit, schedule.chargingSchedulePeriod[0]!.numberPhases];
    });

  before(async () => {
    t = await createOcppTestApp({ config: { loadControl: true } });
    site = new SiteWatch(t.clock, { A: 32, B: 32, C: 32 });
    await saveSettings(t, { blncurrentdistribution: 1, intmaxcurrenta: 32, intmaxcurrentb: 32, intmaxcurrentc: 32 });
    three = await loadCharger(t, site, 'CP3PH', { maxPhase: 3, phaseRotation: 'ABC' });
    onB = await loadCharger(t, site, 'CPB', { maxPhase: 1, phaseRotation: 'BCA' });
    onC = await loadCharger(t, site, 'CPC', { maxPhase: 1, phaseRotation: 'CAB' });
    for (const c of [three, onB, onC]) {
      clock().advance(1000);
      await c.start();
    }
    await t.app.load.settle();
  });
  after(() => t.close());

  it('counts a three-phase charger on all its phases until measured', async () => {
    assert.deepEqual(await view(), { CP3PH: [16, 'ABC'], CPB: [16, 'B'], CPC: [16, 'C'] });
    assert.deepEqual(site.enforced(), { A: 16, B: 32, C: 32 });
  });

  it('a car drawing on L1 alone for 30 s is narrowed: numberPhases 1 first, then the others raised on B and C', async () => {
    await three.meter([15.8, 0, 0]);
    await onB.meter([15.8]);
    await onC.meter([15.8]);
    await t.app.load.settle();
    clock().advance(29_000);
    await three.meter([15.9, 0.2, 0]);
    await t.app.load.settle();
    assert.deepEqual((await view()).CP3PH, [16, 'ABC'], 'not within 30 s');
    const mark = site.lastSeq;
    clock().advance(1000);
    await three.meter([15.9, 0, 0]);
    await t.app.load.settle();
    assert.deepEqual(await view(), { CP3PH: [32, 'A'], CPB: [32, 'B'], CPC: [32, 'C'] });
    assert.deepEqual(phasesSent(mark, 'CP3PH'), [
      [16, 1],
      [32, 1],
    ]);
    const narrowed = site.profilesSince(mark, 'CP3PH')[0]!;
    for (const id of ['CPB', 'CPC']) {
      const raise = site.profilesSince(mark, id)[0]!;
      assert.ok(narrowed.answeredSeq! < raise.seq, `${id} raised only after the narrowing was in force`);
    }
    const snapshot = await load();
    assert.deepEqual(
      [snapshot.site.A.allowed, snapshot.site.B.allowed, snapshot.site.C.allowed],
      [32, 32, 32],
      'the narrowed session counts on A alone',
    );
    assert.deepEqual(site.enforced(), { A: 32, B: 32, C: 32 });
    assert.deepEqual(site.violations, []);
  });

  it('another line drawing widens it at once, the others lowered first; not narrowed again in that session', async () => {
    const mark = site.lastSeq;
    clock().advance(5000);
    await three.meter([20, 4, 4]); // its charger let another line draw after all
    await t.app.load.settle();
    assert.deepEqual(await view(), { CP3PH: [16, 'ABC'], CPB: [16, 'B'], CPC: [16, 'C'] });
    assert.deepEqual(phasesSent(mark, 'CP3PH'), [
      [16, 1],
      [16, 3],
    ]);
    const widened = site.profilesSince(mark, 'CP3PH')[1]!;
    for (const id of ['CPB', 'CPC']) {
      const lower = site.profilesSince(mark, id)[0]!;
      assert.ok(lower.answeredSeq! < widened.seq, `${id} lowered before the widening`);
    }
    await three.meter([15.9, 0, 0]);
    clock().advance(31_000);
    await three.meter([15.9, 0, 0]);
    await t.app.load.settle();
    assert.deepEqual((await view()).CP3PH, [16, 'ABC'], 'a multi-phase car stays wide');
    assert.deepEqual(site.violations, []);
  });

  it('a new session on the charger starts wide and is judged afresh', async () => {
    await three.stop();
    clock().advance(1000);
    await three.start();
    await t.app.load.settle();
    assert.deepEqual((await view()).CP3PH, [16, 'ABC']);
    await three.meter([15.9, 0, 0]);
    clock().advance(30_000);
    await three.meter([15.9, 0, 0]);
    await t.app.load.settle();
    assert.deepEqual((await view()).CP3PH, [32, 'A']);
    assert.deepEqual(site.violations, []);
  });

  it('a charger that refuses numberPhases 1 is counted at its maximum on every phase, the others fitted around it, and not narrowed again', async () => {
    await three.stop();
    clock().advance(1000);
    await three.start();
    await t.app.load.settle();
    assert.deepEqual(await view(), { CP3PH: [16, 'ABC'], CPB: [16, 'B'], CPC: [16, 'C'] });
    three.answer = async (p) => {
      if (p.csChargingProfiles.chargingSchedule.chargingSchedulePeriod[0]?.numberPhases === 1)
        throw new Error('numberPhases 1 not supported');
      return 'Accepted';
    };
    const mark = site.lastSeq;
    await three.meter([15.9, 0, 0]);
    clock().advance(30_000);
    await three.meter([15.9, 0, 0]);
    await t.app.load.settle();
    assert.deepEqual(
      await view(),
      { CP3PH: [32, 'ABC'], CPB: [0, 'B'], CPC: [0, 'C'] },
      'at its maximum on A, B and C',
    );
    for (const id of ['CPB', 'CPC'])
      assert.ok(
        phasesSent(mark, id).every(([limit]) => limit! <= 16),
        `${id} was not raised on the narrowing that was refused`,
      );
    assert.deepEqual(site.violations, []);
    // Retried after half a lease: steered again on its wiring, and an L1-only draw no longer narrows it.
    clock().advance(300_000);
    t.app.load.refresh();
    await t.app.load.settle();
    await three.meter([15.9, 0, 0]);
    clock().advance(30_000);
    await three.meter([15.9, 0, 0]);
    await t.app.load.settle();
    assert.deepEqual(await view(), { CP3PH: [16, 'ABC'], CPB: [16, 'B'], CPC: [16, 'C'] });
    assert.deepEqual(site.violations, []);
  });
});
