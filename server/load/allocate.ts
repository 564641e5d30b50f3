import { buildConstraintSpace, checkPhases } from './constraints.ts';
import { amps, ceilDeci, floorDeci } from './deciamps.ts';
import { arrivalOrder } from './arrival-order.ts';
import type { Allocation, AllocationInput, SessionDemand } from './types.ts';
import { waterFill } from './water-fill.ts';

type LoadState = Allocation['state'] extends Map<string, infer S> ? S : never;

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
 *    min up to min(max, demand cap), the cap never below min.
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
  for (const s of input.sessions) checkSession(s);
  const sessions = arrivalOrder(input.sessions);
  const total = sessions.length;

  const capacity = new Float64Array(C);
  const fixedAmps = new Float64Array(C);
  for (let c = 0; c < C; c++) capacity[c] = floorDeci(space.limits[c]!);
  const on: (readonly number[])[] = new Array(total);
  for (let j = 0; j < total; j++) {
    const s = sessions[j]!;
    const list = (on[j] = space.constraintsOf(s.circuitId, s.phases));
    if (s.fixed == null) continue;
    const deci = ceilDeci(s.fixed);
    for (const c of list) {
      capacity[c]! -= deci;
      fixedAmps[c]! += s.fixed;
    }
  }
  const overcommitted: string[] = [];
  for (let c = 0; c < C; c++) if (fixedAmps[c]! > space.limits[c]! + 1e-9) overcommitted.push(space.names[c]!);

  // Admission: capacity is what is left after the fixed load and the mins admitted so far.
  const index = new Int32Array(total).fill(-1); // session → its place among the admitted
  const lo = new Int32Array(total);
  const hi = new Int32Array(total);
  const capped = new Uint8Array(total);
  const off = new Int32Array(total + 1);
  let n = 0;
  for (let j = 0; j < total; j++) {
    const s = sessions[j]!;
    if (s.fixed != null) continue;
    const min = ceilDeci(s.min);
    const max = floorDeci(s.max);
    const cap = s.cap == null ? max : Math.min(max, floorDeci(s.cap));
    if (min > max) continue;
    const list = on[j]!;
    let fits = true;
    for (const c of list) if (capacity[c]! < min) fits = false;
    if (!fits) continue;
    for (const c of list) capacity[c]! -= min;
    index[j] = n;
    lo[n] = min;
    hi[n] = Math.max(min, cap);
    capped[n] = cap < max ? 1 : 0;
    off[n + 1] = off[n]! + list.length;
    n++;
  }
  const cons = new Int32Array(off[n]!);
  for (let j = 0; j < total; j++) if (index[j]! >= 0) cons.set(on[j]!, off[index[j]!]!);
  const value = waterFill({ lo: lo.subarray(0, n), hi: hi.subarray(0, n), off: off.subarray(0, n + 1), cons, slack: capacity });

  const allowed = new Map<string, number>();
  const state = new Map<string, LoadState>();
  for (let j = 0; j < total; j++) {
    const s = sessions[j]!;
    const i = index[j]!;
    if (s.fixed != null) {
      allowed.set(s.key, s.fixed);
      state.set(s.key, 'unmanaged');
    } else if (i < 0 || value[i] === 0) {
      allowed.set(s.key, 0);
      state.set(s.key, 'waiting');
    } else {
      allowed.set(s.key, amps(value[i]!));
      state.set(s.key, capped[i] && value[i] === hi[i] ? 'capped-by-demand' : 'charging');
    }
  }
  if (allowed.size !== total) throw new Error(`${total - allowed.size} session key(s) are listed twice`);
  return { allowed, state, overcommitted };
}

const current = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/** Input the controller must never build (a programming error, thrown). */
function checkSession(s: SessionDemand): void {
  checkPhases(s.key, s.phases);
  if (!current(s.min) || !current(s.max)) throw new Error(`session ${s.key}: min ${s.min} / max ${s.max} are not currents`);
  if (s.cap != null && !current(s.cap)) throw new Error(`session ${s.key}: cap ${s.cap} is not a current`);
  if (s.fixed != null && !current(s.fixed)) throw new Error(`session ${s.key}: fixed ${s.fixed} is not a current`);
  if (!Number.isFinite(s.arrival)) throw new Error(`session ${s.key}: arrival ${s.arrival} is not an instant`);
}
