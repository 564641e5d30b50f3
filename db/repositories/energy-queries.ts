import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { rawRows } from '../raw.ts';
import { energyDaily, energyMonthly, energySiteDaily } from '../schema/index.ts';

export type PeriodUnit = 'year' | 'month' | 'day';

export interface PeriodEnergy {
  chargerId: string | null;
  /** 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD', the site-local period. */
  period: string;
  energyWh: number;
}

// Fixed per unit, inlined (not a bind parameter) so SELECT and GROUP BY are the same expression.
type Source = { table: typeof energyDaily | typeof energyMonthly | typeof energySiteDaily; column: SQL; format: string };
const SOURCE: Record<PeriodUnit, Source> = {
  day: { table: energyDaily, column: sql`${energyDaily.day}`, format: 'YYYY-MM-DD' },
  month: { table: energyMonthly, column: sql`${energyMonthly.month}`, format: 'YYYY-MM' },
  year: { table: energyMonthly, column: sql`${energyMonthly.month}`, format: 'YYYY' },
};
/** The whole site's sums: one row per day whatever the charger count (at most ~1,830 for 5 years). */
const SITE_SOURCE: Record<PeriodUnit, Source> = {
  day: { table: energySiteDaily, column: sql`${energySiteDaily.day}`, format: 'YYYY-MM-DD' },
  month: { table: energySiteDaily, column: sql`${energySiteDaily.day}`, format: 'YYYY-MM' },
  year: { table: energySiteDaily, column: sql`${energySiteDaily.day}`, format: 'YYYY' },
};

/**
 * Energy per site-local period from the rollups (a session counts in the day
 * it finished): `energy_site_daily` for the whole site, else `energy_daily`
 * for days and `energy_monthly` for months and years, so a chart reads at most
 * a few thousand rows whatever the session count (and, for the site, whatever
 * the charger count).
 */
export function createEnergyQueryRepository(db: DbOrTx) {
  return {
    /**
     * Sums in [fromDay, toDay) ('YYYY-MM-DD', first day of the period for
     * months/years), per charger when `perCharger`, else over all chargers or one.
     */
    async byPeriod(opts: { unit: PeriodUnit; fromDay: string; toDay: string; chargerId?: string | undefined; perCharger?: boolean }): Promise<PeriodEnergy[]> {
      const site = !opts.perCharger && opts.chargerId === undefined;
      const src = (site ? SITE_SOURCE : SOURCE)[opts.unit];
      const label = sql.raw(`to_char(${site || opts.unit === 'day' ? '"day"' : '"month"'}, '${src.format}')`);
      const who = opts.perCharger ? sql`"charger_id"` : sql`null::text`;
      const filter = opts.chargerId === undefined ? sql`` : sql` and "charger_id" = ${opts.chargerId}`;
      const rows = await rawRows<{ charger_id: string | null; period: string; wh: string | number }>(
        db,
        sql`select ${who} as charger_id, ${label} as period, sum("energy_wh") as wh
            from ${src.table}
            where ${src.column} >= ${opts.fromDay}::date and ${src.column} < ${opts.toDay}::date${filter}
            group by 1, 2`,
      );
      return rows.map((r) => ({ chargerId: r.charger_id, period: r.period, energyWh: Number(r.wh) }));
    },
  };
}
export type EnergyQueryRepository = ReturnType<typeof createEnergyQueryRepository>;
