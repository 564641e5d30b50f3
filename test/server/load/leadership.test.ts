import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import type { Database } from '../../../db/client.ts';
import type { ManualClock } from '../../../server/clock.ts';
import type { LoadLeadership } from '../../../server/load/leadership.ts';
import { LEASE_KEY, RedisLease, TERM_KEY } from '../../../server/load/redis-lease.ts';
import { createTestApp, type TestApp } from '../../helpers/app.ts';
import { createTestDatabase, engineName } from '../../helpers/db.ts';
import { startFreezableProxy, type FreezableProxy } from '../../helpers/freezable-proxy.ts';
import { snapshot } from '../../helpers/load-snapshot.ts';

// Redis DB 4: the lease key is global in its database, so this file keeps to its own.
const redisUrl = (() => {
  const u = new URL(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
  u.pathname = '/4';
  return u.toString();
})();
const TTL = 1_500;
const INTERVAL = TTL / 3;
/** Room for a loaded test machine (2 cores shared with other runs) beyond the bound under test. */
const SLACK = 1_500;

const lease = (l: LoadLeadership) => {
  assert.ok(l instanceof RedisLease, 'with REDIS_URL the leadership is a Redis lease');
  return l;
};

/** Resolves at the next change of `l` to `leader`, with performance.now() at that moment. */
function becomes(l: LoadLeadership, leader: boolean, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`no change to leader=${leader} within ${timeoutMs} ms`));
    }, timeoutMs);
    const stop = l.onChange((v) => {
      if (v !== leader) return;
      clearTimeout(timer);
      stop();
      resolve(performance.now());
    });
  });
}

