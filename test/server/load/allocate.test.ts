import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { allocate } from '../../../server/load/allocate.ts';
import type { AllocationInput, SessionDemand } from '../../../server/load/types.ts';
import { checkArrivalOrder, checkLimitsAndBounds, checkMaxMinFair, tallies } from './helpers/allocation-checks.ts';
import { FC_OPTIONS, randomOffGridSite, randomSite } from './helpers/random-site.ts';

const T0 = 1_764_633_600_000;
const site = (a: number, b = a, c = a) => ({ A: a, B: b, C: c });
const session = (key: string, over: Partial<SessionDemand> = {}): SessionDemand => ({
  key,
  circuitId: null,
  phases: ['A', 'B', 'C'],
  min: 6,
  max: 32,
  arrival: T0,
  ...over,
});

describe('allocate: properties over random sites', () => {
  it('holds every limit but those the fixed load alone breaks, and gives 0 or [min, max] on the 0.1 A grid', () => {
    fc.assert(
      fc.property(randomSite, (input) => checkLimitsAndBounds(input, allocate(input))),
      FC_OPTIONS,
    );
  });

  it('holds every limit with currents and limits that are any double', () => {
    fc.assert(
      fc.property(randomOffGridSite, (input) => {
        const out = allocate(input);
        for (const [name, e] of tallies(input, out)) {
          if (!out.overcommitted.includes(name))
            assert.ok(e.allowed <= e.limit + 1e-9, `${name}: ${e.allowed} > ${e.limit}`);
        }
        for (const s of input.sessions) {
          const a = out.allowed.get(s.key)!;
          if (s.fixed == null && a !== 0)
            assert.ok(a >= s.min - 1e-10 && a <= s.max + 1e-10, `${s.key}: ${a} outside [${s.min}, ${s.max}]`);
        }
      }),
      FC_OPTIONS,
    );
  });

  it('admits in arrival order: a waiting session would not fit beside the earlier admitted, an admitted one has its min', () => {
    fc.assert(
      fc.property(randomSite, (input) => checkArrivalOrder(input, allocate(input))),
      FC_OPTIONS,
    );
  });

  it('is max-min fair: every session below its bound has a full constraint on which none raised above its min has more', () => {
    fc.assert(
      fc.property(randomSite, (input) => checkMaxMinFair(input, allocate(input))),
      FC_OPTIONS,
    );
  });

  it('keeps every rule on sites a hundred times larger (levels beyond the counting sort: the sorted fallback)', () => {
    const larger = randomSite.map((input) => {
      const x = (v: number | null | undefined) => (v == null ? v : Math.round(v * 1000) / 10);
      const per = (l: AllocationInput['site']) => ({ A: x(l.A)!, B: x(l.B)!, C: x(l.C)! });
      return {
        site: per(input.site),
        circuits: input.circuits.map((c) => ({ ...c, limits: per(c.limits) })),
        sessions: input.sessions.map((s) => ({
          ...s,
          min: x(s.min)!,
          max: x(s.max)!,
          cap: x(s.cap),
          fixed: x(s.fixed),
        })),
      };
    });
    fc.assert(
      fc.property(larger, (input) => {
        const out = allocate(input);
        checkLimitsAndBounds(input, out);
        checkArrivalOrder(input, out);
        checkMaxMinFair(input, out);
      }),
      { ...FC_OPTIONS, numRuns: 60 },
    );
  });

  it('answers the same whatever the order of the sessions and circuits', () => {
    const shuffled = randomSite.chain((input) =>
      fc
        .record({
          sessions: fc.shuffledSubarray(input.sessions, { minLength: input.sessions.length }),
          circuits: fc.shuffledSubarray(input.circuits, { minLength: input.circuits.length }),
        })
        .map((order) => ({ input, other: { ...input, ...order } })),
    );
    fc.assert(
      fc.property(shuffled, ({ input, other }) => {
        const a = allocate(input);
        const b = allocate(other);
        assert.deepEqual([...b.allowed].sort(), [...a.allowed].sort());
        assert.deepEqual([...b.state].sort(), [...a.state].sort());
        assert.deepEqual(b.overcommitted, a.overcommitted);
        // And both list the sessions in arrival order.
        assert.deepEqual([...b.allowed.keys()], [...a.allowed.keys()]);
      }),
      FC_OPTIONS,
    );
  });
});

