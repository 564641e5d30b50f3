import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LoadSnapshot } from '../../../contracts/load.ts';
import type { ManualClock } from '../../../server/clock.ts';
import { engineName } from '../../helpers/db.ts';
import {
  bootLoadCharger,
  connectLoadCharger,
  loadCharger,
  saveSettings,
  SiteWatch,
  type LoadCharger,
} from '../../helpers/load-site.ts';
import { createOcppTestApp, type OcppTestApp } from '../../helpers/ocpp.ts';

/**
 * A charger that has just connected is sent nothing by the load controller
 * until its BootNotification was accepted or 2 s (injected clock) after the
 * connection, whichever comes first (docs/LOAD.md "Rounds and reaction
 * time"): real chargers refuse CALLs before they booted, and that is no
 * refusal of a profile (no maxCurrent, no alarm).
 */
describe(`a charger that has just connected on ${engineName}`, () => {
  let t: OcppTestApp;
  let site: SiteWatch;
  let cp1: LoadCharger;
  const clock = () => t.clock as ManualClock;

  const alarms = async () => {
    const res = await t.app.inject({ url: '/api/alerts?pageSize=100', headers: await t.as('viewer') });
    return (res.json().items as { kind: string; chargerId: string }[]).filter((a) => a.kind.startsWith('load.'));
  };
  const callsTo = (id: string, since = 0) => site.received.filter((r) => r.chargerId === id && r.seq > since);
  const sessions = async () => {
    const res = await t.app.inject({ url: '/api/load', headers: await t.as('viewer') });
    return Object.fromEntries((res.json() as LoadSnapshot).sessions.map((s) => [s.chargerId, [s.allowed, s.state]]));
  };

  before(async () => {
    t = await createOcppTestApp({ config: { loadControl: true, loadLeaseSeconds: 600 } });
    site = new SiteWatch(t.clock, { A: 32, B: 32, C: 32 });
    await saveSettings(t, { blncurrentdistribution: 1, intmaxcurrenta: 32, intmaxcurrentb: 32, intmaxcurrentc: 32 });
    cp1 = await loadCharger(t, site, 'CP1', { maxCurrent: 32, minCurrent: 6 });
    await t.app.load.settle();
  });
  after(() => t.close());

  it('is sent nothing before its BootNotification, while rounds run for the others; then it is steered', async () => {
    // Like a real charger before its boot: every CALL is answered with a CALLERROR.
    const cp2 = await connectLoadCharger(t, site, 'CP2', { maxCurrent: 32, minCurrent: 6 }, 'error');
    const mark = site.lastSeq;
    clock().advance(1000);
    await cp1.start(); // a round for CP1 runs while CP2 waits for its boot
    await t.app.load.settle();
    assert.ok(site.profilesSince(mark, 'CP1').length > 0, 'the round steered CP1');
    assert.deepEqual(callsTo('CP2'), [], 'nothing was sent to CP2 before it booted');
    assert.deepEqual(await alarms(), [], 'and it is not counted as refusing');
    assert.equal(cp1.limit(), 32);

    cp2.answer = 'Accepted';
    const booted = site.lastSeq;
    await bootLoadCharger(cp2);
    await t.app.load.settle();
    assert.deepEqual(
      callsTo('CP2', booted).map((r) => [r.action, (r.params as { connectorId?: number }).connectorId]),
      [
        ['GetConfiguration', undefined],
        ['SetChargingProfile', 0],
      ],
    );
    clock().advance(1000);
    await cp2.start();
    await t.app.load.settle();
    assert.deepEqual(await sessions(), { CP1: [16, 'charging'], CP2: [16, 'charging'] });
    assert.deepEqual(await alarms(), []);
    assert.deepEqual(site.violations, []);
  });

  it('one that does not boot is steered 2 s after it connected', async () => {
    await connectLoadCharger(t, site, 'CP3', { maxCurrent: 32, minCurrent: 6 });
    await t.app.load.settle();
    assert.deepEqual(callsTo('CP3'), [], 'not within its first 2 s');
    clock().advance(1999);
    t.app.load.refresh();
    await t.app.load.settle();
    assert.deepEqual(callsTo('CP3'), [], 'not at 1.999 s');
    clock().advance(1);
    t.app.load.refresh();
    await t.app.load.settle();
    assert.deepEqual(
      callsTo('CP3').map((r) => r.action),
      ['GetConfiguration', 'SetChargingProfile'],
    );
    assert.deepEqual(site.violations, []);
  });
});
