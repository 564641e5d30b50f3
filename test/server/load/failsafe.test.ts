import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ManualClock } from '../../../server/clock.ts';
import { engineName } from '../../helpers/db.ts';
import { loadCharger, saveSettings, SiteWatch, type LoadCharger } from '../../helpers/load-site.ts';
import { createOcppTestApp, type OcppTestApp } from '../../helpers/ocpp.ts';

/**
 * The failsafe (docs/LOAD.md "Failsafe"): every allowance is a lease, every
 * charger holds a TxDefaultProfile of 0 A for a lease and then its safe
 * share, so when chargeops stops the chargers alone keep the site within its
 * limits at every instant, a session started meanwhile included.
 */
describe(`the failsafe when chargeops stops on ${engineName}`, () => {
  let t: OcppTestApp;
  let site: SiteWatch;
  let cp: LoadCharger[];
  const clock = () => t.clock as ManualClock;
  let closed = false;

  before(async () => {
    t = await createOcppTestApp({ config: { loadControl: true, loadLeaseSeconds: 600 } });
    site = new SiteWatch(t.clock, { A: 32, B: 32, C: 32 });
    await saveSettings(t, { blncurrentdistribution: 1, intmaxcurrenta: 32 });
    cp = [];
    for (const id of ['CP1', 'CP2', 'CP3']) cp.push(await loadCharger(t, site, id, { maxCurrent: 32, minCurrent: 6 }));
    await t.app.load.settle();
  });
  after(async () => {
    if (!closed) await t.close();
  });

  it("an alarm says when the safe share is below a charger's minimum", async () => {
    await saveSettings(t, { intmaxcurrenta: 12 });
    await t.app.load.settle();
    const res = await t.app.inject({ url: '/api/alerts?pageSize=50', headers: await t.as('viewer') });
    const alarms = (res.json().items as { kind: string; chargerId: string; severity: string }[]).filter(
      (a) => a.kind === 'load.failsafe-too-much',
    );
    assert.deepEqual(alarms.map((a) => [a.chargerId, a.severity]).sort(), [
      ['CP1', 'warning'],
      ['CP2', 'warning'],
      ['CP3', 'warning'],
    ]);
    await saveSettings(t, { intmaxcurrenta: 32 });
    await t.app.load.settle();
  });

  it('after chargeops stops, leases run out onto the safe default and a new session waits out its hold', async () => {
    clock().advance(1000);
    await cp[0]!.start();
    clock().advance(1000);
    await cp[1]!.start();
    await t.app.load.settle();
    assert.deepEqual(
      cp.map((c) => c.limit()),
      [16, 16, 0],
    );
    const stoppedAt = t.clock.now().getTime();
    await t.close();
    closed = true;
    // CP3's car plugs in a second later; the chargers are on their own from here.
    const plugIn = new Date(stoppedAt + 1000);
    const seen = new Set<string>();
    for (let s = 0; s <= 1300; s += 5) {
      const at = new Date(stoppedAt + s * 1000);
      cp[2]!.tx = at >= plugIn ? { id: 999_999, connectorId: 1, start: plugIn } : undefined;
      const sum = cp.reduce((n, c) => n + c.limit(at), 0);
      assert.ok(sum <= 32 + 1e-9, `${s} s after the stop the chargers allow ${sum} A on A`);
      seen.add(cp.map((c) => c.limit(at)).join('/'));
    }
    // The leases (16 A) end onto the safe share (32 ÷ 3 = 10.6 A); CP3 holds 0 A for a lease, then takes its share.
    assert.deepEqual([...seen], ['16/16/0', '10.6/10.6/0', '10.6/10.6/10.6']);
  });
});
