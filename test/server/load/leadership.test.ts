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
/**
 * The lease is real time (Redis expires it), so a process stalled longer than a renewal
 * margin loses it, as it should. 6 s leaves a test process on a machine loaded 20 times
 * over its cores room to renew (at 3 s, runs under a load average of 40 lost leases).
 */
const TTL = 6_000;
const INTERVAL = TTL / 3;
/** Room for a loaded test machine (2 cores shared with other runs) beyond the bound under test. */
const SLACK = 3_000;

/** One process of the site, reaching Redis through a proxy the test can cut. */
interface Node {
  t: TestApp;
  proxy: FreezableProxy;
  lease: RedisLease;
}

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

/**
 * The leader and the follower, once exactly one leads. Which one is not
 * assumed: on a loaded machine the first app's lease can lapse while the
 * second one is built (the event loop busy past a renewal), and either may
 * take it then.
 */
async function settled(x: Node, y: Node, timeoutMs = TTL + INTERVAL + SLACK): Promise<[Node, Node]> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const [lx, ly] = [x.lease.isLeader(), y.lease.isLeader()];
    assert.ok(!(lx && ly), 'never two leaders');
    if (lx !== ly) return lx ? [x, y] : [y, x];
    const left = deadline - performance.now();
    assert.ok(left > 0, 'one of the two leads');
    await Promise.race([becomes(x.lease, true, left), becomes(y.lease, true, left)]).catch(() => undefined);
  }
}

