import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { PerPhase } from '../../../contracts/load.ts';
import type { OverLimitDetails } from '../../../contracts/load-alerts.ts';
import type { LoadSnapshot } from '../../../contracts/load.ts';
import { ManualClock } from '../../../server/clock.ts';
import { createTestApp, type TestApp } from '../../helpers/app.ts';
import { engineName } from '../../helpers/db.ts';
import { circuit, session, SITE_LIMIT, snapshot } from '../../helpers/load-snapshot.ts';

interface AlertView {
  kind: string;
  severity: string;
  chargerId: string | null;
  message: string;
  details: OverLimitDetails;
  clearedAt: string | null;
}

describe(`the over-limit alarm (a phase above its limit for more than 10 s), on ${engineName}`, () => {
  let t: TestApp;
  let clock: ManualClock;
  let viewer: Record<string, string>;
  before(async () => {
    clock = new ManualClock('2026-03-15T08:00:00Z');
    t = await createTestApp({ clock });
    viewer = await t.as('viewer');
  });
  after(() => t.close());
  beforeEach(async () => {
    // Each case starts below every limit (ending any episode) an hour after the last one.
    clock.advance(3_600_000);
    await feed(snapshot(clock.now(), {}));
  });

  /** Publishes a picture as the controller does, and waits until the monitor has judged it. */
  async function feed(load: LoadSnapshot): Promise<void> {
    t.app.events.publish({ type: 'load.changed', at: clock.now().toISOString(), load });
    await t.app.loadOverLimit.idle();
  }
  const site = (measured: Partial<PerPhase>, sessions = [session('CP1', 16, { A: measured.A ?? 0 })]) =>
    snapshot(clock.now(), measured, { sessions });
  async function alerts(): Promise<AlertView[]> {
    const res = await t.app.inject({ url: '/api/alerts?pageSize=200', headers: viewer });
    assert.equal(res.statusCode, 200, res.body);
    return (res.json().items as AlertView[]).filter((a) => a.kind === 'load.over-limit');
  }

  it('9 s above raises nothing; past 10 s one critical alert with the phase, limit, peak, duration and the sessions drawing more than allowed', async () => {
    const before = (await alerts()).length;
    const sessions = [
      session('CP-HOG', 16, { A: 40 }), // ignores its profile
      session('CP-OK', 16, { A: 16.3 }), // within meter noise of its allowance
      session('CP-OTHER-PHASE', 10, { B: 30 }), // over its allowance, but on B, which holds
      session('CP-3PH', 12, { A: 14, B: 12, C: 12 }),
    ];
    const start = clock.now().toISOString();
    await feed(site({ A: 70 }, sessions));
    clock.advance(5_000);
    await feed(site({ A: 72.4 }, sessions));
    clock.advance(4_000);
    await feed(site({ A: 71 }, sessions));
    assert.equal((await alerts()).length, before, '9 s above: nothing yet');

    clock.advance(2_000);
    await feed(site({ A: 70.5 }, sessions));
    const raised = await alerts();
    assert.equal(raised.length, before + 1, '11 s above: one alert');
    const [alert] = raised;
    assert.equal(alert!.severity, 'critical');
    assert.equal(alert!.chargerId, null);
    assert.match(
      alert!.message,
      /Site phase A measured up to 72\.4 A, above its 63 A limit, for 11 s; drawing more than allowed: CP-HOG, CP-3PH/,
    );
    const d = alert!.details;
    assert.deepEqual(
      {
        scope: d.scope,
        circuitId: d.circuitId,
        phase: d.phase,
        limit: d.limit,
        peak: d.peak,
        since: d.since,
        durationMs: d.durationMs,
      },
      { scope: 'site', circuitId: null, phase: 'A', limit: SITE_LIMIT, peak: 72.4, since: start, durationMs: 11_000 },
    );
    assert.deepEqual(
      d.sessions.map((s) => [s.chargerId, s.allowed, s.measured]),
      [
        ['CP-HOG', 16, 40],
        ['CP-3PH', 12, 14],
      ],
      'most excess first; CP-OK is within tolerance',
    );
  });

  it('staying above raises no second alert; going below and above again for more than 10 s raises a new one', async () => {
    const before = (await alerts()).length;
    await feed(site({ A: 66 }));
    clock.advance(10_500);
    await feed(site({ A: 66 }));
    assert.equal((await alerts()).length, before + 1);
    for (let i = 0; i < 5; i++) {
      clock.advance(10_000);
      await feed(site({ A: 68 }));
    }
    assert.equal((await alerts()).length, before + 1, 'the same episode: no duplicate');

    const openOnes = async () => (await alerts()).filter((a) => a.clearedAt === null && a.details.scope === 'site');
    assert.equal((await openOnes()).length, 1, 'open while above');
    clock.advance(1_000);
    await feed(site({ A: SITE_LIMIT })); // at the limit is not above it: the episode ends
    const [ended] = (await alerts()).filter((a) => a.details.scope === 'site');
    assert.equal(ended!.clearedAt, clock.now().toISOString(), 'cleared when back within the limit');
    assert.deepEqual(await openOnes(), []);
    await feed(site({ A: 64 })); // at the same instant a new one begins
    clock.advance(10_000);
    await feed(site({ A: 64 }));
    assert.equal((await alerts()).length, before + 1, 'the new episode is 10 s old, not more');
    clock.advance(1);
    await feed(site({ A: 64 }));
    const now = await alerts();
    assert.equal(now.length, before + 2, 'a new episode, a new alert');
    assert.equal(now[0]!.details.peak, 64, 'its own peak');
  });

  it('a constant overload with no new picture is judged again on the clock (the periodic tick)', async () => {
    const before = (await alerts()).length;
    await feed(site({ B: 80 }, [session('CP9', 32, { B: 80 })]));
    clock.advance(10_001);
    // The tick runs every second of real time; wait for its judgement, bounded.
    const deadline = Date.now() + 5_000;
    while ((await alerts()).length === before && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      await t.app.loadOverLimit.idle();
    }
    const [alert] = await alerts();
    assert.equal((await alerts()).length, before + 1);
    assert.equal(alert!.details.phase, 'B');
    assert.equal(alert!.details.durationMs >= 10_001, true);
  });

  it('a circuit phase above its limit names the circuit and the sessions below it, nested circuits included', async () => {
    const before = (await alerts()).length;
    const sessions = [
      session('CP-L1', 16, { B: 24 }, 7),
      session('CP-L1-NORTH', 10, { B: 16 }, 8),
      session('CP-ELSEWHERE', 8, { B: 30 }),
    ];
    const picture = () =>
      snapshot(
        clock.now(),
        { B: 50 },
        {
          sessions,
          circuits: [circuit(7, 'Level 1', null, 32, { B: 40 }), circuit(8, 'Level 1 north', 7, 20, { B: 16 })],
        },
      );
    await feed(picture());
    clock.advance(12_000);
    await feed(picture());
    const raised = (await alerts()).slice(0, (await alerts()).length - before);
    assert.equal(raised.length, 1, 'only circuit 7 phase B is above (the site holds 50 of 63, circuit 8 16 of 20)');
    const d = raised[0]!.details;
    assert.deepEqual(
      [d.scope, d.circuitId, d.circuitName, d.phase, d.limit, d.peak],
      ['circuit', 7, 'Level 1', 'B', 32, 40],
    );
    assert.deepEqual(
      d.sessions.map((s) => s.chargerId),
      ['CP-L1', 'CP-L1-NORTH'],
      'CP-ELSEWHERE hangs directly from the site',
    );
    assert.match(raised[0]!.message, /Phase B of circuit "Level 1"/);
  });

  it('with distribution off nothing is judged (chargeops holds no limit then)', async () => {
    const before = (await alerts()).length;
    for (let i = 0; i < 4; i++) {
      await feed(snapshot(clock.now(), { C: 90 }, { enabled: false }));
      clock.advance(5_000);
    }
    assert.equal((await alerts()).length, before);
  });
});
