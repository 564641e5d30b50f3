import type { SessionDemand } from './types.ts';

/**
 * Sessions in arrival order, ties by key (code-unit order, the same on every
 * machine), whatever order they came in. The controller usually lists them
 * already in order, which is checked in one pass; otherwise arrival times,
 * offset from the earliest, are packed with the position into one double and
 * sorted natively, which is several times faster than a comparator sort of
 * 10,000 objects. Equal arrivals are then ordered by key.
 */
export function arrivalOrder(sessions: readonly SessionDemand[]): readonly SessionDemand[] {
  const n = sessions.length;
  let sorted = true;
  for (let j = 1; j < n && sorted; j++) if (compare(sessions[j - 1]!, sessions[j]!) > 0) sorted = false;
  if (sorted) return sessions;

  let first = Infinity;
  let last = -Infinity;
  for (const s of sessions) {
    first = Math.min(first, s.arrival);
    last = Math.max(last, s.arrival);
  }
  // (arrival - first) * n + position must be an exact integer in a double.
  if (!sessions.every((s) => Number.isInteger(s.arrival)) || (last - first + 1) * n > Number.MAX_SAFE_INTEGER) {
    return [...sessions].sort(compare);
  }
  const packed = new Float64Array(n);
  for (let j = 0; j < n; j++) packed[j] = (sessions[j]!.arrival - first) * n + j;
  packed.sort();
  const out: SessionDemand[] = new Array(n);
  for (let j = 0; j < n; j++) out[j] = sessions[packed[j]! % n]!;
  // Runs of one arrival time, ordered by key.
  for (let a = 0; a < n; ) {
    let b = a + 1;
    while (b < n && out[b]!.arrival === out[a]!.arrival) b++;
    if (b - a > 1) {
      const run = out.slice(a, b).sort(compare);
      for (let k = 0; k < run.length; k++) out[a + k] = run[k]!;
    }
    a = b;
  }
  return out;
}

function compare(a: SessionDemand, b: SessionDemand): number {
  if (a.arrival !== b.arrival) return a.arrival - b.arrival;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}
