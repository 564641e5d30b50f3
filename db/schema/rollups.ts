import { sql } from 'drizzle-orm';
import { bigint, check, date, doublePrecision, index, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { chargers } from './chargers.ts';

/**
 * Per charger, per site-local month rollup of `energy_daily`, kept by a
 * database trigger on `energy_daily` (migration 0001_seed_indexes) so it moves
 * in the same transaction as the StopTransaction that moved the daily row.
 * The monthly and yearly charts (seed 2.10, 2.11, 3.1, 3.2) read it instead of
 * summing up to a year of daily rows per charger.
 */
export const energyMonthly = pgTable(
  'energy_monthly',
  {
    chargerId: text('charger_id')
      .notNull()
      .references(() => chargers.id, { onDelete: 'cascade' }),
    month: date('month', { mode: 'string' }).notNull(), // first day of the site-local month
    energyWh: bigint('energy_wh', { mode: 'number' }).notNull().default(0),
    minutes: doublePrecision('minutes').notNull().default(0),
    sessions: integer('sessions').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.chargerId, t.month] }),
    check('energy_monthly_nonneg', sql`${t.energyWh} >= 0 and ${t.sessions} >= 0`),
    index('energy_monthly_month_idx').on(t.month),
  ],
);

/** Rows per site day in `energy_site_daily`: see `shard` there. */
export const SITE_DAILY_SHARDS = 16;

/**
 * Whole-site energy per site-local day: `energy_daily` summed over chargers,
 * kept by a trigger on `energy_daily` (migrations 0003_site_daily and
 * 0014_site_daily_shards) in the same transaction as the StopTransaction that
 * moved it. The all-chargers charts (seed 3.1, 2.10 without charger_id) read
 * at most a few thousand rows of it instead of summing a row per charger per
 * day. A day is SITE_DAILY_SHARDS rows, one per `shard` (a hash of the
 * charger id), summed on read: with one row, every stop on the site updated
 * it and held its lock until commit, so at 10,000 chargers the stops queued
 * behind each other for seconds and took the pool's connections with them.
 */
export const energySiteDaily = pgTable(
  'energy_site_daily',
  {
    day: date('day', { mode: 'string' }).notNull(),
    shard: integer('shard').notNull().default(0),
    energyWh: bigint('energy_wh', { mode: 'number' }).notNull().default(0),
    minutes: doublePrecision('minutes').notNull().default(0),
    sessions: integer('sessions').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.day, t.shard] }),
    check('energy_site_daily_nonneg', sql`${t.energyWh} >= 0 and ${t.sessions} >= 0`),
  ],
);
