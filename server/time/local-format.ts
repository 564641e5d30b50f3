import { localParts } from './site-time.ts';

const BUCKET_MS = 15 * 60_000;
const MAX_CACHED = 200_000;
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/**
 * Site-local 'YYYY-MM-DD HH:mm:ss' (or with 'T', seed 2.2) for bulk output (the CSV export formats
 * millions of times; Intl costs tens of µs per call). A zone's UTC offset only
 * changes at transitions, which fall on quarter hours, so the offset is looked
 * up once per 15-minute UTC bucket through Intl and cached; the digits then
 * come from plain arithmetic. Same answers as site-time.ts localDateTime.
 */
export function createLocalFormatter(tz: string, separator: ' ' | 'T' = ' '): (at: Date) => string {
  const offsets = new Map<number, number>();
  function offsetOf(ms: number): number {
    const bucket = Math.floor(ms / BUCKET_MS);
    let off = offsets.get(bucket);
    if (off === undefined) {
      const start = bucket * BUCKET_MS;
      const p = localParts(new Date(start), tz);
      off = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second) - start;
      if (offsets.size >= MAX_CACHED) offsets.clear();
      offsets.set(bucket, off);
    }
    return off;
  }
  return (at: Date) => {
    const ms = at.getTime();
    const l = new Date(Math.floor(ms / 1000) * 1000 + offsetOf(ms));
    return `${pad(l.getUTCFullYear(), 4)}-${pad(l.getUTCMonth() + 1)}-${pad(l.getUTCDate())}${separator}${pad(l.getUTCHours())}:${pad(l.getUTCMinutes())}:${pad(l.getUTCSeconds())}`;
  };
}
