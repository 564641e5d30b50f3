/**
 * Site-local calendar arithmetic. The seed API cuts days, months and years in
 * the site's zone (docs/PRODUCT.md §3, SITE_TZ), and a session counts in the period where
 * it finished.
 */
const partsCache = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = partsCache.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone: tz,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    partsCache.set(tz, f);
  }
  return f;
}

export interface LocalParts {
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
  second: string;
}

export function localParts(at: Date, tz: string): LocalParts {
  const out: Record<string, string> = {};
  for (const p of formatter(tz).formatToParts(at)) if (p.type !== 'literal') out[p.type] = p.value;
  return out as unknown as LocalParts;
}

/** 'YYYY-MM-DD' of the site-local day containing `at`. */
export function localDay(at: Date, tz: string): string {
  const p = localParts(at, tz);
  return `${p.year}-${p.month}-${p.day}`;
}

/** Seed 2.2 format 'YYYY-MM-DDTHH:mm:ss' in site-local time. */
export function localIsoSeconds(at: Date, tz: string): string {
  const p = localParts(at, tz);
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}`;
}

/** Seed 2.7 format 'YYYY-MM-DD HH:mm:ss' in site-local time. */
export function localDateTime(at: Date, tz: string): string {
  return localIsoSeconds(at, tz).replace('T', ' ');
}

/** The instant at which the site-local wall time `YYYY-MM-DD[THH:mm:ss]` occurs (first occurrence across DST). */
export function instantOfLocal(wall: string, tz: string): Date {
  const [d, t = '00:00:00'] = wall.split('T');
  const [y, mo, da] = d!.split('-').map(Number);
  const [h, mi, s] = t.split(':').map(Number);
  const asUtc = Date.UTC(y!, mo! - 1, da!, h ?? 0, mi ?? 0, s ?? 0);
  // Two passes converge on the zone's offset at that wall time.
  let guess = asUtc;
  for (let i = 0; i < 2; i++) {
    const p = localParts(new Date(guess), tz);
    const seen = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second);
    guess += asUtc - seen;
  }
  return new Date(guess);
}
