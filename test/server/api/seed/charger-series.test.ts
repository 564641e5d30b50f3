import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { LightMyRequestResponse } from 'fastify';
import { ManualClock } from '../../../../server/clock.ts';
import { localDay } from '../../../../server/time/site-time.ts';
import { createTestApp, type TestApp } from '../../../helpers/app.ts';
import { engineName } from '../../../helpers/db.ts';
import { NOW, SITE_TZ } from '../../../helpers/site-history.ts';

/** The per-charger answers kept in place (server/api/seed/charger-series.ts), the windows the dashboards ask for. */
const URLS = [
  '/api/monthly/energy/list/',
  '/bmw/chart/getRecentChargerRecords/?mode=3&offset=30',
  '/bmw/chart/getRecentChargerRecords/?mode=2&offset=12',
  '/bmw/chart/getRecentChargerRecords/?mode=1&offset=3',
  '/bmw/chart/getRecentChargerRecords/?mode=3&offset=90&_=1700000000000',
];

/** A seeded generator (mulberry32), so a failing sequence replays. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!,
  };
}

function bodyOf(res: LightMyRequestResponse): string {
  const coding = res.headers['content-encoding'];
  if (coding === 'br') return brotliDecompressSync(res.rawPayload).toString('utf8');
  if (coding === 'gzip') return gunzipSync(res.rawPayload).toString('utf8');
  assert.equal(coding, undefined);
  return res.body;
}

describe(`seed 2.11 and 3.2 kept in place as sessions end, equal to a fresh read on ${engineName}`, () => {
  let t: TestApp;
  /** Another app over the same database: the fresh computation. */
  let fresh: TestApp;
  const done = new Map<string, number>(); // how often each kind of step ran
  const count = (kind: string) => done.set(kind, (done.get(kind) ?? 0) + 1);
  let viewer: Record<string, string>;
  const chargers: string[] = [];
  const open = new Map<string, number>(); // charger → its running session
  const provisional: { id: number; chargerId: string }[] = []; // closed by an operator; a late StopTransaction may replace the close
  const flagged: number[] = []; // stopped with implausible energy: held for review
  let meter = 1_000_000;

  before(async () => {
    t = await createTestApp({ config: { siteTz: SITE_TZ }, clock: new ManualClock(NOW) });
    viewer = await t.as('viewer');
    for (let i = 1; i <= 6; i++) await register(`CP-${String(i).padStart(2, '0')}`);
    fresh = await createTestApp({ config: { siteTz: SITE_TZ }, clock: t.clock, database: t.database });
  });
  after(async () => {
    await fresh?.close();
    await t.close();
  });

  async function register(id: string): Promise<void> {
    await t.app.repos.chargers.create({ id }, new Date('2025-01-01T00:00:00Z'));
    chargers.push(id);
    t.app.events.publish({ type: 'charger.changed', chargerId: id, at: NOW, change: 'created' });
  }

  const publishStopped = (row: { id: number; chargerId: string; energyWh: number | null; closeCause: string | null }) =>
    t.app.events.publish({
      type: 'transaction.stopped',
      chargerId: row.chargerId,
      at: NOW,
      transactionId: row.id,
      energyWh: row.energyWh ?? 0,
      reason: null,
      cause: row.closeCause === 'operator' ? 'operator' : 'charger',
    });

  /**
   * An instant in the last 80 days (reaching back over New Year's Eve, which
   * 2.11's year starts after) within an hour of the site's midnight (16:00Z),
   * where the site-local day differs from the UTC one.
   */
  function nearMidnight(r: ReturnType<typeof random>): Date {
    const day = Date.parse(NOW) - (1 + r.int(80)) * 86_400_000;
    const midnight = Math.floor(day / 86_400_000) * 86_400_000 + 16 * 3_600_000;
    return new Date(midnight + (r.int(120) - 60) * 60_000);
  }

  /** One step a site's chargers or operators take, as the OCPP handlers and REST routes take it (writes, then the event). */
  async function step(r: ReturnType<typeof random>): Promise<void> {
    const repos = t.app.repos;
    const roll = r.next();
    if (roll < 0.05) {
      count('register');
      return register(`CP-N${chargers.length}`);
    }
    const idle = chargers.filter((c) => !open.has(c));
    if (roll < 0.45 && idle.length) {
      const chargerId = r.pick(idle);
      const startedAt = nearMidnight(r);
      const started = await repos.transactions.start({
        chargerId,
        connectorId: 1,
        idTag: 'TAG-1',
        meterStart: meter,
        startedAt,
      });
      open.set(chargerId, started!.transaction.id);
      count('start');
      t.app.events.publish({
        type: 'transaction.started',
        chargerId,
        at: NOW,
        transactionId: started!.transaction.id,
        connectorId: 1,
        idTag: 'TAG-1',
        sessionNumber: started!.transaction.id,
      });
      return;
    }
    if (roll < 0.8 && open.size) {
      const chargerId = r.pick([...open.keys()]);
      const id = open.get(chargerId)!;
      open.delete(chargerId);
      const tx = (await repos.transactions.get(id))!;
      const stoppedAt = new Date(tx.startedAt.getTime() + (5 + r.int(150)) * 60_000);
      const kind = r.next();
      if (kind < 0.2) {
        const closed = await repos.transactions.closeByOperator(id, {
          at: stoppedAt,
          dayOf: (at) => localDay(at, SITE_TZ),
          note: null,
          audit: async () => {},
        });
        provisional.push({ id, chargerId });
        count('operator close');
        return publishStopped(closed!.transaction);
      }
      const implausible = kind < 0.3;
      const stopped = await repos.transactions.stop({
        transactionId: id,
        meterStop: tx.meterStart + 1 + r.int(40_000),
        // An energy no charger can deliver in the time (server/ocpp/plausibility.ts): held for review.
        ...(implausible ? { anomalyReasons: ['energy_above_max_power'] } : {}),
        stoppedAt,
        localDay: localDay(stoppedAt, SITE_TZ),
      });
      meter += 50_000;
      if (implausible) flagged.push(id);
      count(implausible ? 'flagged stop' : 'stop');
      return publishStopped(stopped!.transaction);
    }
    if (roll < 0.9 && provisional.length) {
      // The charger's queued StopTransaction arrives late (OCPP 1.6 §3.16), maybe on another local day.
      const { id } = provisional.splice(r.int(provisional.length), 1)[0]!;
      const tx = (await repos.transactions.get(id))!;
      const stoppedAt = new Date(tx.startedAt.getTime() + (30 + r.int(1_500)) * 60_000);
      const stopped = await repos.transactions.stop({
        transactionId: id,
        meterStop: tx.meterStart + r.int(60_000),
        stoppedAt,
        localDay: localDay(stoppedAt, SITE_TZ),
      });
      count('late stop replacing a close');
      return publishStopped(stopped!.transaction);
    }
    if (flagged.length) {
      const id = flagged.splice(r.int(flagged.length), 1)[0]!;
      const review = await repos.transactions.reviewEnergy({
        transactionId: id,
        decision: 'confirmed',
        by: 'admin',
        at: new Date(NOW),
        localDay: (at) => localDay(at, SITE_TZ),
      });
      count('confirmed energy');
      if (review.outcome === 'reviewed')
        t.app.events.publish({
          type: 'transaction.energy',
          chargerId: review.transaction.chargerId,
          at: NOW,
          transactionId: id,
          review: 'confirmed',
        });
    }
  }

  /** Each answer of the app that kept its answers, against an app that reads them now (the same database). */
  async function assertFresh(r: ReturnType<typeof random>, when: string): Promise<void> {
    fresh.app.seedSeries.clear(); // it hears none of the events: every answer read in full
    {
      for (const url of URLS) {
        const encoding = r.pick(['br', 'gzip', 'br;q=0.5, gzip', undefined]);
        const kept = await t.app.inject({
          url,
          headers: { ...viewer, ...(encoding ? { 'accept-encoding': encoding } : {}) },
        });
        const read = await fresh.app.inject({ url, headers: viewer });
        assert.equal(kept.statusCode, 200, kept.body);
        assert.equal(read.statusCode, 200, read.body);
        assert.equal(bodyOf(kept), read.body, `${url} after ${when}`);
      }
    }
  }

  it('random starts, stops, operator closes replaced by late stops, confirmed energy and new chargers: byte for byte what a fresh read gives, without reading everything again', async () => {
    const r = random(20261202);
    for (const url of URLS) assert.equal((await t.app.inject({ url, headers: viewer })).statusCode, 200);
    const fullReads = t.app.seedSeries.fullReads;
    assert.equal(fullReads, URLS.length, 'one full read per answer');
    for (let i = 1; i <= 80; i++) {
      await step(r);
      await assertFresh(r, `step ${i}`);
    }
    assert.deepEqual(
      [...done.keys()].sort(),
      [
        'confirmed energy',
        'flagged stop',
        'late stop replacing a close',
        'operator close',
        'register',
        'start',
        'stop',
      ],
      'every kind of step ran',
    );
    assert.equal(t.app.seedSeries.fullReads, fullReads, 'every change was applied in place');
    const list = JSON.parse((await t.app.inject({ url: URLS[0]!, headers: viewer })).body) as {
      data: { y: number[] }[];
    };
    assert.ok(
      list.data.some((c) => c.y.some((v) => v > 0)),
      'the sequence put energy in the current year',
    );
    assert.ok(chargers.length > 6 && list.data.length === chargers.length, 'new chargers joined the answer');
  });

  it('a request waits for a stop published before it; one published while the answer was first read is not lost', async () => {
    const url = '/bmw/chart/getRecentChargerRecords/?mode=3&offset=7';
    const r = random(7);
    const pending = t.app.inject({ url, headers: viewer }); // the first read of this window
    const chargerId = chargers[0]!;
    const startedAt = new Date(Date.parse(NOW) - 3_600_000);
    const started = await t.app.repos.transactions.start({
      chargerId,
      connectorId: 2,
      idTag: 'TAG-2',
      meterStart: 0,
      startedAt,
    });
    const stopped = await t.app.repos.transactions.stop({
      transactionId: started!.transaction.id,
      meterStop: 12_345,
      stoppedAt: new Date(NOW),
      localDay: localDay(new Date(NOW), SITE_TZ),
    });
    publishStopped(stopped!.transaction);
    await pending;
    const today = (
      JSON.parse((await t.app.inject({ url, headers: viewer })).body) as { charger_id: string; y: number[] }[]
    ).find((c) => c.charger_id === chargerId)!;
    assert.ok(today.y[6]! >= 12.345, `today's energy includes the stop: ${today.y[6]}`);
    await assertFresh(r, 'a stop during the first read');
  });
});
