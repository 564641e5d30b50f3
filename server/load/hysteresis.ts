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
