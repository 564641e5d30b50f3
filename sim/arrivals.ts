import type { Rng } from './random.ts';

/**
 * When drivers plug in, by site-local hour: few at night, a morning peak at
 * the workplace, a lunch bump, the evening peak at home. Each value is the
 * chance that a session starts in that hour on an idle connector; they sum
 * to ~3, "a few sessions per charger per day".
 */
const HOURLY_START_CHANCE = [
  0.02, 0.01, 0.01, 0.01, 0.01, 0.03, 0.08, 0.22, 0.3, 0.22, 0.12, 0.1, 0.14, 0.14, 0.1, 0.1, 0.12, 0.2, 0.28, 0.26,
  0.2, 0.14, 0.08, 0.04,
];

const hourFormatters = new Map<string, Intl.DateTimeFormat>();

export function localHour(at: Date, timeZone: string): number {
  let f = hourFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { hour: 'numeric', hourCycle: 'h23', timeZone });
    hourFormatters.set(timeZone, f);
  }
  return Number(f.format(at));
}

const HOUR = 3600_000;

/** The next moment a driver arrives after `from` (one Rng draw per hour, so runs replay exactly). */
export function nextArrival(from: Date, rng: Rng, timeZone: string): Date {
  let hourStart = Math.floor(from.getTime() / HOUR) * HOUR;
  for (let i = 0; i < 24 * 14; i++, hourStart += HOUR) {
    const hour = localHour(new Date(hourStart), timeZone);
    if (rng.chance(HOURLY_START_CHANCE[hour]!)) {
      const at = hourStart + Math.floor(rng.next() * HOUR);
      return new Date(Math.max(at, from.getTime() + 60_000));
    }
  }
  return new Date(hourStart);
}

/**
 * How long the car stays plugged in, seconds: evening arrivals stay the night,
 * daytime ones a working day or an errand.
 */
export function plugDurationS(arrival: Date, rng: Rng, timeZone: string): number {
  const hour = localHour(arrival, timeZone);
  if (hour >= 18 || hour < 5) return Math.round(rng.between(5, 11) * 3600);
  if (hour >= 7 && hour < 10 && rng.chance(0.6)) return Math.round(rng.between(6, 9) * 3600);
  return Math.round(rng.between(0.5, 3.5) * 3600);
}
