/**
 * Latencies in log-spaced buckets (1 % wide, 10 µs to 100 s), so the load
 * generator processes can send theirs to run.ts as a few hundred numbers and
 * the merged percentiles are those of all calls (±1 %), however many calls
 * a window held. A sorted array of every latency would not cross IPC cheaply.
 */
const MIN_MS = 0.01;
const GROWTH = 1.01;
const BUCKETS = Math.ceil(Math.log(100_000 / MIN_MS) / Math.log(GROWTH)) + 1;

export interface Histogram {
  /** Bucket index → count; sparse, so it crosses IPC as JSON. */
  counts: Record<number, number>;
  n: number;
  max: number;
}

export const emptyHistogram = (): Histogram => ({ counts: {}, n: 0, max: 0 });

export function record(h: Histogram, ms: number): void {
  const i = ms <= MIN_MS ? 0 : Math.min(BUCKETS - 1, Math.ceil(Math.log(ms / MIN_MS) / Math.log(GROWTH)));
  h.counts[i] = (h.counts[i] ?? 0) + 1;
  h.n++;
  if (ms > h.max) h.max = ms;
}

export function merge(into: Histogram, from: Histogram): Histogram {
  for (const [i, c] of Object.entries(from.counts)) into.counts[Number(i)] = (into.counts[Number(i)] ?? 0) + c;
  into.n += from.n;
  into.max = Math.max(into.max, from.max);
  return into;
}

/** The p-quantile (0..1): the upper edge of the bucket holding the ⌈p·n⌉-th smallest latency; NaN when empty. */
export function quantile(h: Histogram, p: number): number {
  if (h.n === 0) return NaN;
  const rank = Math.max(1, Math.ceil(p * h.n));
  let seen = 0;
  for (const i of Object.keys(h.counts)
    .map(Number)
    .sort((a, b) => a - b)) {
    seen += h.counts[i]!;
    if (seen >= rank) return Math.min(h.max, MIN_MS * GROWTH ** i);
  }
  return h.max;
}
