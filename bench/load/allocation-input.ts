import { PHASE_ROTATIONS, SITE_PHASES, loadedPhases, type PerPhase } from '../../contracts/load.ts';
import type { AllocationInput, CircuitLimits, SessionDemand } from '../../server/load/types.ts';

/**
 * A seeded synthetic site for the allocation benchmark: 3 phases, 50 circuits
 * three deep (5 feeders under the site, 15 boards under them, 30 leaf
 * circuits under those), `sessions` chargers on the leaves, 40 % single-phase
 * on every rotation, the rest three-phase; min 6 A, max 16 or 32 A, 20 %
 * with a demand cap, 2 % unmanaged at their max. Each limit is 20–70 % of the
 * maxima hanging from it, so most constraints bind and a few sessions wait:
 * the allocator does all its work. Listed by charger, not by arrival (start
 * times are random over 8 hours), so the allocator sorts them, as it would
 * a controller's list in charger order.
 */
export function allocationInput(sessions: number, seed = 12): AllocationInput {
  const random = mulberry32(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const circuits: CircuitLimits[] = [];
  const zero: PerPhase = { A: 0, B: 0, C: 0 };
  for (let k = 0; k < 50; k++) {
    const parentId = k < 5 ? null : k < 20 ? 1 + ((k - 5) % 5) : 6 + ((k - 20) % 15);
    circuits.push({ id: k + 1, parentId, limits: { ...zero } });
  }
  const leaves = circuits.slice(20);
  const list: SessionDemand[] = [];
  for (let k = 0; k < sessions; k++) {
    const max = random() < 0.5 ? 16 : 32;
    const fixed = random() < 0.02 ? max : null;
    list.push({
      key: `CP${String(k).padStart(5, '0')}/${1 + (k % 2)}`,
      circuitId: pick(leaves).id,
      phases: loadedPhases(pick(PHASE_ROTATIONS), random() < 0.4 ? 1 : 3),
      min: 6,
      max,
      arrival: 1_764_633_600_000 + Math.floor(random() * 8 * 3600) * 1000,
      cap: random() < 0.2 ? 6 + Math.round(random() * 100) / 10 : null,
      fixed,
    });
  }
  // Limits from the load hanging from each constraint.
  const byId = new Map(circuits.map((c) => [c.id, c]));
  const site: PerPhase = { ...zero };
  for (const s of list) {
    for (const p of s.phases) {
      site[p] += s.max;
      for (let id: number | null = s.circuitId; id !== null; id = byId.get(id)!.parentId)
        byId.get(id)!.limits[p] += s.max;
    }
  }
  const share = (x: number) => Math.round(x * (0.2 + 0.5 * random()));
  for (const p of SITE_PHASES) site[p] = share(site[p]);
  for (const c of circuits) for (const p of SITE_PHASES) c.limits[p] = share(c.limits[p]);
  return { site, circuits, sessions: list };
}

/** A small seeded PRNG (public-domain mulberry32), so every run measures the same site. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
