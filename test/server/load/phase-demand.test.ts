import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PerPhase, SitePhase } from '../../../contracts/load.ts';
import { countedPhases, stepPhases, WIDE, type PhaseState } from '../../../server/load/phase-demand.ts';

/** Which phases a session counts on, from its measured draw per line (server/load/phase-demand.ts). */
describe('per-phase demand of a session', () => {
  const wired: SitePhase[] = ['B', 'C', 'A']; // its L1 is site phase B
  const staleMs = 60_000;
  /** Feeds measurements (site phases) at the given instants; returns the states after each. */
  const run = (steps: [number, Partial<PerPhase> | null][], from: PhaseState = WIDE, w = wired): PhaseState[] => {
    const out: PhaseState[] = [];
    let s = from;
    for (const [now, measured] of steps) out.push((s = stepPhases(s, { now, wired: w, measured }, { staleMs })));
    return out;
  };

  it('a car drawing on L1 alone for 30 s is narrowed to its L1, not sooner', () => {
    const states = run([
      [0, { B: 16, C: 0, A: 0 }],
      [29_999, { B: 16, C: 0.4, A: 0.2 }],
      [30_000, { B: 15, C: 0, A: 0 }],
    ]);
    assert.deepEqual(
      states.map((s) => s.narrowed),
      [false, false, true],
    );
    assert.deepEqual(countedPhases(states[2]!, wired), ['B']);
    assert.deepEqual(countedPhases(states[1]!, wired), wired);
  });

  it('a line of 1 A or more widens at once, and marks a multi-phase car that is not narrowed again in its session', () => {
    const narrowed = run([
      [0, { B: 16, C: 0, A: 0 }],
      [30_000, { B: 16, C: 0, A: 0 }],
    ]).at(-1)!;
    const [widened, ...later] = run(
      [
        [31_000, { B: 16, C: 1, A: 0 }],
        [40_000, { B: 16, C: 0, A: 0 }],
        [200_000, { B: 16, C: 0, A: 0 }],
      ],
      narrowed,
    );
    assert.deepEqual(widened, { narrowed: false, firstOnlySince: null, multiPhase: true });
    assert.ok(later.every((s) => !s.narrowed));
  });

  it('a car that draws nothing restarts the wait; a three-phase car is never narrowed', () => {
    const states = run([
      [0, { B: 16, C: 0, A: 0 }],
      [20_000, { B: 0.5, C: 0, A: 0 }],
      [40_000, { B: 16, C: 0, A: 0 }],
      [69_000, { B: 16, C: 0, A: 0 }],
      [70_000, { B: 16, C: 0, A: 0 }],
    ]);
    assert.deepEqual(
      states.map((s) => s.narrowed),
      [false, false, false, false, true],
    );
    const three = run([
      [0, { B: 16, C: 16, A: 16 }],
      [60_000, { B: 16, C: 16, A: 16 }],
    ]);
    assert.ok(three.every((s) => !s.narrowed));
  });

  it('without every line measured, or with a stale measurement, it counts on every wired phase', () => {
    // A charger that reports L1 only.
    assert.ok(
      run([
        [0, { B: 16 }],
        [60_000, { B: 16 }],
      ]).every((s) => !s.narrowed),
    );
    const narrowed = run([
      [0, { B: 16, C: 0, A: 0 }],
      [30_000, { B: 16, C: 0, A: 0 }],
    ]).at(-1)!;
    assert.equal(narrowed.narrowed, true);
    const stale = stepPhases(
      narrowed,
      { now: 200_000, wired, measured: { B: 16, C: 0, A: 0 }, measuredAt: 30_000 },
      { staleMs },
    );
    assert.equal(stale.narrowed, false);
    assert.equal(stepPhases(narrowed, { now: 31_000, wired, measured: null }, { staleMs }).narrowed, false);
  });

  it('a single-phase charger has nothing to narrow', () => {
    const states = run(
      [
        [0, { B: 16 }],
        [60_000, { B: 16 }],
      ],
      WIDE,
      ['B'],
    );
    assert.deepEqual(states.at(-1), WIDE);
    assert.deepEqual(countedPhases(states.at(-1)!, ['B']), ['B']);
  });
});
