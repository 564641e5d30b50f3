import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LoadSnapshot } from '../../../contracts/load.ts';
import { TX_DEFAULT_PROFILE_ID, txProfileId } from '../../../server/load/profiles.ts';
import type { ManualClock } from '../../../server/clock.ts';
import { gate } from '../../helpers/gate.ts';
import { engineName } from '../../helpers/db.ts';
import { loadCharger, saveSettings, SiteWatch, type LoadCharger } from '../../helpers/load-site.ts';
import { createOcppTestApp, nextEvent, type OcppTestApp } from '../../helpers/ocpp.ts';

/**
 * The load controller end to end: a real server on port 0 and strict OCPP
 * clients that apply the profiles they receive (test/helpers/load-site.ts);
 * the site watch checks the limits at every profile applied and every start.
 */
describe(`load controller on ${engineName}`, () => {
  let t: OcppTestApp;
  let site: SiteWatch;
  let cp: LoadCharger[];

  const load = async (): Promise<LoadSnapshot> => {
    const res = await t.app.inject({ url: '/api/load', headers: await t.as('viewer') });
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as LoadSnapshot;
  };
  /** Sessions start a second apart, so arrival order is theirs (the allocator admits earlier arrivals first). */
  const start = async (c: LoadCharger) => {
    (t.clock as ManualClock).advance(1000);
    return c.start();
  };
  const allowed = async () =>
    Object.fromEntries((await load()).sessions.map((s) => [s.chargerId, [s.allowed, s.state]]));

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
    // Three single-phase chargers on site phase A, one three-phase charger on all.
    cp = [];
    for (const id of ['CP1', 'CP2', 'CP3']) cp.push(await loadCharger(t, site, id, { maxCurrent: 32, minCurrent: 6 }));
    await t.app.load.settle();
  });
  after(() => t.close());

  it('at boot each charger gets the failsafe TxDefaultProfile: 0 A for a lease, then its safe share', async () => {
    for (const c of cp) {
      const calls = site.received.filter((r) => r.chargerId === c.id);
      assert.deepEqual(calls[0]?.params, { key: ['ChargeProfileMaxStackLevel', 'MeterValueSampleInterval'] });
      assert.equal(calls.filter((r) => r.action === 'GetConfiguration').length, 1, 'asked once per boot');
      // Each boot changed the safe share of those before it: the last one says a third of 32 A.
      assert.deepEqual(calls.at(-1)?.params, {
        connectorId: 0,
        csChargingProfiles: {
          chargingProfileId: TX_DEFAULT_PROFILE_ID,
          stackLevel: 8,
          chargingProfilePurpose: 'TxDefaultProfile',
          chargingProfileKind: 'Relative',
          chargingSchedule: {
            chargingRateUnit: 'A',
            chargingSchedulePeriod: [
              { startPeriod: 0, limit: 0, numberPhases: 1 },
              { startPeriod: 600, limit: 10.6, numberPhases: 1 },
            ],
          },
        },
      });
    }
    const log = await t.app.inject({ url: '/api/commands?charger_id=CP3&limit=10', headers: await t.as('viewer') });
    const rows = log.json() as { action: string; requestedBy: string; outcome: string; payload: unknown }[];
    assert.deepEqual(
      rows.map((r) => [r.action, r.requestedBy, r.outcome]),
      [
        ['SetChargingProfile', 'system:load', 'answered'],
        ['GetConfiguration', 'system:load', 'answered'],
      ],
    );
    assert.deepEqual(rows[0]!.payload, site.received.filter((r) => r.chargerId === 'CP3').at(-1)!.params);
  });

  it('sessions share the phase, lowers before raises, and no instant is above the limit', async () => {
    const tx1 = await start(cp[0]!);
    await t.app.load.settle();
    assert.equal(cp[0]!.limit(), 32);
    const p1 = site.profilesSince(0, 'CP1').at(-1)!;
    assert.deepEqual(p1.params, {
      connectorId: 1,
      csChargingProfiles: {
        chargingProfileId: txProfileId(1),
        transactionId: tx1,
        stackLevel: 8,
        chargingProfilePurpose: 'TxProfile',
        chargingProfileKind: 'Absolute',
        chargingSchedule: {
          startSchedule: t.clock.now().toISOString(),
          chargingRateUnit: 'A',
          chargingSchedulePeriod: [
            { startPeriod: 0, limit: 32, numberPhases: 1 },
            { startPeriod: 600, limit: 10.6, numberPhases: 1 },
          ],
        },
      },
    });

    const mark = site.lastSeq;
    await start(cp[1]!);
    await t.app.load.settle();
    assert.deepEqual([cp[0]!.limit(), cp[1]!.limit()], [16, 16]);
    const lower = site.profilesSince(mark, 'CP1')[0]!;
    const raise = site.profilesSince(mark, 'CP2')[0]!;
    assert.ok(lower.answeredSeq! < raise.seq, 'CP2 was raised only after CP1 answered its lower');

    await start(cp[2]!);
    await t.app.load.settle();
    assert.deepEqual(
      cp.map((c) => c.limit()),
      [10.6, 10.6, 10.6],
    );
    assert.deepEqual(await allowed(), { CP1: [10.6, 'charging'], CP2: [10.6, 'charging'], CP3: [10.6, 'charging'] });

    await cp[0]!.stop();
    await t.app.load.settle();
    assert.deepEqual([cp[1]!.limit(), cp[2]!.limit()], [16, 16]);
    assert.deepEqual(site.violations, []);
    assert.ok(site.checks > 10);
  });

  it('a raise waits while a lower is unanswered', async () => {
    // CP2 and CP3 hold 16 A each; CP1 starts: the two must come down to 10.6 before CP1 gets anything.
    const held = gate<'Accepted'>();
    cp[1]!.answer = () => held.promise;
    const mark = site.lastSeq;
    await start(cp[0]!);
    // CP3's lower is answered, CP2's is not: CP1 stays at its TxDefaultProfile's 0 A.
    await site.until(
      () =>
        site.profilesSince(mark, 'CP2').length === 1 && site.profilesSince(mark, 'CP3')[0]?.answeredSeq !== undefined,
    );
    assert.deepEqual(site.profilesSince(mark, 'CP1'), []);
    assert.equal(cp[0]!.limit(), 0);
    cp[1]!.answer = 'Accepted';
    held.open('Accepted');
    await t.app.load.settle();
    const raise = site.profilesSince(mark, 'CP1')[0]!;
    assert.ok(site.profilesSince(mark, 'CP2')[0]!.answeredSeq! < raise.seq);
    assert.deepEqual(
      cp.map((c) => c.limit()),
      [10.6, 10.6, 10.6],
    );
    assert.deepEqual(site.violations, []);
  });

  it('GET /api/load answers the phases and sessions, and load.changed carries the same', async () => {
    const changed = nextEvent(t, (e) => e.type === 'load.changed' && e.load.site.A.measured === 9.5);
    await cp[0]!.meter([9.5]);
    const event = await changed;
    assert.equal(event.type, 'load.changed');
    const snap = await load();
    assert.deepEqual(event.type === 'load.changed' ? { ...event.load, at: snap.at } : undefined, snap);
    assert.equal(snap.enabled, true);
    assert.deepEqual(snap.site, {
      A: { limit: 32, allowed: 31.8, measured: 9.5 },
      B: { limit: 32, allowed: 0, measured: 0 },
      C: { limit: 32, allowed: 0, measured: 0 },
    });
    const s1 = snap.sessions.find((s) => s.chargerId === 'CP1')!;
    assert.deepEqual(
      { ...s1, transactionId: typeof s1.transactionId },
      {
        chargerId: 'CP1',
        connectorId: 1,
        transactionId: 'number',
        phases: ['A'],
        allowed: 10.6,
        measured: { A: 9.5 },
        state: 'charging',
        circuitId: null,
      },
    );
    const details = await t.app.inject({ url: '/api/charger/details/?charger_id=CP1', headers: await t.as('viewer') });
    assert.equal(details.json().result.intchargingcurrent, 10);
    assert.equal((await t.app.inject({ url: '/api/load' })).statusCode, 401);
  });

  it('a session that does not fit at its minimum waits at 0 A, and is admitted when it fits', async () => {
    await saveSettings(t, { intmaxcurrenta: 14 });
    site.limits.A = 32; // the looser limit holds while the controller lowers
    await t.app.load.settle();
    site.limits.A = 14;
    site.check('after the limit came down');
    // Arrival order: CP2, CP3 came first (CP1 restarted last): CP1 waits.
    assert.deepEqual(await allowed(), { CP2: [7, 'charging'], CP3: [7, 'charging'], CP1: [0, 'waiting'] });
    assert.equal(cp[0]!.limit(), 0);
    const details = await t.app.inject({ url: '/api/charger/details/?charger_id=CP1', headers: await t.as('viewer') });
    assert.equal(details.json().result.intchargingcurrent, 0);
    await cp[1]!.stop();
    await t.app.load.settle();
    assert.deepEqual(await allowed(), { CP3: [7, 'charging'], CP1: [7, 'charging'] });
    assert.deepEqual(site.violations, []);
  });

  it('switching distribution off clears our profiles by id and frees the chargers', async () => {
    const mark = site.lastSeq;
    await saveSettings(t, { blncurrentdistribution: 0 });
    await t.app.load.settle();
    const clears = site.received.filter((r) => r.seq > mark && r.action === 'ClearChargingProfile');
    assert.deepEqual(
      clears
        .filter((r) => r.chargerId === 'CP1')
        .map((r) => r.params)
        .sort((a, b) => Number(a.id) - Number(b.id)),
      [{ id: TX_DEFAULT_PROFILE_ID }, { id: txProfileId(1) }],
    );
    assert.deepEqual(
      clears.filter((r) => r.chargerId === 'CP2').map((r) => r.params),
      [{ id: TX_DEFAULT_PROFILE_ID }],
    );
    assert.deepEqual([cp[0]!.limit(), cp[2]!.limit()], [32, 32]);
    const snap = await load();
    assert.equal(snap.enabled, false);
    assert.deepEqual(
      snap.sessions.map((s) => [s.chargerId, s.allowed, s.state]),
      [
        ['CP3', 32, 'unmanaged'],
        ['CP1', 32, 'unmanaged'],
      ],
    );
    const details = await t.app.inject({ url: '/api/charger/details/?charger_id=CP1', headers: await t.as('viewer') });
    assert.equal(details.json().result.intchargingcurrent, 32);
    assert.deepEqual(site.profilesSince(mark), [], 'nothing is steered while off');
  });
});
