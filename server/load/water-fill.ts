/**
 * Max-min fair progressive filling ("water-filling") in integer deciamps,
 * for the sessions the allocator admitted (server/load/allocate.ts).
 *
 * A water level L rises from 0; session i holds clamp(L, lo[i], hi[i]) until
 * it is frozen. While lo[i] <= L < hi[i] it is *rising*: each step of L adds
 * one deciamp to it on every constraint it is on. When a constraint cannot
 * give every session rising on it one more deciamp (slack < number rising),
 * it *binds*: it is closed and its rising sessions freeze at L. A session
 * that would start rising (L reaches its lo) on a closed constraint freezes
 * at lo. So a binding phase constrains only the sessions on it; the others
 * keep rising. What a closed constraint keeps unused is less than one deciamp
 * per session on it (the 0.1 A floor of every allowance).
 *
 * Cost: the level jumps from one event (a lo or hi) to the next, or to where
 * the first constraint binds, computed from each constraint's slack and
 * slope, so the loop runs at most (distinct lo and hi values + constraints)
 * times over the constraints, plus each session's constraints once when it
 * starts, stops and freezes. No rounds over every session.
 */
export interface FillProblem {
  /** Per session: the lower and upper bound, deciamps, lo <= hi. */
  lo: Int32Array;
  hi: Int32Array;
  /** Session i is on constraints cons[off[i]] .. cons[off[i + 1] - 1]. */
  off: Int32Array;
  cons: Int32Array;
  /** Per constraint: its slack, deciamps, with every session at lo (never negative where a session is). Consumed. */
  slack: Float64Array;
}

/** Per session state; 0 is idle (below its lo, or lo = hi). */
const RISING = 1;
const FROZEN = 2;

/** Per session: its allowance, deciamps. */
export function waterFill(p: FillProblem): Int32Array {
  const n = p.lo.length;
  const C = p.slack.length;
  const { lo, hi, off, cons, slack } = p;
  const value = Int32Array.from(lo);
  const state = new Uint8Array(n);
  const slope = new Int32Array(C);
  const closed = new Uint8Array(C);

  // The constraint → sessions index, to freeze the sessions of a binding one.
  const cOff = new Int32Array(C + 1);
  for (let k = 0; k < cons.length; k++) cOff[cons[k]! + 1]!++;
  for (let c = 0; c < C; c++) cOff[c + 1]! += cOff[c]!;
  const cSess = new Int32Array(cons.length);
  const fill = cOff.slice(0, C);
  for (let i = 0; i < n; i++) for (let k = off[i]!; k < off[i + 1]!; k++) cSess[fill[cons[k]!]!++] = i;

  // Start (L reaches lo) and stop (L reaches hi) events of the sessions that
  // can rise at all, each list sorted by level then session.
  const startEv = byLevel(lo, lo, hi);
  const stopEv = byLevel(hi, lo, hi);

  const shift = (i: number, by: number) => {
    for (let k = off[i]!; k < off[i + 1]!; k++) slope[cons[k]!]! += by;
  };
  let L = 0;
  let rising = 0;
  let si = 0;
  let ei = 0;
  for (;;) {
    const nextStart = si < startEv.length ? lo[startEv[si]!]! : Infinity;
    const nextStop = ei < stopEv.length ? hi[stopEv[ei]!]! : Infinity;
    const next = Math.min(nextStart, nextStop);
    if (next === Infinity) break;
    if (rising === 0) {
      L = next;
    } else {
      let step = next - L;
      for (let c = 0; c < C; c++) if (slope[c]! > 0) step = Math.min(step, Math.floor(slack[c]! / slope[c]!));
      for (let c = 0; c < C; c++) if (slope[c]! > 0) slack[c]! -= step * slope[c]!;
      L += step;
    }
    if (L === next) {
      // A session reaching hi stops before one reaching lo starts, so the
      // slopes at L count only sessions that can still take more.
      for (; ei < stopEv.length && hi[stopEv[ei]!] === L; ei++) {
        const i = stopEv[ei]!;
        if (state[i] !== RISING) continue;
        state[i] = FROZEN;
        value[i] = hi[i]!;
        rising--;
        shift(i, -1);
      }
      for (; si < startEv.length && lo[startEv[si]!] === L; si++) {
        const i = startEv[si]!;
        let blocked = false;
        for (let k = off[i]!; k < off[i + 1]!; k++) if (closed[cons[k]!]) blocked = true;
        if (blocked) {
          state[i] = FROZEN;
          continue;
        }
        state[i] = RISING;
        rising++;
        shift(i, 1);
      }
    }
    for (let c = 0; c < C; c++) {
      if (slope[c]! === 0 || slack[c]! >= slope[c]!) continue;
      closed[c] = 1;
      for (let k = cOff[c]!; k < cOff[c + 1]!; k++) {
        const i = cSess[k]!;
        if (state[i] !== RISING) continue;
        state[i] = FROZEN;
        value[i] = L;
        rising--;
        shift(i, -1);
      }
    }
  }
  // Sessions that never rose (lo = hi) keep lo; every other one froze.
  return value;
}

/**
 * The sessions with lo < hi, ordered by `level` (lo or hi) then index. Levels
 * are deciamps of a charger's current, a range of a few hundred: a counting
 * sort, linear; a range far wider than the sessions falls back to sorting
 * level * n + i, exact in a double for any current a site has.
 */
function byLevel(level: Int32Array, lo: Int32Array, hi: Int32Array): Int32Array {
  const n = level.length;
  let least = Infinity;
  let most = -Infinity;
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (hi[i]! <= lo[i]!) continue;
    count++;
    least = Math.min(least, level[i]!);
    most = Math.max(most, level[i]!);
  }
  const out = new Int32Array(count);
  if (count === 0) return out;
  const range = most - least + 1;
  if (range > 4 * n + 1024) {
    const packed = new Float64Array(count);
    for (let i = 0, k = 0; i < n; i++) if (hi[i]! > lo[i]!) packed[k++] = (level[i]! - least) * n + i;
    packed.sort();
    for (let k = 0; k < count; k++) out[k] = packed[k]! % n;
    return out;
  }
  const at = new Int32Array(range + 1);
  for (let i = 0; i < n; i++) if (hi[i]! > lo[i]!) at[level[i]! - least + 1]!++;
  for (let v = 0; v < range; v++) at[v + 1]! += at[v]!;
  for (let i = 0; i < n; i++) if (hi[i]! > lo[i]!) out[at[level[i]! - least]!++] = i;
  return out;
}
