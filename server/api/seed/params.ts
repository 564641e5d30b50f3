import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.ts';
import { instantOfLocal } from '../../time/site-time.ts';

/** A real calendar day 'YYYY-MM-DD' (2015-02-30 is refused, not rolled over). */
export function parseDay(value: string, field: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const t = m ? new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!)) : undefined;
  if (!m || !t || t.getUTCFullYear() !== +m[1]! || t.getUTCMonth() + 1 !== +m[2]! || t.getUTCDate() !== +m[3]!) {
    throw new AppError('VALIDATION_FAILED', `${field} must be a date YYYY-MM-DD`, {
      [field]: `must be a date YYYY-MM-DD (got "${value}")`,
    });
  }
  return value;
}

/** The day after a 'YYYY-MM-DD'. */
export function nextDay(day: string): string {
  const t = new Date(`${day}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + 1);
  return t.toISOString().slice(0, 10);
}

/** The instants bounding a site-local day: [start, next day's start). */
export function localDayRange(day: string, tz: string): { from: Date; to: Date } {
  return { from: instantOfLocal(day, tz), to: instantOfLocal(nextDay(day), tz) };
}

/** An unknown charger_id is a 404 naming the field, not an empty answer. */
export async function requireCharger(app: FastifyInstance, id: string | undefined): Promise<string | undefined> {
  if (id === undefined) return undefined;
  if (!(await app.repos.seedQueries.chargerExists(id))) {
    throw new AppError('NOT_FOUND', `No charger ${id}`, { charger_id: `no charger "${id}"` });
  }
  return id;
}
