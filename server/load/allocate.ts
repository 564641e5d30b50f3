import type { SessionLoadState } from '../../contracts/load.ts';
import { buildConstraintSpace } from './constraints.ts';
import { amps, ceilDeci, floorDeci } from './deciamps.ts';
import { arrivalOrder } from './arrival-order.ts';
import type { Allocation, AllocationInput, SessionDemand } from './types.ts';
import { waterFill } from './water-fill.ts';

/**
 * The allowed current per phase of every session on the site (docs/LOAD.md
 * "Allocation", docs/PRODUCT.md §7), a pure function of its input: the same
 * sessions in any order give the same answer.
 *
 * 1. Fixed sessions (unmanaged) count at their fixed current against every
 *    constraint they are on; a constraint they alone exceed is overcommitted.
 * 2. Admission in arrival order (ties by key): a session is admitted when its
 *    min fits on all its constraints beside the fixed load and the mins of
 *    those admitted before it; the others wait at 0 A, and a later, smaller
 *    or elsewhere wired session may still be admitted past them.
 * 3. Water-filling (server/load/water-fill.ts) from each admitted session's
 *    min up to min(max, demand cap), the cap never below min. An idle
 *    session (its car takes nothing) gets 0 A and is not admitted.
 *
 * Everything is counted in whole deciamps (server/load/deciamps.ts): limits
 * and maxima floored, minima and fixed loads rounded up, so the 0.1 A
 * allowances keep every limit exactly. A session whose min and max leave no
 * 0.1 A step between them (min > max) can never be given a valid allowance
 * and waits. Typed arrays and one pass per stage: 10,000 sessions take a few
 * milliseconds (bench/load/RESULTS-allocate-2026-12-02.txt).
 */
export function allocate(input: AllocationInput): Allocation {
  const space = buildConstraintSpace(input.site, input.circuits);
  const C = space.limits.length;
  const sessions = input.sessions;
  const total = sessions.length;

  // One pass over the session objects, in the order given (their order in
  // memory): their figures into typed arrays, by position.
  const on: (readonly number[])[] = new Array(total);
  const keys: string[] = new Array(total);
  const arrival = new Float64Array(total);
  const fixed = new Float64Array(total).fill(-1); // -1: managed
  const min = new Int32Array(total);
  const upper = new Int32Array(total); // max(min, min(max, cap)); below min: never valid
  const capped = new Uint8Array(total);
  const idle = new Uint8Array(total);
  for (let j = 0; j < total; j++) {
    const s = sessions[j]!;
    checkSession(s);
    keys[j] = s.key;
    arrival[j] = s.arrival;
    on[j] = space.constraintsOf(s.circuitId, s.phases, s.key);
    if (s.fixed != null) {
      fixed[j] = s.fixed;
      continue;
    }
    if (s.idle) {
      idle[j] = 1;
      continue;
    }
    const lo = ceilDeci(s.min);
    const max = floorDeci(s.max);
    const cap = s.cap == null ? max : Math.min(max, floorDeci(s.cap));
    min[j] = lo;
    upper[j] = lo > max ? lo - 1 : Math.max(lo, cap);
    capped[j] = cap < max ? 1 : 0;
  }
  const order = arrivalOrder(arrival, keys);

  // The fixed load first, summed in arrival order (the same float sums for any input order).
  const capacity = new Float64Array(C);
  const fixedAmps = new Float64Array(C);
  for (let c = 0; c < C; c++) capacity[c] = floorDeci(space.limits[c]!);
  for (let r = 0; r < total; r++) {
    const j = order[r]!;
    if (fixed[j]! < 0) continue;
    const deci = ceilDeci(fixed[j]!);
    for (const c of on[j]!) {
      capacity[c]! -= deci;
      fixedAmps[c]! += fixed[j]!;
    }
  }
  const overcommitted: string[] = [];
  for (let c = 0; c < C; c++) if (fixedAmps[c]! > space.limits[c]! + 1e-9) overcommitted.push(space.names[c]!);

  // Admission in arrival order: capacity is what is left after the fixed load and the mins admitted so far.
  const index = new Int32Array(total).fill(-1); // position → its place among the admitted
  const lo = new Int32Array(total);
  const hi = new Int32Array(total);
  const off = new Int32Array(total + 1);
  let n = 0;
  for (let r = 0; r < total; r++) {
    const j = order[r]!;
    if (fixed[j]! >= 0 || idle[j] || upper[j]! < min[j]!) continue;
    const need = min[j]!;
    const list = on[j]!;
    let fits = true;
    for (const c of list) if (capacity[c]! < need) fits = false;
    if (!fits) continue;
    for (const c of list) capacity[c]! -= need;
    index[j] = n;
    lo[n] = need;
    hi[n] = upper[j]!;
    off[n + 1] = off[n]! + list.length;
    n++;
  }
  const cons = new Int32Array(off[n]!);
  for (let j = 0; j < total; j++) if (index[j]! >= 0) cons.set(on[j]!, off[index[j]!]!);
  const value = waterFill({
    lo: lo.subarray(0, n),
    hi: hi.subarray(0, n),
    off: off.subarray(0, n + 1),
    cons,
    slack: capacity,
  });

  // Both maps list the sessions in arrival order.
  const allowed = new Map<string, number>();
  const state = new Map<string, SessionLoadState>();
  for (let r = 0; r < total; r++) {
    const j = order[r]!;
    const key = keys[j]!;
    const i = index[j]!;
    if (fixed[j]! >= 0) {
      allowed.set(key, fixed[j]!);
      state.set(key, 'unmanaged');
    } else if (idle[j]) {
      allowed.set(key, 0);
      state.set(key, 'capped-by-demand');
    } else if (i < 0 || value[i] === 0) {
      allowed.set(key, 0);
      state.set(key, 'waiting');
    } else {
      allowed.set(key, amps(value[i]!));
      state.set(key, capped[j] && value[i] === hi[i] ? 'capped-by-demand' : 'charging');
    }
  }
  if (allowed.size !== total) throw new Error(`${total - allowed.size} session key(s) are listed twice`);
  return { allowed, state, overcommitted };
}

const current = (v: number) => v >= 0 && v < Infinity; // false for NaN too

/** Input the controller must never build (a programming error, thrown); phases are checked with the wiring. */
function checkSession(s: SessionDemand): void {
  if (!current(s.min) || !current(s.max))
    throw new Error(`session ${s.key}: min ${s.min} / max ${s.max} are not currents`);
  if (s.cap != null && !current(s.cap)) throw new Error(`session ${s.key}: cap ${s.cap} is not a current`);
  if (s.fixed != null && !current(s.fixed)) throw new Error(`session ${s.key}: fixed ${s.fixed} is not a current`);
  if (!Number.isFinite(s.arrival)) throw new Error(`session ${s.key}: arrival ${s.arrival} is not an instant`);
}
