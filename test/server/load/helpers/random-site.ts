import fc from 'fast-check';
import { PHASE_ROTATIONS, SITE_PHASES, loadedPhases, type PerPhase } from '../../../../contracts/load.ts';
import type { AllocationInput, CircuitLimits, SessionDemand } from '../../../../server/load/types.ts';
import { constraintsOf } from './allocation-checks.ts';

/**
 * Random sites for the allocator's property tests: 1–60 circuits nested up
 * to 3 deep (ids in no particular order), 0–300 sessions on 1, 2 or 3 phases
 * with random rotations, random minima, maxima, demand caps, idle cars and fixed loads.
 * Currents are on the 0.1 A grid (as chargers report them) and limits to
 * 0.01 A, so the checks can compare in amperes; `offGrid` draws any double.
 * Most limits are a random share (mostly 25–130 %, now and then less) of the sum of the maxima hanging
 * from them, so that every run has binding and free constraints, admitted
 * and waiting sessions; the others are any figure.
 */
export const FC_OPTIONS = { seed: 20261202, numRuns: 150 } as const;

const tenths = (lo: number, hi: number) => fc.integer({ min: lo * 10, max: hi * 10 }).map((k) => k / 10);
const hundredths = (lo: number, hi: number) => fc.integer({ min: lo * 100, max: hi * 100 }).map((k) => k / 100);
const anyCurrent = (lo: number, hi: number) => fc.double({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true });

/** `arb` with probability p, else null. */
function sometimes<T>(p: number, arb: fc.Arbitrary<T>): fc.Arbitrary<T | null> {
  return fc.oneof(
    { weight: Math.round(p * 100), arbitrary: arb },
    { weight: Math.round((1 - p) * 100), arbitrary: fc.constant(null) },
  );
}

interface Draw {
  grid: (lo: number, hi: number) => fc.Arbitrary<number>;
  limit: (lo: number, hi: number) => fc.Arbitrary<number>;
  round: (limit: number) => number;
}
const onGrid: Draw = { grid: tenths, limit: hundredths, round: (x) => Math.round(x * 100) / 100 };
const offGridDraw: Draw = { grid: anyCurrent, limit: anyCurrent, round: (x) => x };

function perPhase(limit: fc.Arbitrary<number>) {
  return fc.record({ A: limit, B: limit, C: limit });
}

function circuitsArb(d: Draw): fc.Arbitrary<CircuitLimits[]> {
  return fc
    .record({
      count: fc.integer({ min: 1, max: 60 }),
      ids: fc.uniqueArray(fc.integer({ min: 1, max: 10_000 }), { minLength: 60, maxLength: 60 }),
      parents: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 60, maxLength: 60 }),
      limits: fc.array(perPhase(fc.oneof(d.limit(0, 40), d.limit(0, 200), d.limit(0, 1000))), {
        minLength: 60,
        maxLength: 60,
      }),
    })
    .map(({ count, ids, parents, limits }) => {
      const depth: number[] = [];
      const out: CircuitLimits[] = [];
      for (let k = 0; k < count; k++) {
        // A parent among the earlier circuits less than 3 deep, or the site.
        const candidates = out.filter((_, j) => depth[j]! < 3);
        const pick = Math.floor(parents[k]! * (candidates.length + 1));
        const parent = pick < candidates.length ? candidates[pick]! : null;
        depth.push(parent ? depth[out.indexOf(parent)]! + 1 : 1);
        out.push({ id: ids[k]!, parentId: parent ? parent.id : null, limits: limits[k]! });
      }
      return out;
    });
}

function sessionsArb(d: Draw, circuits: CircuitLimits[]): fc.Arbitrary<SessionDemand[]> {
  const session = fc.record({
    circuit: fc.integer({ min: -1, max: circuits.length - 1 }),
    rotation: fc.constantFrom(...PHASE_ROTATIONS),
    maxPhase: fc.integer({ min: 1, max: 3 }),
    min: d.grid(1, 16),
    extra: fc.oneof({ weight: 9, arbitrary: d.grid(0, 60) }, { weight: 1, arbitrary: d.grid(-5, 0) }),
    cap: sometimes(0.3, d.grid(0, 70)),
    fixed: sometimes(0.1, d.grid(0, 63)),
    idle: fc.oneof({ weight: 19, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    arrival: fc.integer({ min: 0, max: 40 }),
  });
  // Counts spread over 0–300 (fast-check's own sizes stay near 10).
  const count = fc.oneof(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 300 }));
  return count
    .chain((n) => fc.array(session, { minLength: n, maxLength: n }))
    .map((drawn) =>
      drawn.map((s, k) => ({
        key: `cp${k}/${1 + (k % 2)}`,
        circuitId: s.circuit < 0 ? null : circuits[s.circuit]!.id,
        phases: loadedPhases(s.rotation, s.maxPhase),
        min: s.min,
        // Now and then max < min: a charger that can never be given a valid current.
        max: d.round(Math.max(0, s.min + s.extra)),
        arrival: 1_764_633_600_000 + s.arrival * 1000,
        cap: s.cap,
        fixed: s.fixed,
        ...(s.idle ? { idle: true } : {}),
      })),
    );
}

/**
 * Limits scaled to what hangs from each constraint, so that every run has
 * binding and free constraints, admitted and waiting sessions: each limit is
 * a random share (0–130 %) of the sum of the maxima on it, or now and then
 * any figure.
 */
function siteArb(d: Draw): fc.Arbitrary<AllocationInput> {
  const percent = fc.oneof(
    { weight: 6, arbitrary: fc.noBias(fc.integer({ min: 25, max: 130 })) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 25 }) },
  );
  const share = fc.oneof(
    { weight: 12, arbitrary: percent.map((pc) => pc / 100) },
    { weight: 1, arbitrary: fc.constant(null) },
  );
  return fc
    .record({ site: perPhase(fc.oneof(d.limit(0, 100), d.limit(0, 2000))), circuits: circuitsArb(d) })
    .chain(({ site, circuits }) => sessionsArb(d, circuits).map((sessions) => ({ site, circuits, sessions })))
    .chain((input) => {
      const n = 3 * (1 + input.circuits.length);
      return fc.array(share, { minLength: n, maxLength: n }).map((shares) => {
        const load = new Map<string, number>();
        for (const s of input.sessions)
          for (const c of constraintsOf(input, s))
            load.set(c.name, (load.get(c.name) ?? 0) + Math.max(s.max, s.fixed ?? 0));
        let k = 0;
        const scale = (prefix: string, given: PerPhase): PerPhase => {
          const out = { ...given };
          for (const p of SITE_PHASES) {
            const f = shares[k++];
            if (f != null) out[p] = d.round((load.get(`${prefix}:${p}`) ?? 0) * f);
          }
          return out;
        };
        const site = scale('site', input.site);
        return {
          site,
          circuits: input.circuits.map((c) => ({ ...c, limits: scale(`circuit:${c.id}`, c.limits) })),
          sessions: input.sessions,
        };
      });
    });
}

export const randomSite = siteArb(onGrid);
export const randomOffGridSite = siteArb(offGridDraw);
