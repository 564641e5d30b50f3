import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PerPhase, SitePhase } from '../../../contracts/load.ts';
import {
  countedPhases,
  refusedNarrowing,
  stepPhases,
  WIDE,
  type PhaseState,
} from '../../../server/load/phase-demand.ts';

/** Which phases a session counts on, from its measured draw per line (server/load/phase-demand.ts). */
describe('per-phase demand of a session', () => {
  const wired: SitePhase[] = ['B', 'C', 'A']; // its L1 is site phase B
  const staleMs = 60_000;
  /** Feeds measurements (site phases) at the given instants; returns the states after each. */
  const run = (steps: [number, Partial<PerPhase> | null][], from: PhaseState = WIDE, w = wired): PhaseState[] => {
    const out: PhaseState[] = [];
    let s = from;
    for (const [now, measured] of steps)
      out.push((s = stepPhases(s, { now, wired: w, measured, steered: true }, { staleMs })));
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
    assert.deepEqual(widened, { narrowed: false, firstOnlySince: null, keepWide: true });
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
    /** L1 only at `now`, each line's figure taken when `lineAt` says. */
    const seenAt = (now: number, lineAt: Partial<PerPhase>) =>
      stepPhases(narrowed, { now, wired, measured: { B: 16, C: 0, A: 0 }, lineAt, steered: true }, { staleMs });
    assert.equal(seenAt(200_000, { B: 30_000, C: 30_000, A: 30_000 }).narrowed, false);
    assert.equal(
      stepPhases(narrowed, { now: 31_000, wired, measured: null, steered: true }, { staleMs }).narrowed,
      false,
    );
    // A line no longer reported is not 0 A: each line is judged by its own time.
    assert.equal(seenAt(100_000, { B: 100_000, C: 20_000, A: 20_000 }).narrowed, false);
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

  it('30 s between samples, not between ticks re-reading one sample', () => {
    const obs = (now: number, at: number) => ({
      now,
      wired,
      measured: { B: 16, C: 0, A: 0 },
      lineAt: { B: at, C: at, A: at },
      steered: true,
    });
    let s = stepPhases(WIDE, obs(0, 0), { staleMs });
    for (const now of [10_000, 30_000, 45_000]) s = stepPhases(s, obs(now, 0), { staleMs });
    assert.equal(s.narrowed, false, 'one sample, however long re-read');
    s = stepPhases(s, obs(50_000, 30_000), { staleMs });
    assert.equal(s.narrowed, true, 'a second sample 30 s after the first');
  });

  it('kept wide while not steered, and for good once a multi-phase car or a refusal was seen', () => {
    const three = run([[0, { B: 16, C: 16, A: 16 }]]).at(-1)!;
    // Not steered for a moment (refused, reconnecting): still known to be multi-phase.
    const unsteered = stepPhases(three, { now: 1000, wired, measured: null, steered: false }, { staleMs });
    assert.equal(unsteered.keepWide, true);
    const later = run(
      [
        [2000, { B: 16, C: 0, A: 0 }],
        [60_000, { B: 16, C: 0, A: 0 }],
      ],
      unsteered,
    );
    assert.ok(
      later.every((s) => !s.narrowed),
      'a three-phase car tapering onto L1 is not narrowed',
    );
    // A narrowed session that is not steered counts wide.
    const narrowed = run([
      [0, { B: 16, C: 0, A: 0 }],
      [30_000, { B: 16, C: 0, A: 0 }],
    ]).at(-1)!;
    const off = stepPhases(
      narrowed,
      { now: 31_000, wired, measured: { B: 16, C: 0, A: 0 }, steered: false },
      { staleMs },
    );
    assert.equal(off.narrowed, false);
    assert.equal(off.keepWide, false, 'not steered says nothing of the car');
    assert.deepEqual(refusedNarrowing(), { narrowed: false, firstOnlySince: null, keepWide: true });
  });
});
