import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ChargerEvent } from '../../../../contracts/events.ts';
import type { ManualClock } from '../../../../server/clock.ts';
import { engineName } from '../../../helpers/db.ts';
import { loadCharger, saveSettings, SiteWatch, type LoadCharger } from '../../../helpers/load-site.ts';
import { createOcppTestApp, nextEvent, type OcppTestApp } from '../../../helpers/ocpp.ts';

/**
 * The seed's cached aggregate answers (server/api/seed/read-cache.ts) with
 * distribution on: the load controller's SetChargingProfile commands and its
 * load.changed events change nothing those answers show, so they keep them;
 * a charger's own status still drops them at once.
 */
describe(`cached seed answers while the load controller steers, on ${engineName}`, () => {
  let t: OcppTestApp;
  let site: SiteWatch;
  let cp1: LoadCharger;
  const clock = () => t.clock as ManualClock;
  const states = async () => {
    const res = await t.app.inject({ url: '/api/recent/charger/state/list/', headers: await t.as('viewer') });
    assert.equal(res.statusCode, 200, res.body);
    const rows = res.json().result as { vchchargerid: string; vchstate: string; vchcommand: string }[];
    return Object.fromEntries(rows.map((r) => [r.vchchargerid, [r.vchstate, r.vchcommand]]));
  };

  before(async () => {
    t = await createOcppTestApp({ config: { loadControl: true } });
    site = new SiteWatch(t.clock, { A: 32, B: 32, C: 32 });
    await saveSettings(t, { blncurrentdistribution: 1, intmaxcurrenta: 32 });
    cp1 = await loadCharger(t, site, 'CP1', { maxCurrent: 32, minCurrent: 6 });
    const cp2 = await loadCharger(t, site, 'CP2', { maxCurrent: 32, minCurrent: 6 });
    clock().advance(1000);
    await cp1.start();
    clock().advance(1000);
    await cp2.start();
    await t.app.load.settle();
  });
  after(() => t.close());

  it("keeps seed 2.8 across the controller's profiles and load.changed, and drops it on a status", async () => {
    assert.deepEqual([cp1.limit(), site.chargers.get('CP2')!.limit()], [16, 16]);
    await cp1.meter([5]); // CP1's car takes 5 A: after 30 s it is capped and CP2 raised
    clock().advance(29_000); // not yet
    await cp1.client.call('Heartbeat', {});
    await t.app.ocpp.seen.flush(); // heartbeats are written in batches (server/ocpp/seen-buffer.ts)
    const cached = await states();
    assert.deepEqual(cached.CP1, ['Charging', 'Heartbeat']);

    // The MeterValues writes last_command with no event (the TTL bounds that): a re-read answer would show it.
    const seen: ChargerEvent[] = [];
    const off = t.app.events.subscribe((e) => seen.push(e));
    const mark = site.lastSeq;
    const changed = nextEvent(t, (e) => e.type === 'load.changed');
    clock().advance(1500); // 30.5 s below: capped now (at this sample or the tick before it), within the cache's 2 s TTL
    await cp1.meter([5]);
    await changed;
    await t.app.load.settle();
    off();
    assert.ok(site.profilesSince(mark, 'CP1').length > 0 && site.profilesSince(mark, 'CP2').length > 0);
    assert.ok(seen.some((e) => e.type === 'command' && e.action === 'SetChargingProfile'));
    assert.ok(seen.some((e) => e.type === 'load.changed'));
    assert.deepEqual(await states(), cached, 'the load events left the cached answer in place');

    await cp1.status('SuspendedEV');
    assert.deepEqual((await states()).CP1, ['SuspendedEV', 'StatusNotification'], 'a status drops it at once');
  });
});