/** Two processes of one site: one database, one Redis (docs/OPERATIONS.md "Several processes"). */
describe(`load leadership across processes, through a Redis lease, on ${engineName}`, () => {
  let redis: Redis;
  let database: Database;
  let a: TestApp | undefined;
  let b: TestApp | undefined;
  let proxy: FreezableProxy | undefined;
  const start = (url = redisUrl, ttl = TTL) => createTestApp({ database, config: { redisUrl: url, loadLeaderTtlMs: ttl } });

  before(async () => {
    redis = new Redis(redisUrl);
    database = await createTestDatabase();
  });
  after(async () => {
    redis.disconnect();
    await database.close();
  });
  beforeEach(async () => {
    await redis.del(LEASE_KEY); // a lease left by a run that crashed would make both follow
  });
  afterEach(async () => {
    proxy?.thaw();
    await b?.close();
    await a?.close();
    await proxy?.close();
    a = b = proxy = undefined;
  });

  it('exactly one leads: the first to start; the lease names it, the term counts acquisitions', async () => {
    const termBefore = Number(await redis.get(TERM_KEY));
    a = await start();
    b = await start();
    const [la, lb] = [lease(a.app.loadLeadership), lease(b.app.loadLeadership)];
    assert.equal(la.isLeader(), true);
    assert.equal(lb.isLeader(), false);
    assert.equal(la.term(), termBefore + 1);
    assert.equal(lb.term(), undefined);
    assert.equal(la.holds(termBefore + 1), true);
    assert.equal(la.holds(termBefore), false);
    assert.equal(await redis.get(LEASE_KEY), la.holderId);
    const pttl = await redis.pttl(LEASE_KEY);
    assert.ok(pttl > 0 && pttl <= TTL, `the lease expires on its own (PTTL ${pttl})`);
    assert.match(await a.app.metrics.getSingleMetricAsString('chargeops_load_leader'), /chargeops_load_leader 1/);
    assert.match(await b.app.metrics.getSingleMetricAsString('chargeops_load_leader'), /chargeops_load_leader 0/);

    // Over two leases nothing changes: the leader's renewals keep B out. (A fixed wait: an absence has no event to await.)
    let changes = 0;
    la.onChange(() => changes++);
    lb.onChange(() => changes++);
    await new Promise((r) => setTimeout(r, 2 * TTL));
    assert.equal(changes, 0);
    assert.equal(la.isLeader() && !lb.isLeader(), true);
    assert.equal(la.term(), termBefore + 1, 'renewals keep the term');
  });

  it('the leader closing hands over at once, not after the lease runs out', async (t) => {
    a = await start();
    // B polls only every 10 s: taking over within the test's 2 s can only be the release notice.
    b = await start(redisUrl, 30_000);
    const lb = b.app.loadLeadership;
    const termA = a.app.loadLeadership.term()!;
    const won = becomes(lb, true, 2_000);
    const t0 = performance.now();
    await a.close();
    a = undefined;
    const at = await won;
    assert.ok(at - t0 < 2_000, `took over in ${Math.round(at - t0)} ms`);
    t.diagnostic(`took over ${Math.round(at - t0)} ms after the leader began closing`);
    assert.ok(lb.term()! > termA, 'a new term');
    assert.equal(await redis.get(LEASE_KEY), lease(lb).holderId);
  });

  for (const [death, kill] of [
    ['its network to Redis black-holed (nothing answers, nothing closes)', (p: FreezableProxy) => p.freeze()],
    ['its Redis connection reset and refused', (p: FreezableProxy) => p.refuse()],
  ] as const) {
    it(`a leader with ${death} steps down, and the other leads within ttl + a renewal interval`, async (t) => {
      proxy = await startFreezableProxy(redisUrl);
      a = await start(proxy.url);
      b = await start();
      const [la, lb] = [a.app.loadLeadership, b.app.loadLeadership];
      assert.equal(la.isLeader(), true);
      const lost = becomes(la, false, TTL + SLACK);
      const won = becomes(lb, true, TTL + INTERVAL + SLACK);
      const t0 = performance.now();
      await kill(proxy);
      const [lostAt, wonAt] = await Promise.all([lost, won]);
      assert.ok(lostAt < wonAt, 'the old leader stopped before the new one began');
      assert.equal(la.isLeader(), false);
      assert.ok(wonAt - t0 <= TTL + INTERVAL + SLACK, `took over in ${Math.round(wonAt - t0)} ms`);
      t.diagnostic(`ttl ${TTL} ms: the leader stepped down after ${Math.round(lostAt - t0)} ms, the other led after ${Math.round(wonAt - t0)} ms`);
    });
  }

  it('a Redis connection killed (CLIENT KILL) but restored at once costs no leadership to another process', async () => {
    a = await start();
    b = await start();
    const [la, lb] = [lease(a.app.loadLeadership), lease(b.app.loadLeadership)];
    let bWon = false;
    lb.onChange((v) => (bWon ||= v));
    const name = `chargeops-load:${la.holderId}`;
    for (const which of ['pub', 'sub'] as const) {
      assert.equal(await redis.call('CLIENT', 'KILL', 'ID', await clientId(redis, name, which)), 1);
    }
    // Over two leases: A reconnects and renews under its own token (or takes it back), B never gets the key.
    await new Promise((r) => setTimeout(r, 2 * TTL));
    assert.equal(bWon, false);
    assert.equal(await redis.get(LEASE_KEY), la.holderId);
    assert.equal(la.isLeader(), true);
  });

  it('a leader whose renewal finds another token steps down at its next renewal', async () => {
    a = await start();
    b = await start();
    const la = a.app.loadLeadership;
    const lost = becomes(la, false, INTERVAL + SLACK);
    await redis.set(LEASE_KEY, 'someone-else', 'PX', 60_000);
    await lost;
    assert.equal(b.app.loadLeadership.isLeader(), false, 'the stranger holds it');
    const won = Promise.race([becomes(la, true, TTL + SLACK), becomes(b.app.loadLeadership, true, TTL + SLACK)]);
    await redis.del(LEASE_KEY);
    await won;
    assert.equal(Number(la.isLeader()) + Number(b.app.loadLeadership.isLeader()), 1, 'one leader again');
  });

  it('a leader paused past its lease knows it lost the moment it resumes, before any renewal answer', async () => {
    a = await start();
    b = await start();
    const [la, lb] = [a.app.loadLeadership, b.app.loadLeadership];
    assert.equal(la.isLeader(), true);
    // A stop-the-world pause (a long GC, SIGSTOP): no timer, no socket read runs meanwhile.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, TTL + 100);
    assert.equal(la.isLeader(), false, 'judged on elapsed time, not on a renewal that never ran');
    assert.equal(la.term(), undefined);
    // Afterwards the site has one leader again.
    const won = Promise.race([becomes(la, true, TTL + INTERVAL + SLACK), becomes(lb, true, TTL + INTERVAL + SLACK)]);
    await won;
    assert.equal(Number(la.isLeader()) + Number(lb.isLeader()), 1);
  });

  it('only the leader judges over-limit pictures: a follower raises nothing', async () => {
    a = await start();
    b = await start();
    assert.equal(b.app.loadLeadership.isLeader(), false);
    const alertsBefore = await b.app.repos.alerts.count();
    const clock = b.clock as ManualClock;
    for (let s = 0; s <= 12; s += 4) {
      b.app.events.publish({ type: 'load.changed', at: clock.now().toISOString(), load: snapshot(clock.now(), { A: 80 }) });
      await b.app.loadOverLimit.idle();
      clock.advance(4_000);
    }
    assert.equal(await b.app.repos.alerts.count(), alertsBefore);
  });
});

/** The id of the connection named `name`; `pub` is the one not subscribed. */
async function clientId(redis: Redis, name: string, which: 'pub' | 'sub'): Promise<string> {
  const list = String(await redis.call('CLIENT', 'LIST'));
  const lines = list.split('\n').filter((l) => l.includes(` name=${name} `));
  const line = lines.find((l) => (which === 'sub') === / sub=[1-9]/.test(l));
  assert.ok(line, `connection ${which} of ${name} in CLIENT LIST`);
  return /id=(\d+)/.exec(line)![1]!;
}

describe(`load leadership without REDIS_URL, on ${engineName}`, () => {
  it('the one process leads, term 1, until it closes', async () => {
    const t = await createTestApp();
    const l = t.app.loadLeadership;
    assert.equal(l.isLeader(), true);
    assert.equal(l.term(), 1);
    let last: boolean | undefined;
    l.onChange((v) => (last = v));
    await t.close();
    assert.equal(l.isLeader(), false);
    assert.equal(last, false);
  });
});
