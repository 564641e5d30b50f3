import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  NO_DEMAND,
  resumeDemand,
  stepDemand,
  type DemandObservation,
  type DemandOptions,
  type DemandState,
} from '../../../server/load/demand.ts';

const T0 = 1_764_633_600_000;
const OPTIONS: DemandOptions = { min: 6, max: 32, staleMs: 20_000 };

/** Feeds observations every `every` ms from T0 and answers the state after each. */
function run(
  observations: Omit<DemandObservation, 'now'>[],
  every = 10_000,
  options = OPTIONS,
  from: DemandState = NO_DEMAND,
): DemandState[] {
  let state = from;
  return observations.map((o, k) => (state = stepDemand(state, { now: T0 + k * every, ...o }, options)));
}
const at = (allowance: number, ...measured: number[]) => ({ allowance, measured });

describe('demand caps', () => {
  it('caps a car that draws clearly less than allowed for 30 s at its peak draw + 1 A, rounded up to 0.1 A', () => {
    // A car limited to 16 A on a 32 A allowance, three phases a little apart.
    const states = run([at(32, 16, 16.04, 15.9), at(32, 16, 16, 16), at(32, 15.8, 16, 16), at(32, 16, 16, 16)]);
    assert.deepEqual(
      states.map((s) => s.cap),
      [null, null, null, 17.1],
      'no cap before 30 s; then 16.04 + 1 = 17.04 → 17.1',
    );
  });

  it('needs the draw below allowance − 2 A without a break: one figure at or above restarts the 30 s', () => {
    const states = run([at(32, 16), at(32, 16), at(32, 30), at(32, 16), at(32, 16), at(32, 16), at(32, 16)]);
    assert.deepEqual(
      states.map((s) => s.cap),
      [null, null, null, null, null, null, 17],
    );
    // 29.9 is clearly below 32 (2.1 A under): it counts; 30 is not.
    assert.equal(run([at(32, 29.9), at(32, 29.9), at(32, 29.9), at(32, 29.9)]).at(-1)!.cap, 30.9);
  });

  it('releases the cap as soon as the draw comes within 0.5 A of it, and not before', () => {
    const capped: DemandState = { ...NO_DEMAND, cap: 17.1 };
    assert.equal(stepDemand(capped, { now: T0, ...at(17.1, 16.5) }, OPTIONS).cap, 17.1);
    assert.equal(stepDemand(capped, { now: T0, ...at(17.1, 16.6) }, OPTIONS).cap, null);
    assert.equal(
      stepDemand(capped, { now: T0, ...at(17.1, 12, 16.7, 12) }, OPTIONS).cap,
      null,
      'the highest phase counts',
    );
  });

  it('follows a tapering battery down, 30 s at a time, and never raises a cap it holds', () => {
    const states = run([
      at(32, 20),
      at(32, 20),
      at(32, 20),
      at(32, 20),
      at(21, 18),
      at(21, 17),
      at(21, 16.5),
      at(21, 16),
      at(19, 16.8),
    ]);
    assert.deepEqual(
      states.map((s) => s.cap),
      [null, null, null, 21, 21, 21, 21, 19, 19],
    );
    // 30 s at 16.7 A under a 17.6 A cap (not within 0.5 A, not released) would make 17.7 A: the cap stays.
    const held = run([at(32, 16.7), at(32, 16.7), at(32, 16.7), at(32, 16.7)], 10_000, OPTIONS, {
      ...NO_DEMAND,
      cap: 17.6,
    });
    assert.deepEqual(
      held.map((s) => s.cap),
      [17.6, 17.6, 17.6, 17.6],
    );
  });

  it('never caps below the charger minimum, nor at or above its maximum', () => {
    assert.equal(run([at(32, 2), at(32, 2), at(32, 2), at(32, 2)]).at(-1)!.cap, 6);
    assert.equal(
      run([at(6, 1), at(6, 1), at(6, 1), at(6, 1)], 10_000, { ...OPTIONS, min: 6, max: 6 }).at(-1)!.cap,
      null,
    );
  });

  it('a car that takes ~0 for 30 s (full, paused) is idle at 0 A, not at its minimum; probed at its min after 3 min', () => {
    const states = run([at(32, 0.9), at(32, 0), at(32, 0.4), at(32, 0)]);
    assert.deepEqual(
      states.map((s) => s.cap),
      [null, null, null, 0],
      'peak under 1 A for 30 s: cap 0, idle',
    );
    const idle = states.at(-1)!;
    const t1 = T0 + 30_000;
    // While idle the charger offers 0 A: measurements are not read, stale or not.
    assert.equal(stepDemand(idle, { now: t1 + 60_000, allowance: 0, measured: null }, OPTIONS), idle);
    const probe = stepDemand(idle, { now: t1 + 180_000, allowance: 0, measured: [0], measuredAt: t1 }, OPTIONS);
    assert.deepEqual([probe.cap, probe.probeSince], [6, t1 + 180_000], 'after 3 min: probed at its min');
    // A sample from before the probe says nothing; the car taking its min ends it: its share again.
    const p0 = t1 + 180_000;
    assert.equal(
      stepDemand(probe, { now: p0 + 5000, allowance: 6, measured: [0], measuredAt: p0 - 1 }, OPTIONS),
      probe,
    );
    assert.equal(
      stepDemand(probe, { now: p0 + 5000, allowance: 6, measured: [5.6], measuredAt: p0 + 4000 }, OPTIONS).cap,
      null,
    );
    // Still ~0 for 30 s of samples taken in the probe: idle again.
    let again = probe;
    for (const dt of [1000, 11_000, 21_000, 31_000])
      again = stepDemand(again, { now: p0 + dt, allowance: 6, measured: [0], measuredAt: p0 + dt }, OPTIONS);
    assert.deepEqual([again.cap, again.idleSince], [0, p0 + 31_000]);
    // Probing with no sample for longer than the staleness limit: it counts at its allowance, as unmeasured.
    assert.deepEqual(stepDemand(probe, { now: p0 + 20_001, allowance: 6, measured: null }, OPTIONS), NO_DEMAND);
  });

  it('a StatusNotification Charging ends an idle or probing session at once, and nothing else', () => {
    const idle: DemandState = { ...NO_DEMAND, cap: 0, idleSince: T0 };
    assert.deepEqual(resumeDemand(idle), NO_DEMAND);
    assert.deepEqual(resumeDemand({ ...NO_DEMAND, cap: 6, probeSince: T0 }), NO_DEMAND);
    const capped: DemandState = { ...NO_DEMAND, cap: 17.1 };
    assert.equal(resumeDemand(capped), capped, 'a car capped at 16 A reports Charging all along');
  });

  it('resets when measurements stop: none, or older than the staleness limit', () => {
    const capped: DemandState = { ...NO_DEMAND, cap: 17.6 };
    assert.deepEqual(stepDemand(capped, { now: T0, allowance: 17.6, measured: null }, OPTIONS), NO_DEMAND);
    assert.deepEqual(
      stepDemand(capped, { now: T0, allowance: 17.6, measured: { A: 10 }, measuredAt: T0 - 20_001 }, OPTIONS),
      NO_DEMAND,
    );
    assert.equal(
      stepDemand(capped, { now: T0, allowance: 17.6, measured: { A: 10 }, measuredAt: T0 - 20_000 }, OPTIONS).cap,
      17.6,
    );
    assert.deepEqual(stepDemand(capped, { now: T0, allowance: 17.6, measured: [] }, OPTIONS), NO_DEMAND);
  });

  it('over random draws: a cap is 0 (idle) or in [min, max) on the 0.1 A grid, set only after 30 s below, only moves down, and a release waits 30 s for the next', () => {
    const tick = fc.record({
      dt: fc.integer({ min: 1000, max: 15_000 }),
      allowance: fc.integer({ min: 0, max: 320 }).map((d) => d / 10),
      draw: fc.option(
        fc.integer({ min: 0, max: 330 }).map((d) => d / 10),
        { freq: 12 },
      ),
    });
    fc.assert(
      fc.property(fc.array(tick, { minLength: 1, maxLength: 80 }), (ticks) => {
        let state: DemandState = NO_DEMAND;
        let now = T0;
        let clearlyBelowSince: number | null = null;
        let lastRelease = -Infinity;
        for (const t of ticks) {
          now += t.dt;
          const before = state;
          state = stepDemand(
            state,
            { now, allowance: t.allowance, measured: t.draw === null ? null : [t.draw] },
            OPTIONS,
          );
          const below = t.draw !== null && t.draw < t.allowance - 2;
          clearlyBelowSince = below ? (clearlyBelowSince ?? now) : null;
          if (state.cap !== null && state.cap !== 0) {
            assert.ok(state.cap >= OPTIONS.min && state.cap < OPTIONS.max, `cap ${state.cap}`);
            assert.ok(Math.abs(state.cap * 10 - Math.round(state.cap * 10)) < 1e-9);
          }
          if (state.cap === 0) assert.ok(state.idleSince !== null, 'cap 0 is idle');
          if (state.cap !== before.cap && state.cap !== null && state.probeSince !== now) {
            assert.ok(
              clearlyBelowSince !== null && now - clearlyBelowSince >= 30_000,
              'a new cap only after 30 s clearly below',
            );
            assert.ok(now - lastRelease >= 30_000, 'no cap sooner than 30 s after a release');
            if (before.cap !== null) assert.ok(state.cap < before.cap, 'a held cap only moves down');
          }
          if (before.cap !== null && state.cap === null) {
            lastRelease = now;
            assert.ok(
              t.draw === null || t.draw >= before.cap - 0.5,
              'released only by a draw within 0.5 A, or no measurement',
            );
          }
        }
      }),
      { seed: 20261202, numRuns: 300 },
    );
  });
});