/** Two processes of one site: one database, one Redis (docs/OPERATIONS.md "Several processes"). */
describe(`load leadership across processes, through a Redis lease, on ${engineName}`, () => {
  let redis: Redis;
  let database: Database;
  let nodes: Node[] = [];
  const closed = new Set<Node>();
  async function start(ttl = TTL): Promise<Node> {
    const proxy = await startFreezableProxy(redisUrl);
    const t = await createTestApp({ database, config: { redisUrl: proxy.url, loadLeaderTtlMs: ttl } });
    const lease = t.app.loadLeadership;
    assert.ok(lease instanceof RedisLease, 'with REDIS_URL the leadership is a Redis lease');
    const node = { t, proxy, lease };
    nodes.push(node);
    return node;
  }
  async function stop(node: Node): Promise<void> {
    if (closed.has(node)) return;
    closed.add(node);
    node.proxy.thaw();
    await node.t.close();
    await node.proxy.close();
  }

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
    for (const n of nodes.reverse()) await stop(n);
    nodes = [];
  });

  it('exactly one leads; the lease names it, the term counts acquisitions, the gauge shows it', async () => {
    const termBefore = Number(await redis.get(TERM_KEY));
    const a = await start();
    assert.equal(a.lease.isLeader(), true, 'alone, it leads from the start');
    assert.equal(a.lease.term(), termBefore + 1);
    const [leader, follower] = await settled(a, await start());
    const term = leader.lease.term()!;
    assert.ok(term > termBefore);
    assert.equal(follower.lease.term(), undefined);
    assert.equal(leader.lease.holds(term), true);
    assert.equal(leader.lease.holds(term - 1), false);
    assert.equal(await redis.get(LEASE_KEY), leader.lease.holderId);
    const pttl = await redis.pttl(LEASE_KEY);
    assert.ok(pttl > 0 && pttl <= TTL, `the lease expires on its own (PTTL ${pttl})`);
    assert.match(
      await leader.t.app.metrics.getSingleMetricAsString('chargeops_load_leader'),
      /chargeops_load_leader 1/,
    );
    assert.match(
      await follower.t.app.metrics.getSingleMetricAsString('chargeops_load_leader'),
      /chargeops_load_leader 0/,
    );

    // Over two leases nothing changes: the leader's renewals keep the other out. (A fixed wait: an absence has no event to await.)
    let changes = 0;
    leader.lease.onChange(() => changes++);
    follower.lease.onChange(() => changes++);
    await new Promise((r) => setTimeout(r, 2 * TTL));
    assert.equal(changes, 0);
    assert.equal(leader.lease.isLeader() && !follower.lease.isLeader(), true);
    assert.equal(leader.lease.term(), term, 'renewals keep the term');
  });

  it('the leader closing hands over at once, not after the lease runs out', async (t) => {
    // Both poll only every 10 s: taking over within the test's 2 s can only be the release notice.
    const [leader, follower] = await settled(await start(30_000), await start(30_000));
    const term = leader.lease.term()!;
    const won = becomes(follower.lease, true, 2_000);
    const t0 = performance.now();
    await stop(leader);
    const at = await won;
    assert.ok(at - t0 < 2_000, `took over in ${Math.round(at - t0)} ms`);
    t.diagnostic(`took over ${Math.round(at - t0)} ms after the leader began closing`);
    assert.ok(follower.lease.term()! > term, 'a new term');
    assert.equal(await redis.get(LEASE_KEY), follower.lease.holderId);
  });

  for (const [death, kill] of [
    ['its network to Redis black-holed (nothing answers, nothing closes)', (p: FreezableProxy) => p.freeze()],
    ['its Redis connection reset and refused', (p: FreezableProxy) => p.refuse()],
  ] as const) {
    it(`a leader with ${death} steps down, and the other leads within ttl + a renewal interval`, async (t) => {
      const [leader, follower] = await settled(await start(), await start());
      const lost = becomes(leader.lease, false, TTL + SLACK);
      const won = becomes(follower.lease, true, TTL + INTERVAL + SLACK);
      const t0 = performance.now();
      await kill(leader.proxy);
      const [lostAt, wonAt] = await Promise.all([lost, won]);
      assert.ok(lostAt < wonAt, 'the old leader stopped before the new one began');
      assert.equal(leader.lease.isLeader(), false);
      assert.ok(wonAt - t0 <= TTL + INTERVAL + SLACK, `took over in ${Math.round(wonAt - t0)} ms`);
      t.diagnostic(
        `ttl ${TTL} ms: the leader stepped down after ${Math.round(lostAt - t0)} ms, the other led after ${Math.round(wonAt - t0)} ms`,
      );
    });
  }

  it('a Redis connection killed (CLIENT KILL) but restored at once costs no leadership to another process', async () => {
    const [leader, follower] = await settled(await start(), await start());
    let followerWon = false;
    follower.lease.onChange((v) => (followerWon ||= v));
    const name = `chargeops-load:${leader.lease.holderId}`;
    for (const which of ['pub', 'sub'] as const) {
      assert.equal(await redis.call('CLIENT', 'KILL', 'ID', await clientId(redis, name, which)), 1);
    }
    // Over two leases: it reconnects and renews under its own token (or takes it back); the other never gets the key.
    await new Promise((r) => setTimeout(r, 2 * TTL));
    assert.equal(followerWon, false);
    assert.equal(await redis.get(LEASE_KEY), leader.lease.holderId);
    assert.equal(leader.lease.isLeader(), true);
  });

  it('a leader whose renewal finds another token steps down at its next renewal', async () => {
    const [leader, follower] = await settled(await start(), await start());
    const lost = becomes(leader.lease, false, INTERVAL + SLACK);
    await redis.set(LEASE_KEY, 'someone-else', 'PX', 60_000);
    await lost;
    assert.equal(follower.lease.isLeader(), false, 'the stranger holds it');
    await redis.del(LEASE_KEY);
    await settled(leader, follower);
  });

  it('a leader paused past its lease knows it lost the moment it resumes, before any renewal answer', async () => {
    const [leader, follower] = await settled(await start(), await start());
    // A stop-the-world pause (a long GC, SIGSTOP): no timer, no socket read runs meanwhile.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, TTL + 100);
    assert.equal(leader.lease.isLeader(), false, 'judged on elapsed time, not on a renewal that never ran');
    assert.equal(leader.lease.term(), undefined);
    // Afterwards the site has one leader again.
    await settled(leader, follower);
  });

  it('only the leader judges over-limit pictures: a follower raises nothing', async () => {
    const [, follower] = await settled(await start(), await start());
    const app = follower.t.app;
    const alertsBefore = await app.repos.alerts.count();
    const clock = follower.t.clock as ManualClock;
    for (let s = 0; s <= 12; s += 4) {
      app.events.publish({
        type: 'load.changed',
        at: clock.now().toISOString(),
        load: snapshot(clock.now(), { A: 80 }),
      });
      await app.loadOverLimit.idle();
      clock.advance(4_000);
    }
    assert.equal(await app.repos.alerts.count(), alertsBefore);
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