describe('allocate: the examples of issue #12', () => {
  it('eighteen three-phase 32 A chargers on 63 A per phase: the first ten share 63 A, the last eight wait, and get it in arrival order', () => {
    const sessions = Array.from({ length: 18 }, (_, k) =>
      session(`cp${String(k).padStart(2, '0')}/1`, { arrival: T0 + k * 60_000 }),
    );
    const out = allocate({ site: site(63), circuits: [], sessions });
    assert.deepEqual([...out.allowed.values()], [...Array(10).fill(6.3), ...Array(8).fill(0)]);
    assert.deepEqual([...out.state.values()], [...Array(10).fill('charging'), ...Array(8).fill('waiting')]);
    // The third to arrive leaves: the eleventh (not a later one) gets current.
    const next = allocate({ site: site(63), circuits: [], sessions: sessions.filter((s) => s.key !== 'cp02/1') });
    assert.equal(next.allowed.get('cp10/1'), 6.3);
    assert.equal(next.state.get('cp11/1'), 'waiting');
  });

  it('eighteen single-phase 32 A chargers rotated over the phases on 63 A: six per phase at 10.5 A', () => {
    const rotations = [['A'], ['B'], ['C']] as const;
    const sessions = Array.from({ length: 18 }, (_, k) =>
      session(`cp${k}/1`, { phases: [...rotations[k % 3]!], arrival: T0 + k }),
    );
    const out = allocate({ site: site(63), circuits: [], sessions });
    assert.deepEqual(new Set(out.allowed.values()), new Set([10.5]));
  });

  it('a single-phase charger on a free phase gets its full current while another phase is full', () => {
    const out = allocate({
      site: site(40, 63, 63),
      circuits: [],
      sessions: [
        session('a1/1', { phases: ['A'] }),
        session('a2/1', { phases: ['A'] }),
        session('three/1'),
        session('b/1', { phases: ['B'] }),
      ],
    });
    // A binds three sessions at 13.3 A (40 A, floored to 0.1 A each) …
    assert.deepEqual(
      ['a1/1', 'a2/1', 'three/1'].map((k) => out.allowed.get(k)),
      [13.3, 13.3, 13.3],
    );
    // … and constrains only them: B carries the three-phase charger's 13.3 A, and its own charger takes its full 32 A.
    assert.equal(out.allowed.get('b/1'), 32, 'B has room: its charger gets its maxCurrent');
    const equal = allocate({
      site: site(40, 63, 63),
      circuits: [],
      sessions: [session('x/1'), session('y/1'), session('z/1')],
    });
    assert.deepEqual(
      [...equal.allowed.values()],
      [13.3, 13.3, 13.3],
      'an equal split of A would be the naive answer for all',
    );
  });

  it('a demand cap frees current for the others on the same phases, and counts its session as capped-by-demand', () => {
    const sessions = [
      session('tapering/1', { phases: ['A'] }),
      session('hungry/1', { phases: ['A'] }),
      session('elsewhere/1', { phases: ['B'] }),
    ];
    const before = allocate({ site: site(40), circuits: [], sessions });
    assert.deepEqual([before.allowed.get('tapering/1'), before.allowed.get('hungry/1')], [20, 20]);
    const after = allocate({
      site: site(40),
      circuits: [],
      sessions: [{ ...sessions[0]!, cap: 9.5 }, sessions[1]!, sessions[2]!],
    });
    assert.equal(after.allowed.get('tapering/1'), 9.5);
    assert.equal(after.state.get('tapering/1'), 'capped-by-demand');
    assert.equal(after.allowed.get('hungry/1'), 30.5);
    assert.equal(after.allowed.get('elsewhere/1'), 32);
    // A cap below the charger's min never lowers it below the min.
    const low = allocate({ site: site(40), circuits: [], sessions: [{ ...sessions[0]!, cap: 2 }, sessions[1]!] });
    assert.equal(low.allowed.get('tapering/1'), 6);
    assert.equal(low.allowed.get('hungry/1'), 32);
  });

  it('an idle car (full or paused) gets 0 A, not its minimum, and its share goes to the others on its phases', () => {
    const sessions = [session('full/1', { phases: ['A'], idle: true }), session('hungry/1', { phases: ['A'] })];
    const out = allocate({ site: site(36), circuits: [], sessions });
    assert.deepEqual(
      [out.allowed.get('full/1'), out.state.get('full/1'), out.allowed.get('hungry/1')],
      [0, 'capped-by-demand', 32],
    );
  });

  it('an unmanaged session counts at its fixed current and the others are fitted around it', () => {
    const out = allocate({
      site: site(63),
      circuits: [],
      sessions: [
        session('rejects/1', { fixed: 32, arrival: T0 + 5 }),
        session('a/1'),
        session('b/1', { arrival: T0 + 1 }),
      ],
    });
    assert.equal(out.allowed.get('rejects/1'), 32);
    assert.equal(out.state.get('rejects/1'), 'unmanaged');
    assert.equal(out.allowed.get('a/1'), 15.5);
    assert.equal(out.allowed.get('b/1'), 15.5);
    assert.deepEqual(out.overcommitted, []);
    const over = allocate({
      site: site(63),
      circuits: [],
      sessions: [session('x/1', { fixed: 32 }), session('y/1', { fixed: 32 }), session('z/1')],
    });
    assert.deepEqual(over.overcommitted, ['site:A', 'site:B', 'site:C']);
    assert.equal(over.state.get('z/1'), 'waiting');
  });

  it('a nested circuit bounds only the chargers under it, and its parent bounds them all', () => {
    const input: AllocationInput = {
      site: site(200),
      circuits: [
        { id: 7, parentId: null, limits: site(50) },
        { id: 3, parentId: 7, limits: site(16, 100, 100) },
      ],
      sessions: [
        session('deep1/1', { circuitId: 3, phases: ['A'] }),
        session('deep2/1', { circuitId: 3, phases: ['A', 'B', 'C'] }),
        session('upper/1', { circuitId: 7, phases: ['B'] }),
        session('site/1', { phases: ['A'] }),
      ],
    };
    const out = allocate(input);
    assert.equal(out.allowed.get('deep1/1'), 8); // circuit 3, phase A: 16 A for two
    assert.equal(out.allowed.get('deep2/1'), 8);
    assert.equal(out.allowed.get('upper/1'), 32); // circuit 7 phase B: 50 - 8
    assert.equal(out.allowed.get('site/1'), 32);
  });

  it('floors to 0.1 A so that the sum stays within the limit', () => {
    const out = allocate({ site: site(20), circuits: [], sessions: [session('a/1'), session('b/1'), session('c/1')] });
    assert.deepEqual([...out.allowed.values()], [6.6, 6.6, 6.6]);
  });

  it('throws on wiring the controller must never build', () => {
    const cyclic = [
      { id: 1, parentId: 2, limits: site(10) },
      { id: 2, parentId: 1, limits: site(10) },
    ];
    assert.throws(() => allocate({ site: site(10), circuits: cyclic, sessions: [] }), /its own ancestor/);
    assert.throws(
      () => allocate({ site: site(10), circuits: [{ id: 1, parentId: 9, limits: site(10) }], sessions: [] }),
      /unknown parent 9/,
    );
    assert.throws(
      () => allocate({ site: site(10), circuits: [], sessions: [session('a/1', { circuitId: 4 })] }),
      /unknown circuit 4/,
    );
    assert.throws(
      () => allocate({ site: site(10), circuits: [], sessions: [session('a/1'), session('a/1')] }),
      /listed twice/,
    );
    assert.throws(
      () => allocate({ site: site(10), circuits: [], sessions: [session('a/1', { phases: ['A', 'A'] })] }),
      /distinct site phases/,
    );
    assert.throws(
      () => allocate({ site: site(10), circuits: [], sessions: [session('a/1', { min: Number.NaN })] }),
      /not currents/,
    );
  });
});
