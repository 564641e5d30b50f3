import { SITE_PHASES, type PerPhase, type SitePhase } from '../../contracts/load.ts';
import type { Allocation, AllocationInput, SessionDemand } from './types.ts';

/**
 * INTERIM (replaced by branch s2-alloc's allocate.ts and safe-default.ts when
 * it is merged): a simple progressive filling, so the controller can run.
 */

interface Constraint { name: string; limit: number; members: SessionDemand[] }

function constraints(input: AllocationInput): Constraint[] {
  const parent = new Map(input.circuits.map((c) => [c.id, c.parentId]));
  const chain = (id: number | null): number[] => {
    const out: number[] = [];
    for (let c = id; c !== null && c !== undefined && !out.includes(c); c = parent.get(c) ?? null) out.push(c);
    return out;
  };
  const list: Constraint[] = [];
  for (const p of SITE_PHASES) {
    list.push({ name: `site:${p}`, limit: input.site[p], members: input.sessions.filter((s) => s.phases.includes(p)) });
    for (const c of input.circuits) {
      list.push({ name: `circuit:${c.id}:${p}`, limit: c.limits[p], members: input.sessions.filter((s) => s.phases.includes(p) && chain(s.circuitId).includes(c.id)) });
    }
  }
  return list;
}

export function allocate(input: AllocationInput): Allocation {
  const allowed = new Map<string, number>();
  const state: Allocation['state'] = new Map();
  const cons = constraints(input);
  const used = new Map(cons.map((c) => [c.name, 0]));
  const overcommitted: string[] = [];
  for (const s of input.sessions) {
    if (s.fixed === null || s.fixed === undefined) continue;
    allowed.set(s.key, s.fixed);
    state.set(s.key, 'unmanaged');
    for (const c of cons) if (c.members.includes(s)) used.set(c.name, used.get(c.name)! + s.fixed);
  }
  for (const c of cons) if (used.get(c.name)! > c.limit + 1e-9) overcommitted.push(c.name);
  const steer = input.sessions.filter((s) => s.fixed === null || s.fixed === undefined).sort((a, b) => a.arrival - b.arrival || a.key.localeCompare(b.key));
  const admitted: SessionDemand[] = [];
  for (const s of steer) {
    const fits = cons.every((c) => !c.members.includes(s) || used.get(c.name)! + s.min <= c.limit + 1e-9);
    if (!fits) {
      allowed.set(s.key, 0);
      state.set(s.key, 'waiting');
      continue;
    }
    admitted.push(s);
    allowed.set(s.key, s.min);
    for (const c of cons) if (c.members.includes(s)) used.set(c.name, used.get(c.name)! + s.min);
  }
  const top = (s: SessionDemand) => Math.max(s.min, Math.min(s.max, s.cap ?? s.max));
  let open = admitted.filter((s) => allowed.get(s.key)! < top(s));
  while (open.length) {
    let step = Infinity;
    for (const s of open) step = Math.min(step, top(s) - allowed.get(s.key)!);
    for (const c of cons) {
      const n = c.members.filter((s) => open.includes(s)).length;
      if (n) step = Math.min(step, (c.limit - used.get(c.name)!) / n);
    }
    step = Math.max(0, step);
    for (const s of open) {
      allowed.set(s.key, allowed.get(s.key)! + step);
      for (const c of cons) if (c.members.includes(s)) used.set(c.name, used.get(c.name)! + step);
    }
    const full = cons.filter((c) => used.get(c.name)! >= c.limit - 1e-9);
    open = open.filter((s) => allowed.get(s.key)! < top(s) - 1e-9 && !full.some((c) => c.members.includes(s)));
  }
  for (const s of admitted) {
    allowed.set(s.key, Math.floor(allowed.get(s.key)! * 10 + 1e-6) / 10);
    state.set(s.key, s.cap !== null && s.cap !== undefined && s.cap < s.max ? 'capped-by-demand' : 'charging');
  }
  return { allowed, state, overcommitted };
}

/** The safe share per charger: the tightest limit on its phases ÷ the chargers wired there, at least its min. */
export function safeShares(site: PerPhase, chargers: { id: string; phases: SitePhase[]; min: number; max: number }[]): Map<string, { limit: number; belowMin: boolean }> {
  const count: PerPhase = { A: 0, B: 0, C: 0 };
  for (const c of chargers) for (const p of c.phases) count[p] += 1;
  const out = new Map<string, { limit: number; belowMin: boolean }>();
  for (const c of chargers) {
    const share = Math.min(...c.phases.map((p) => site[p] / count[p]));
    out.set(c.id, { limit: Math.min(c.max, Math.max(c.min, Math.floor(share * 10) / 10)), belowMin: share < c.min });
  }
  return out;
}
