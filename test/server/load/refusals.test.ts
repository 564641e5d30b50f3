import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LoadSnapshot } from '../../../contracts/load.ts';
import type { ManualClock } from '../../../server/clock.ts';
import { engineName } from '../../helpers/db.ts';
import { loadCharger, reconnect, saveSettings, SiteWatch, type LoadCharger } from '../../helpers/load-site.ts';
import { BOOT, createOcppTestApp, nextEvent, type OcppTestApp } from '../../helpers/ocpp.ts';

/**
 * Chargers the controller cannot steer (docs/LOAD.md "When a charger does
 * not take a profile"): one that rejects, errs or stays silent, one that drops
 * off with a session open. Each is counted at its maxCurrent, the others are
 * fitted around it, and an alarm is raised.
 */
describe(`chargers that do not take profiles on ${engineName}`, () => {
  let t: OcppTestApp;
  let site: SiteWatch;
  let cp: Record<string, LoadCharger>;
  const clock = () => t.clock as ManualClock;

  const sessions = async () => {
    const res = await t.app.inject({ url: '/api/load', headers: await t.as('viewer') });
    return Object.fromEntries((res.json() as LoadSnapshot).sessions.map((s) => [s.chargerId, [s.allowed, s.state]]));
  };
  const alerts = async () => {
    const res = await t.app.inject({ url: '/api/alerts?pageSize=100', headers: await t.as('viewer') });
    return (res.json().items as { kind: string; chargerId: string; details: Record<string, unknown> }[]).filter((a) =>
      a.kind.startsWith('load.'),
    );
  };
  const start = async (c: LoadCharger) => {
    clock().advance(1000);
    await c.start();
    await t.app.load.settle();
  };

  before(async () => {
    t = await createOcppTestApp({ config: { loadControl: true, loadLeaseSeconds: 600, loadCommandTimeoutMs: 2000 } });
    site = new SiteWatch(t.clock, { A: 40, B: 40, C: 40 });
    await saveSettings(t, { blncurrentdistribution: 1, intmaxcurrenta: 40, intmaxcurrentb: 40, intmaxcurrentc: 40 });
    cp = {};
    cp.CP1 = await loadCharger(t, site, 'CP1', { maxCurrent: 32, minCurrent: 6 });
    // CP2 rejects every profile from its boot on: it has no failsafe default either.
    cp.CP2 = await loadCharger(t, site, 'CP2', { maxCurrent: 32, minCurrent: 6 }, 'Rejected');
    await t.app.load.settle();
  });
  after(() => t.close());

  it('a charger that rejects profiles is counted at its maximum and the others fit around it, with an alarm', async () => {
    await start(cp.CP2!); // it charges at its own 32 A
    assert.equal(cp.CP2!.limit(), 32);
    await start(cp.CP1!);
    assert.deepEqual(await sessions(), { CP2: [32, 'unmanaged'], CP1: [8, 'charging'] });
    assert.equal(cp.CP1!.limit(), 8);
    const refused = (await alerts()).filter((a) => a.kind === 'load.profile-rejected');
    assert.deepEqual(
      refused.map((a) => [a.chargerId, a.details.why]),
      [['CP2', 'Rejected']],
    );
    const details = await t.app.inject({ url: '/api/charger/details/?charger_id=CP2', headers: await t.as('viewer') });
    assert.equal(details.json().result.intchargingcurrent, 32);
    assert.deepEqual(site.violations, []);
  });

  it('it is tried again after half a lease, and steered once it accepts', async () => {
    cp.CP2!.answer = 'Accepted';
    clock().advance(301_000);
    t.app.load.refresh();
    await t.app.load.settle();
    assert.deepEqual(await sessions(), { CP2: [20, 'charging'], CP1: [20, 'charging'] });
    assert.deepEqual([cp.CP1!.limit(), cp.CP2!.limit()], [20, 20]);
    assert.equal(
      (await alerts()).filter((a) => a.kind === 'load.profile-rejected').length,
      1,
      'one alarm for the one episode',
    );
    assert.deepEqual(site.violations, []);
  });

  it('a charger that answers a CALLERROR or does not answer in time is counted at its maximum too', async () => {
    for (const [answer, why, limit] of [
      ['error', 'InternalError', 39],
      ['silent', 'timeout', 38],
    ] as const) {
      cp.CP2!.answer = answer;
      // A lower for both: CP2 does not take its own, so it counts at 32 A and CP1 gets the rest.
      await saveSettings(t, { intmaxcurrenta: limit });
      site.limits.A = 40;
      await t.app.load.settle();
      site.limits.A = limit;
      assert.deepEqual(await sessions(), { CP2: [32, 'unmanaged'], CP1: [limit - 32, 'charging'] });
      const refused = (await alerts()).filter((a) => a.kind === 'load.profile-rejected');
      assert.equal(refused[0]!.details.why, why);
      cp.CP2!.answer = 'Accepted';
      clock().advance(301_000);
      t.app.load.refresh();
      await t.app.load.settle();
      assert.deepEqual(await sessions(), { CP2: [limit / 2, 'charging'], CP1: [limit / 2, 'charging'] });
      site.limits.A = 40;
      await saveSettings(t, { intmaxcurrenta: 40 });
      await t.app.load.settle();
    }
    assert.deepEqual(await sessions(), { CP2: [20, 'charging'], CP1: [20, 'charging'] });
    assert.equal((await alerts()).filter((a) => a.kind === 'load.profile-rejected').length, 3);
    assert.deepEqual(site.violations, []);
  });

  it('a charger that drops off with a session open is counted at its maximum until it is back', async () => {
    const offline = nextEvent(t, (e) => e.type === 'offline' && e.chargerId === 'CP1');
    await cp.CP1!.client.close({ force: true });
    await offline;
    await t.app.load.settle();
    assert.deepEqual(await sessions(), { CP2: [8, 'charging'], CP1: [32, 'unmanaged'] });
    assert.equal(cp.CP2!.limit(), 8);
    const dropped = (await alerts()).filter((a) => a.kind === 'load.charger-offline');
    assert.deepEqual(
      dropped.map((a) => a.chargerId),
      ['CP1'],
    );
    // Back without a reboot: its TxProfile of 20 A is still installed, so CP2 goes up again at once,
    // while CP1 is sent nothing in the 2 s it has for a BootNotification.
    const back = site.lastSeq;
    await reconnect(t, cp.CP1!);
    await t.app.load.settle();
    assert.deepEqual(await sessions(), { CP2: [20, 'charging'], CP1: [20, 'unmanaged'] });
    assert.deepEqual(
      site.received.filter((r) => r.seq > back && r.chargerId === 'CP1'),
      [],
    );
    clock().advance(2000);
    t.app.load.refresh();
    await t.app.load.settle();
    assert.deepEqual(await sessions(), { CP2: [20, 'charging'], CP1: [20, 'charging'] });
    assert.deepEqual([cp.CP1!.limit(), cp.CP2!.limit()], [20, 20]);
    assert.deepEqual(site.violations, []);
  });

  it('a charger that reboots is asked its stack level again and gets its failsafe default again', async () => {
    const mark = site.lastSeq;
    const boot = (await cp.CP2!.client.call('BootNotification', BOOT)) as { status: string };
    assert.equal(boot.status, 'Accepted');
    // The reboot ended its session (closed with reason Reboot): the charger holds no transaction now.
    cp.CP2!.tx = undefined;
    cp.CP2!.profiles.dropTxProfiles(1);
    await t.app.load.settle();
    const after = site.received.filter((r) => r.seq > mark && r.chargerId === 'CP2');
    assert.deepEqual(
      after.map((r) => [r.action, (r.params as { connectorId?: number }).connectorId]),
      [
        ['GetConfiguration', undefined],
        ['SetChargingProfile', 0],
      ],
    );
    assert.deepEqual(await sessions(), { CP1: [32, 'charging'] });
    assert.deepEqual(site.violations, []);
  });
});
