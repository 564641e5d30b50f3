import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { rawRows } from '../../db/raw.ts';

/**
 * Every way the kept rollups can disagree with the raw sessions, as rows
 * (empty when consistent): energy_daily against the closed sessions by
 * site-local stop day, the charger totals against them, and the
 * trigger-kept energy_monthly and energy_site_daily against energy_daily.
 */
export async function rollupDrift(db: Db, tz: string): Promise<unknown[]> {
  return rawRows(
    db,
    sql`
    with raw as (
      select charger_id, (stopped_at at time zone ${tz})::date as day, sum(energy_wh) as e, count(*) as s,
             sum(greatest(0, extract(epoch from stopped_at - started_at) / 60)) as m
      from transactions where stopped_at is not null group by 1, 2),
    daily as (select charger_id, day, energy_wh as e, sessions as s, minutes as m from energy_daily where sessions > 0 or energy_wh > 0)
    select 'daily' as what, coalesce(r.charger_id, d.charger_id) as charger_id, coalesce(r.day, d.day)::text as day
      from raw r full join daily d on d.charger_id = r.charger_id and d.day = r.day
      where r.e is distinct from d.e or r.s is distinct from d.s or abs(coalesce(r.m, 0) - coalesce(d.m, 0)) > 1e-6
    union all
    select 'totals', c.id, null from chargers c
      left join (select charger_id, sum(e) as e, sum(m) as m from raw group by 1) r on r.charger_id = c.id
      where c.energy_wh_total <> coalesce(r.e, 0) or abs(c.minutes_total - coalesce(r.m, 0)) > 1e-6
    union all
    select 'monthly', coalesce(d.charger_id, em.charger_id), coalesce(d.m, em.month)::text
      from (select charger_id, date_trunc('month', day)::date as m, sum(energy_wh) as e, sum(sessions) as s from energy_daily group by 1, 2) d
      full join energy_monthly em on em.charger_id = d.charger_id and em.month = d.m
      where em.energy_wh is distinct from d.e or em.sessions is distinct from d.s
    union all
    select 'site', null, coalesce(d.day, sd.day)::text
      from (select day, energy_site_shard(charger_id) as shard, sum(energy_wh) as e, sum(sessions) as s from energy_daily group by 1, 2) d
      full join energy_site_daily sd on sd.day = d.day and sd.shard = d.shard
      where sd.energy_wh is distinct from d.e or sd.sessions is distinct from d.s`,
  );
}
