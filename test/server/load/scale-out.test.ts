import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LoadSnapshot } from '../../../contracts/load.ts';
import { RedisEventBus } from '../../../server/events/redis-bus.ts';
import { RedisCommandRouter } from '../../../server/ocpp/redis-router.ts';
import type { Database } from '../../../db/client.ts';
import { createTestDatabase, engineName } from '../../helpers/db.ts';
import { loadCharger, saveSettings, SiteWatch, type LoadCharger } from '../../helpers/load-site.ts';
import { createOcppTestApp, nextEvent, type OcppTestApp } from '../../helpers/ocpp.ts';

// Redis DB 3: the leadership lease and the charger owners are keys of their database, so this file keeps to its own.
const redisUrl = (() => {
  const u = new URL(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
  u.pathname = '/3';
  return u.toString();
})();
// Charger ids are global in Redis: keep this run's apart from any other.
const id = (n: number) => `LOADSCALE${process.pid}-${n}`;

/**
 * Two processes of one site (docs/LOAD.md "Several processes"): one steers,
 * its profiles reach a charger held by the other through the command router,
 * the other answers the leader's picture, and takes over when it closes.
 */
describe(`load control across two processes on ${engineName}`, () => {
  let a: OcppTestApp;
  let b: OcppTestApp;
  let leader: OcppTestApp;
  let follower: OcppTestApp;
  let site: SiteWatch;
  let cps: LoadCharger[];
  let database: Database;

  /** Resolves once `x` leads (at once if it does). */
  const leads = (x: OcppTestApp) =>
    new Promise<void>((resolve) => {
      if (x.app.loadLeadership.isLeader()) return resolve();
      const off = x.app.loadLeadership.onChange((leading) => {
        if (!leading) return;
        off();
        resolve();
      });
    });
  const processOf = async (redis: string) => ({
    events: await RedisEventBus.connect(redis),
    ocppRouter: await RedisCommandRouter.connect(redis),
  });

  before(async () => {
    const config = { loadControl: true, redisUrl, loadLeaderTtlMs: 3000 };
    // The database is the site's, not either process's: closing one process leaves it to the other.
    database = await createTestDatabase();
    a = await createOcppTestApp({ config, database, ...(await processOf(redisUrl)) });
    b = await createOcppTestApp({ config, database, clock: a.clock, ...(await processOf(redisUrl)) });
    await Promise.race([leads(a), leads(b)]);
    assert.notEqual(a.app.loadLeadership.isLeader(), b.app.loadLeadership.isLeader(), 'exactly one process leads');
    [leader, follower] = a.app.loadLeadership.isLeader() ? [a, b] : [b, a];
    site = new SiteWatch(a.clock, { A: 32, B: 32, C: 32 });
    await saveSettings(follower, { blncurrentdistribution: 1, intmaxcurrenta: 32 });
    // Both chargers are held by the follower: every profile crosses the router.
    cps = [await loadCharger(follower, site, id(1)), await loadCharger(follower, site, id(2))];
    await leader.app.load.settle();
  });
  after(async () => {
    await follower.close();
    await leader.close().catch(() => undefined); // closed by the last test unless it failed first
    await database.close();
  });

  it('the leader steers chargers held by the other process, and the other answers its picture', async () => {
    await cps[0]!.start();
    await leader.app.load.settle();
    const changed = nextEvent(follower, (e) => e.type === 'load.changed' && e.load.sessions.length === 2);
    await cps[1]!.start();
    await leader.app.load.settle();
    await changed;
    assert.deepEqual(
      cps.map((c) => c.limit()),
      [16, 16],
    );
    const res = await follower.app.inject({ url: '/api/load', headers: await follower.as('viewer') });
    const snap = res.json() as LoadSnapshot;
    assert.deepEqual(
      snap.sessions.map((s) => [s.chargerId, s.allowed, s.state]),
      [
        [id(1), 16, 'charging'],
        [id(2), 16, 'charging'],
      ],
    );
    assert.deepEqual(snap, leader.app.load.snapshot());
    assert.equal(follower.app.load.snapshot()?.at, leader.app.load.snapshot()?.at);
    assert.deepEqual(site.violations, []);
  });

  it('when the leader closes the other takes over, starting from what it can know (every charger at its maximum)', async () => {
    const mark = site.lastSeq;
    const took = leads(follower);
    await leader.close();
    await took;
    await follower.app.load.settle();
    // It asks each charger its stack level, then sends the failsafe default and the TxProfiles again.
    const asked = site.received
      .filter((r) => r.seq > mark && r.action === 'GetConfiguration')
      .map((r) => r.chargerId)
      .sort();
    assert.deepEqual(asked, [id(1), id(2)]);
    assert.equal(site.profilesSince(mark).length, 4);
    assert.deepEqual(
      cps.map((c) => c.limit()),
      [16, 16],
    );
    assert.deepEqual(site.violations, []);
  });
});
