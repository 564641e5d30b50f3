import { SITE_PHASES, type PerPhase, type SitePhase } from '../../contracts/load.ts';
import type { CircuitLimits } from './types.ts';

/**
 * The limits a site's load must keep, numbered: site phase A, B, C are 0, 1,
 * 2; the circuit with the k-th smallest id has 3 + 3k + phase. A session (or
 * a charger) is on every phase it loads of the site and of each circuit from
 * its own up to the site (docs/LOAD.md "Allocation"). Shared by the
 * allocator, the hysteresis check and the safe default, so all three count
 * the same wiring.
 */
export interface ConstraintSpace {
  /** Per constraint: `site:A`, `circuit:3:B` (the names of Allocation.overcommitted). */
  names: string[];
  /** Per constraint: the limit, A. */
  limits: number[];
  /**
   * The constraints a load on `phases` under `circuitId` (null: the site)
   * counts against, ascending; shared, do not change. Phases must be 1 to 3
   * distinct site phases, else a programming error (thrown, naming `owner`).
   */
  constraintsOf(circuitId: number | null, phases: readonly SitePhase[], owner?: string): readonly number[];
}

export function buildConstraintSpace(site: PerPhase, circuits: readonly CircuitLimits[]): ConstraintSpace {
  const sorted = [...circuits].sort((a, b) => a.id - b.id);
  const names: string[] = [];
  const limits: number[] = [];
  const base = new Map<number, number>();
  const add = (name: string, figures: PerPhase) => {
    for (const p of SITE_PHASES) {
      const limit = figures[p];
      if (!Number.isFinite(limit) || limit < 0) throw new Error(`${name}:${p}: limit ${limit} is not a current`);
      names.push(`${name}:${p}`);
      limits.push(limit);
    }
  };
  add('site', site);
  for (const c of sorted) {
    if (base.has(c.id)) throw new Error(`circuit ${c.id} is listed twice`);
    base.set(c.id, names.length);
    add(`circuit:${c.id}`, c.limits);
  }
  const byId = new Map(sorted.map((c) => [c.id, c]));

  // The bases (constraint of phase A) from a circuit up to the site; a cycle
  // or an unknown parent is a programming error (the repository keeps the tree).
  const paths = new Map<number | null, number[]>([[null, [0]]]);
  const pathOf = (id: number | null): number[] => {
    const known = paths.get(id);
    if (known) return known;
    const chain: number[] = [];
    const seen = new Set<number>();
    let at: number | null = id;
    let child: number | null = null;
    let tail: number[] = [0];
    while (at !== null) {
      const cached = paths.get(at);
      if (cached) {
        tail = cached;
        break;
      }
      if (seen.has(at)) throw new Error(`circuit ${at} is its own ancestor`);
      seen.add(at);
      const circuit = byId.get(at);
      if (!circuit)
        throw new Error(child === null ? `unknown circuit ${at}` : `circuit ${child} has an unknown parent ${at}`);
      chain.push(base.get(at)!);
      child = at;
      at = circuit.parentId;
    }
    const path = [...chain, ...tail];
    paths.set(id, path);
    return path;
  };
  // Every circuit is checked, not only those with sessions under them.
  for (const c of sorted) pathOf(c.id);

  // One list per circuit and set of phases, shared by every load with that
  // wiring (10,000 sessions hang from a few hundred distinct wirings).
  const lists = new Map<number | null, (readonly number[] | undefined)[]>();
  return {
    names,
    limits,
    constraintsOf(circuitId, phases, owner = 'a load') {
      const mask = phaseMask(phases);
      if (mask <= 0) throw new Error(`${owner}: phases ${JSON.stringify(phases)} are not 1 to 3 distinct site phases`);
      let byMask = lists.get(circuitId);
      if (!byMask) lists.set(circuitId, (byMask = []));
      const known = byMask[mask];
      if (known) return known;
      const out: number[] = [];
      for (const b of pathOf(circuitId)) for (let k = 0; k < 3; k++) if (mask & (1 << k)) out.push(b + k);
      out.sort((x, y) => x - y);
      byMask[mask] = out;
      return out;
    },
  };
}

/** Bit k for the k-th site phase; -1 if a phase is unknown or repeated, 0 for none. */
function phaseMask(phases: readonly SitePhase[]): number {
  let mask = 0;
  for (let k = 0; k < phases.length; k++) {
    const p = phases[k];
    const bit = p === 'A' ? 1 : p === 'B' ? 2 : p === 'C' ? 4 : 0;
    if (bit === 0 || mask & bit) return -1;
    mask |= bit;
  }
  return mask;
}
