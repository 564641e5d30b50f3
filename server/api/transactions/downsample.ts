import type { CurveSample } from '../../../db/repositories/session-curve.ts';

/**
 * Min/max decimation of a session's samples, in one pass over them in time
 * order: the span from the first to the last sample is cut into points/2
 * equal buckets, and of each series (measurand, phase, unit) each bucket keeps
 * its lowest and its highest sample (the earlier on a tie), so peaks, dips
 * and a register's first and last value survive and a series never exceeds
 * `points` samples. A 48-hour session at 10 s (~100,000 rows) becomes a few
 * thousand. Chosen over LTTB because it is exact about extremes, which is
 * what an operator looks for in a charging curve (a spike, a drop to zero).
 */
export function downsample(samples: readonly CurveSample[], points: number): CurveSample[] {
  if (samples.length === 0) return [];
  const buckets = Math.max(1, Math.floor(points / 2));
  const lo = samples[0]!.at;
  const width = Math.max(samples[samples.length - 1]!.at - lo, 1) / buckets;
  const kept = new Map<string, { bucket: number; min: CurveSample; max: CurveSample }>();
  const out: CurveSample[] = [];
  const flush = (b: { min: CurveSample; max: CurveSample }) => {
    if (b.min === b.max) out.push(b.min);
    else out.push(...(b.min.at <= b.max.at ? [b.min, b.max] : [b.max, b.min]));
  };
  for (const s of samples) {
    const bucket = Math.min(buckets - 1, Math.floor((s.at - lo) / width));
    const key = `${s.measurand}\u0000${s.phase}\u0000${s.unit}`;
    const b = kept.get(key);
    if (!b || b.bucket !== bucket) {
      if (b) flush(b);
      kept.set(key, { bucket, min: s, max: s });
    } else {
      if (s.value < b.min.value) b.min = s;
      if (s.value > b.max.value) b.max = s;
    }
  }
  for (const b of kept.values()) flush(b);
  // Flushes come per series as each bucket closes; put them back in time order as the full answer is.
  return out.sort((a, b) => a.at - b.at || (a.measurand < b.measurand ? -1 : a.measurand > b.measurand ? 1 : 0));
}
