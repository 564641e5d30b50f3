import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ManualClock } from '../../../server/clock.ts';
import { engineName } from '../../helpers/db.ts';
import { loadCharger, saveSettings, SiteWatch, type LoadCharger } from '../../helpers/load-site.ts';
import { createOcppTestApp, type OcppTestApp } from '../../helpers/ocpp.ts';

/**
 * What a load round reads again (server/load/controller.ts `dirty`): a
 * start, a stop or a status of a connector the model knows reads only the
 * open sessions; a connector's first status, a wiring change or a reboot
 * reads the whole site. Counted at the repository the controller reads.
 */
describe(`load rounds read what changed, on ${engineName}`, () => {
  let t: OcppTestApp;
  let site: SiteWatch;
  let cp: LoadCharger;
  const reads = { site: 0, sessions: 0 };

  const settled = async () => {
    await t.app.load.settle();
    const seen = { ...reads };
    reads.site = 0;
    reads.sessions = 0;
    return seen;
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
    const repo = t.app.repos.loadSite;
    const { chargers, openSessions } = repo;
    repo.chargers = () => (reads.site++, chargers());
    repo.openSessions = () => (reads.sessions++, openSessions());
    cp = await loadCharger(t, site, 'CP-R', { maxCurrent: 32, minCurrent: 6 });
    await cp.status('Available', 1);
    await settled();
  });
  after(() => t.close());

  it('a start and a status of a known connector read the open sessions only', async () => {
    (t.clock as ManualClock).advance(1000);
    await cp.start();
    assert.deepEqual(await settled(), { site: 0, sessions: 1 });
    await cp.status('Charging', 1);
    assert.deepEqual(await settled(), { site: 0, sessions: 1 });
    const snapshot = (await t.app.inject({ url: '/api/load', headers: await t.as('viewer') })).json() as {
      sessions: { chargerId: string; state: string; allowed: number }[];
    };
    assert.deepEqual(
      snapshot.sessions.map((s) => [s.chargerId, s.state, s.allowed]),
      [['CP-R', 'charging', 32]],
    );
  });

  it("a connector's first status reads the whole site: the failsafe share counts it", async () => {
    await cp.status('Available', 2);
    assert.deepEqual(await settled(), { site: 1, sessions: 1 });
  });

  it('a stop reads the open sessions only, a wiring change the whole site', async () => {
    await cp.stop();
    assert.deepEqual(await settled(), { site: 0, sessions: 1 });
    const res = await t.app.inject({
      method: 'PATCH',
      url: '/api/chargers/CP-R',
      headers: await t.as('admin'),
      payload: { maxCurrent: 16 },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal((await settled()).site, 1);
  });
});
