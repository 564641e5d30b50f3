import { buildConstraintSpace } from './constraints.ts';
import type { Allocation, AllocationInput } from './types.ts';

/**
 * Which new allowances to send as charging profiles (OCPP 1.6 §5.16
 * SetChargingProfile) and which to leave, so that small moves of the
 * allocation (a measured draw that wobbles, a session arriving elsewhere)
 * do not cost every charger a profile each tick (docs/LOAD.md "Hysteresis of
 * what is sent").
 *
 * - Always sent: the first allowance of a session (nothing installed), any
 *   change to or from 0 A (a session starts or stops waiting), and any
 *   change of at least `step` (1 A).
 * - A raise smaller than `step` may be held back: the charger keeps less
 *   than the allocation gives it, which can only lower every sum.
 * - A lower smaller than `step` is held back only while every constraint it
 *   is on stays within its limit with what is then in force (sent values
 *   for what is sent, installed ones for what is held, fixed sessions at
 *   their fixed current). Where a sum would exceed a limit, the held lowers
 *   on it are sent, the largest first, until it holds: the allocation's
 *   raises rely on them. With every lower sent the sums are the
 *   allocation's or less, so this always ends within the limits (but those
 *   the fixed load alone breaks, where every lower is sent).
 *
 * - Held raises must not strand capacity (30 sessions each 0.7 A short are
 *   20 A of a phase; a stop's share spread over them is under 1 A each): a
 *   held raise is sent as a raise of exactly `step` (1 A, so above its
 *   allocation by less than 1 A) while every constraint it is on still
 *   holds with what is then in force, the furthest below its allocation
 *   first (ties in arrival order). What is in force never exceeds a limit
 *   and every change sent is still at least `step`; the session is left
 *   with a small lower that is held while the sums allow, so a steady
 *   allocation settles in a round or two and nothing flaps.
 *
 * Lowers must be in force before raises are sent (the controller sends
 * `lowers`, waits for their answers, then `raises`); a session with nothing
 * installed is counted as a lower, since what it draws is unknown.
 * Unmanaged sessions are never sent anything.
 */
export interface ProfileChange {
  key: string;
  /** The allowance installed now, A; null: none of ours. */
  from: number | null;
  to: number;
}

export interface ChangePlan {
  /** Send first, in this order (arrival order). */
  lowers: ProfileChange[];
  /** Send once the lowers are accepted. */
  raises: ProfileChange[];
  /** Differing from the allocation but left as installed. */
  held: string[];
}

const EPS = 1e-9;

export function planChanges(
  input: AllocationInput,
  allocation: Allocation,
  installed: ReadonlyMap<string, number>,
  step = 1,
): ChangePlan {
  const lowers: ProfileChange[] = [];
  const raises: ProfileChange[] = [];
  const smallLowers = new Map<string, ProfileChange>();
  const heldRaises = new Set<string>();
  for (const [key, to] of allocation.allowed) {
    if (allocation.state.get(key) === 'unmanaged') continue;
    const from = installed.get(key) ?? null;
    if (from !== null && Math.abs(to - from) < EPS) continue;
    const change = { key, from, to };
    const big = from === null || to === 0 || from === 0 || Math.abs(to - from) >= step - EPS;
    if (from === null || to < from) {
      if (big) lowers.push(change);
      else smallLowers.set(key, change);
    } else if (big) raises.push(change);
    else heldRaises.add(key);
  }
  if (smallLowers.size > 0) sendLowersRelied(input, allocation, installed, smallLowers, heldRaises, lowers);
  if (heldRaises.size > 0) releaseHeldRaises(input, allocation, installed, smallLowers, heldRaises, raises, step);
  const order = [...allocation.allowed.keys()];
  const rank = new Map(order.map((k, i) => [k, i]));
  lowers.sort((a, b) => rank.get(a.key)! - rank.get(b.key)!);
  const held = order.filter((k) => heldRaises.has(k) || smallLowers.has(k));
  return { lowers, raises, held };
}

/** Moves from `small` to `lowers` every small lower some limit relies on. */
function sendLowersRelied(
  input: AllocationInput,
  allocation: Allocation,
  installed: ReadonlyMap<string, number>,
  small: Map<string, ProfileChange>,
  heldRaises: ReadonlySet<string>,
  lowers: ProfileChange[],
): void {
  const space = buildConstraintSpace(input.site, input.circuits);
  const sum = new Float64Array(space.limits.length);
  const onConstraint: string[][] = space.limits.map(() => []);
  const constraintsOf = new Map<string, readonly number[]>();
  for (const s of input.sessions) {
    const key = s.key;
    const list = space.constraintsOf(s.circuitId, s.phases);
    constraintsOf.set(key, list);
    const to = allocation.allowed.get(key) ?? 0;
    const inForce = small.has(key) || heldRaises.has(key) ? installed.get(key)! : to;
    for (const c of list) {
      sum[c]! += inForce;
      if (small.has(key)) onConstraint[c]!.push(key);
    }
  }
  for (let c = 0; c < sum.length; c++) {
    if (sum[c]! <= space.limits[c]! + EPS) continue;
    // The largest decreases first (ties by key), so the fewest profiles go out.
    const candidates = onConstraint[c]!.filter((k) => small.has(k)).map((k) => small.get(k)!);
    candidates.sort((a, b) => b.from! - b.to - (a.from! - a.to) || (a.key < b.key ? -1 : 1));
    for (const ch of candidates) {
      if (sum[c]! <= space.limits[c]! + EPS) break;
      small.delete(ch.key);
      lowers.push(ch);
      for (const c2 of constraintsOf.get(ch.key)!) sum[c2]! -= ch.from! - ch.to;
    }
  }
}

/**
 * Moves from `held` to `raises` the held raises that fit as raises of `step`
 * beside what is then in force (everything sent at its new value, held
 * changes at their installed one), the largest shortfall first.
 */
function releaseHeldRaises(
  input: AllocationInput,
  allocation: Allocation,
  installed: ReadonlyMap<string, number>,
  smallLowers: ReadonlyMap<string, ProfileChange>,
  held: Set<string>,
  raises: ProfileChange[],
  step: number,
): void {
  const space = buildConstraintSpace(input.site, input.circuits);
  const sum = new Float64Array(space.limits.length);
  const constraintsOf = new Map<string, readonly number[]>();
  const rank = new Map<string, number>();
  const upper = new Map<string, number>();
  for (const s of input.sessions) {
    const list = space.constraintsOf(s.circuitId, s.phases);
    constraintsOf.set(s.key, list);
    rank.set(s.key, rank.size);
    upper.set(s.key, Math.min(s.max, s.cap ?? Infinity));
    const to = allocation.allowed.get(s.key) ?? 0;
    const inForce = smallLowers.has(s.key) || held.has(s.key) ? installed.get(s.key)! : to;
    for (const c of list) sum[c]! += inForce;
  }
  const gap = (key: string) => allocation.allowed.get(key)! - installed.get(key)!;
  const order = [...held].sort((a, b) => gap(b) - gap(a) || rank.get(a)! - rank.get(b)!);
  for (const key of order) {
    const from = installed.get(key)!;
    const to = Math.round((from + step) * 10) / 10;
    if (to > upper.get(key)! + EPS) continue;
    const list = constraintsOf.get(key)!;
    if (list.some((c) => sum[c]! + (to - from) > space.limits[c]! + EPS)) continue;
    for (const c of list) sum[c]! += to - from;
    held.delete(key);
    raises.push({ key, from, to });
  }
}
