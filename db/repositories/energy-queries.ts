import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { rawRows } from '../raw.ts';
import { energyDaily, energyMonthly } from '../schema/index.ts';

export type PeriodUnit = 'year' | 'month' | 'day';

export interface PeriodEnergy {
  chargerId: string | null;
  /** 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD', the site-local period. */
  period: string;
  energyWh: number;
}

// Fixed per unit, inlined (not a bind parameter) so SELECT and GROUP BY are the same expression.
const SOURCE: Record<PeriodUnit, { table: typeof energyDaily | typeof energyMonthly; column: SQL; format: string }> = {
  day: { table: energyDaily, column: sql`${energyDaily.day}`, format: 'YYYY-MM-DD' },
  month: { table: energyMonthly, column: sql`${energyMonthly.month}`, format: 'YYYY-MM' },
  year: { table: energyMonthly, column: sql`${energyMonthly.month}`, format: 'YYYY' },
};

/**
 * Energy per site-local period from the rollups (a session counts in the day
 * it finished): `energy_daily` for days, `energy_monthly` for months and years,
 * so a chart reads at most a few thousand rows whatever the session count.
 */
export function createEnergyQueryRepository(db: DbOrTx) {
  return {
    /**
     * Sums in [fromDay, toDay) ('YYYY-MM-DD', first day of the period for
     * months/years), per charger when `perCharger`, else over all chargers or one.
     */
    async byPeriod(opts: { unit: PeriodUnit; fromDay: string; toDay: string; chargerId?: string | undefined; perCharger?: boolean }): Promise<PeriodEnergy[]> {
      const src = SOURCE[opts.unit];
      const label = sql.raw(`to_char(${opts.unit === 'day' ? '"day"' : '"month"'}, '${src.format}')`);
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
