import { sql } from 'drizzle-orm';
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

type Rollup = typeof energyDaily | typeof energyMonthly | typeof energySiteDaily;
/** Characters of 'YYYY-MM-DD' that name a period of each unit. */
const LABEL_LENGTH: Record<PeriodUnit, number> = { year: 4, month: 7, day: 10 };

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
    async byPeriod(opts: {
      unit: PeriodUnit;
      fromDay: string;
      toDay: string;
      chargerId?: string | undefined;
      perCharger?: boolean;
      /** Only these chargers (per charger): the chart answers re-read the chargers a stop changed (api/seed/charger-series.ts). */
      chargerIds?: readonly string[];
    }): Promise<PeriodEnergy[]> {
      if (opts.chargerIds?.length === 0) return [];
      const site = !opts.perCharger && opts.chargerId === undefined && opts.chargerIds === undefined;
      // The rollup at the finest grain the question needs; its rows are already one per charger (or site) and period.
      const table: Rollup = site ? energySiteDaily : opts.unit === 'day' ? energyDaily : energyMonthly;
      const grain: PeriodUnit = site || opts.unit === 'day' ? 'day' : 'month';
      const col = sql.raw(grain === 'day' ? '"day"' : '"month"');
      // Summing happens where the period is coarser than the rows (fixed words, so SELECT and GROUP BY match),
      // and always for the site: a site day is one row per shard (db/schema/rollups.ts energySiteDaily).
      const grouped = site || opts.unit !== grain;
      const period =
        opts.unit !== grain
          ? sql.raw(`date_trunc('${opts.unit}', ${grain === 'day' ? '"day"' : '"month"'})::date`)
          : col;
      const who = opts.perCharger ? sql`"charger_id"` : sql`null::text`;
      const filter =
        opts.chargerId !== undefined
          ? sql` and "charger_id" = ${opts.chargerId}`
          : opts.chargerIds
            ? sql` and "charger_id" in (${sql.join(
                opts.chargerIds.map((id) => sql`${id}`),
                sql`, `,
              )})`
            : sql``;
      const rows = await rawRows<{ charger_id: string | null; d: string; wh: string | number }>(
        db,
        sql`select ${who} as charger_id, ${period}::text as d, ${grouped ? sql`sum("energy_wh")` : sql`"energy_wh"`} as wh
            from ${table}
            where ${col} >= ${opts.fromDay}::date and ${col} < ${opts.toDay}::date${filter}
            ${grouped ? sql`group by 1, 2` : sql``}`,
      );
      const len = LABEL_LENGTH[opts.unit];
      return rows.map((r) => ({ chargerId: r.charger_id, period: r.d.slice(0, len), energyWh: Number(r.wh) }));
    },
  };
}
export type EnergyQueryRepository = ReturnType<typeof createEnergyQueryRepository>;
