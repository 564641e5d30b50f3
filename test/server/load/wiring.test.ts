import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LoadSnapshot, PerPhase } from '../../../contracts/load.ts';
import type { ManualClock } from '../../../server/clock.ts';
import { TX_DEFAULT_PROFILE_ID } from '../../../server/load/profiles.ts';
import { engineName } from '../../helpers/db.ts';
import { loadCharger, saveSettings, SiteWatch, type LoadCharger } from '../../helpers/load-site.ts';
import { createOcppTestApp, type OcppTestApp } from '../../helpers/ocpp.ts';

/**
 * Settings, wiring and circuit changes re-allocate within 2 s and renew each
 * charger's failsafe default; leases are renewed at half-life. Where a change
 * tightens what is allowed (a lower limit, a charger rewired onto a fuller
 * phase), the looser picture holds until the controller has settled, then the
 * new one (the chargers cannot be lowered before the change is known).
 */
describe(`load controller across settings and wiring changes on ${engineName}`, () => {
  let t: OcppTestApp;
  let site: SiteWatch;
  let cp: Record<string, LoadCharger>;
  const clock = () => t.clock as ManualClock;
  const loose: PerPhase = { A: 1000, B: 1000, C: 1000 };

  const sessions = async () => {
    const res = await t.app.inject({ url: '/api/load', headers: await t.as('viewer') });
    return Object.fromEntries((res.json() as LoadSnapshot).sessions.map((s) => [s.chargerId, s.allowed]));
  };
  /** Applies a change that may tighten the limits: anything goes until the controller settled, then `after` holds. */
  const change = async (apply: () => Promise<void>, after: PerPhase, circuits?: () => void) => {
    site.limits = { ...loose };
    const saved = new Map(site.circuits);
    site.circuits.clear();
    await apply();
    await t.app.load.settle();
    for (const [k, v] of saved) site.circuits.set(k, v);
    circuits?.();
    site.limits = { ...after };
    site.check('after the change settled');
  };
  const patchCharger = async (id: string, body: Record<string, unknown>) => {
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/chargers/${id}`,
      headers: await t.as('admin'),
      payload: body,
    });
    assert.equal(res.statusCode, 200, res.body);
  };

  before(async () => {
    t = await createOcppTestApp({ config: { loadControl: true, loadLeaseSeconds: 600 } });
    site = new SiteWatch(t.clock, { A: 32, B: 32, C: 32 });
    await saveSettings(t, {
      blncurrentdistribution: 1,
      vchpowersequence: 'ABC',
      intmaxcurrenta: 32,
      intmaxcurrentb: 32,
      intmaxcurrentc: 32,
    });
    cp = {
      // Two chargers wired to two phases (A, B), one single-phase on C.
      D1: await loadCharger(t, site, 'D1', { maxPhase: 2, phaseRotation: 'ABC', maxCurrent: 32, minCurrent: 6 }),
      D2: await loadCharger(t, site, 'D2', { maxPhase: 2, phaseRotation: 'ABC', maxCurrent: 32, minCurrent: 6 }),
      S1: await loadCharger(t, site, 'S1', { maxPhase: 1, phaseRotation: 'CAB', maxCurrent: 32, minCurrent: 6 }),
    };
    for (const c of Object.values(cp)) {
      clock().advance(1000);
      await c.start();
    }
    await t.app.load.settle();
  });
  after(() => t.close());

  it('a single-phase charger on a free phase gets its full current while the others share theirs', async () => {
    assert.deepEqual(await sessions(), { D1: 16, D2: 16, S1: 32 });
    assert.deepEqual(site.enforced(), { A: 32, B: 32, C: 32 });
    const twoPhase = site.profilesSince(0, 'D1').at(-1)!.params as {
      csChargingProfiles: { chargingSchedule: { chargingSchedulePeriod: { numberPhases: number }[] } };
    };
    assert.equal(twoPhase.csChargingProfiles.chargingSchedule.chargingSchedulePeriod[0]!.numberPhases, 2);
    assert.deepEqual(site.violations, []);
  });

  it('lowering a site limit lowers the sessions on it and renews every failsafe default', async () => {
    const mark = site.lastSeq;
    await change(() => saveSettings(t, { intmaxcurrenta: 20 }), { A: 20, B: 32, C: 32 });
    assert.deepEqual(await sessions(), { D1: 10, D2: 10, S1: 32 });
    const defaults = site.received.filter(
      (r) =>
        r.seq > mark && r.action === 'SetChargingProfile' && (r.params as { connectorId: number }).connectorId === 0,
    );
    assert.deepEqual(
      defaults.map((r) => r.chargerId).sort(),
      ['D1', 'D2'],
      'the chargers on A get their new safe share; S1 on C keeps its own',
    );
    const period = (r: (typeof defaults)[number]) =>
      (
        r.params as {
          csChargingProfiles: {
            chargingProfileId: number;
            chargingSchedule: { chargingSchedulePeriod: { limit: number }[] };
          };
        }
      ).csChargingProfiles;
    assert.deepEqual(
      defaults.map((r) => [period(r).chargingProfileId, period(r).chargingSchedule.chargingSchedulePeriod[1]!.limit]),
      [
        [TX_DEFAULT_PROFILE_ID, 10],
        [TX_DEFAULT_PROFILE_ID, 10],
      ],
    );
    await change(() => saveSettings(t, { intmaxcurrenta: 32 }), { A: 32, B: 32, C: 32 });
    assert.deepEqual(await sessions(), { D1: 16, D2: 16, S1: 32 });
    assert.deepEqual(site.violations, []);
  });

  it('rewiring a charger onto a fuller phase re-allocates around it', async () => {
    await change(
      async () => {
        await patchCharger('S1', { phaseRotation: 'ABC' });
        cp.S1!.wiring.phaseRotation = 'ABC';
      },
      { A: 32, B: 32, C: 32 },
    );
    assert.deepEqual(await sessions(), { D1: 10.6, D2: 10.6, S1: 10.6 });
    await change(
      async () => {
        await patchCharger('S1', { phaseRotation: 'CAB' });
        cp.S1!.wiring.phaseRotation = 'CAB';
      },
      { A: 32, B: 32, C: 32 },
    );
    assert.deepEqual(await sessions(), { D1: 16, D2: 16, S1: 32 });
    assert.deepEqual(site.violations, []);
  });

  it('a circuit bounds the chargers under it, and its limits are followed when edited', async () => {
    const admin = await t.as('admin');
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/circuits',
      headers: admin,
      payload: { name: 'Level 1', limits: { A: 20, B: 20, C: 20 } },
    });
    assert.equal(created.statusCode, 201, created.body);
    const id = created.json().id as number;
    await change(
      async () => {
        await patchCharger('D1', { circuitId: id });
        await patchCharger('D2', { circuitId: id });
        cp.D1!.wiring.circuitId = id;
        cp.D2!.wiring.circuitId = id;
      },
      { A: 32, B: 32, C: 32 },
      () => site.circuits.set(id, { parentId: null, limits: { A: 20, B: 20, C: 20 } }),
    );
    assert.deepEqual(await sessions(), { D1: 10, D2: 10, S1: 32 });
    const snap = (await t.app.inject({ url: '/api/load', headers: await t.as('viewer') })).json() as LoadSnapshot;
    assert.deepEqual(
      snap.circuits.map((c) => [c.name, c.phases.A.limit, c.phases.A.allowed, c.phases.C.allowed]),
      [['Level 1', 20, 20, 0]],
    );
    const patched = await t.app.inject({
      method: 'PATCH',
      url: `/api/circuits/${id}`,
      headers: admin,
      payload: { limits: { A: 12 } },
    });
    assert.equal(patched.statusCode, 200, patched.body);
    await t.app.load.settle();
    site.circuits.set(id, { parentId: null, limits: { A: 12, B: 20, C: 20 } });
    site.check('after the circuit limit came down');
    assert.deepEqual(await sessions(), { D1: 6, D2: 6, S1: 32 });
    assert.deepEqual(site.violations, []);
  });

  it('leases are renewed at half-life with the same allowance', async () => {
    const mark = site.lastSeq;
    clock().advance(299_000);
    t.app.load.refresh();
    await t.app.load.settle();
    const early = site.profilesSince(mark).filter((r) => (r.params as { connectorId: number }).connectorId > 0);
    clock().advance(2000);
    t.app.load.refresh();
    await t.app.load.settle();
    const renewed = site
      .profilesSince(mark)
      .filter((r) => (r.params as { connectorId: number }).connectorId > 0)
      .slice(early.length);
    assert.deepEqual(renewed.map((r) => r.chargerId).sort(), ['D1', 'D2', 'S1']);
    for (const r of renewed) {
      const schedule = (
        r.params as {
          csChargingProfiles: {
            chargingSchedule: {
              startSchedule: string;
              chargingSchedulePeriod: { startPeriod: number; limit: number }[];
            };
          };
        }
      ).csChargingProfiles.chargingSchedule;
      assert.deepEqual(schedule.startSchedule, t.clock.now().toISOString());
      assert.deepEqual(
        schedule.chargingSchedulePeriod.map((p) => p.startPeriod),
        [0, 600],
      );
    }
    assert.deepEqual(
      Object.values(cp).map((c) => c.limit()),
      [6, 6, 32],
    );
    assert.deepEqual(site.violations, []);
  });
});
