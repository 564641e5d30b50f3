import type { PeriodUnit } from '../../../db/repositories/energy-queries.ts';
import { localDay } from '../../time/site-time.ts';

/** Seed 3.1 `mode`: 1 yearly, 2 monthly, 3 daily. */
export const MODE_UNIT: Record<number, PeriodUnit> = { 1: 'year', 2: 'month', 3: 'day' };

/** How far back a chart may reach, per unit (keeps every chart query bounded). */
export const MAX_OFFSET: Record<PeriodUnit, number> = { year: 50, month: 120, day: 366 };

export interface PeriodWindow {
  /** Labels oldest first: 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'. */
  labels: string[];
  /** First site-local day covered, and the day after the last ('YYYY-MM-DD'). */
  fromDay: string;
  toDay: string;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Calendar arithmetic on a site-local date; UTC is used only as a zone-free calendar. */
function shift(y: number, m: number, d: number, unit: PeriodUnit, by: number): [number, number, number] {
  const t = new Date(Date.UTC(y, m - 1, d));
  if (unit === 'year') t.setUTCFullYear(t.getUTCFullYear() + by);
  else if (unit === 'month') t.setUTCMonth(t.getUTCMonth() + by);
  else t.setUTCDate(t.getUTCDate() + by);
  return [t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate()];
}

function label(unit: PeriodUnit, [y, m, d]: [number, number, number]): string {
  if (unit === 'year') return pad(y, 4);
  if (unit === 'month') return `${pad(y, 4)}-${pad(m)}`;
  return `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
}

const day = ([y, m, d]: [number, number, number]) => `${pad(y, 4)}-${pad(m)}-${pad(d)}`;

/**
 * The last `count` site-local periods up to and including the one holding
 * `now` (seed 3.1: "最近几年/月/日"), oldest first.
 */
export function lastPeriods(now: Date, tz: string, unit: PeriodUnit, count: number): PeriodWindow {
  const [y, m, d] = localDay(now, tz).split('-').map(Number) as [number, number, number];
  // The start of the current period: Jan 1st, the 1st of the month, or today.
  const current: [number, number, number] = unit === 'year' ? [y, 1, 1] : unit === 'month' ? [y, m, 1] : [y, m, d];
  const labels: string[] = [];
  for (let i = count - 1; i >= 0; i--) labels.push(label(unit, shift(...current, unit, -i)));
  return { labels, fromDay: day(shift(...current, unit, -(count - 1))), toDay: day(shift(...current, unit, 1)) };
}

/** The 12 months of the site-local year holding `now` (seed 2.11). */
export function monthsOfYear(now: Date, tz: string): PeriodWindow {
  const y = Number(localDay(now, tz).slice(0, 4));
  const labels = Array.from({ length: 12 }, (_, i) => `${pad(y, 4)}-${pad(i + 1)}`);
  return { labels, fromDay: `${pad(y, 4)}-01-01`, toDay: `${pad(y + 1, 4)}-01-01` };
}

/** kWh from Wh: whole Wh are exact, so sums stay free of float drift until this one division. */
export const kWh = (wh: number) => wh / 1000;
