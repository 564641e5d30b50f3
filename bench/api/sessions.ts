import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { rawRows } from '../../db/raw.ts';
import type { Endpoint } from './endpoints.ts';

/** Seconds between samples and hours of the long session whose curve is loaded. */
const SAMPLE_S = 10;
const HOURS = 48;

/**
 * A 48-hour session at one sample every 10 s on `chargerId`'s connector 2
 * (the bulk history uses connector 1): energy register, power, current on
 * three phases and SoC per instant, ~104,000 meter_values rows. Returns its id.
 */
export async function addLongSession(database: Database, chargerId: string, endAt: Date): Promise<number> {
  const stop = new Date(endAt.getTime() - 3_600_000);
  const start = new Date(stop.getTime() - HOURS * 3_600_000);
  // A run stopped half-way may have left the session without its samples.
  await database.db.execute(
    sql`delete from transactions t where id_tag = 'LONG' and not exists (select 1 from meter_values m where m.transaction_id = t.id)`,
  );
  const [row] = await rawRows<{ id: number }>(
    database.db,
    sql`insert into transactions (charger_id, connector_id, id_tag, session_number, meter_start, meter_stop, energy_wh,
                                  started_at, stopped_at, stop_reason, close_cause)
        values (${chargerId}, 2, 'LONG', 999999, 0, ${HOURS * 7400}, ${HOURS * 7400},
                ${start.toISOString()}::timestamptz, ${stop.toISOString()}::timestamptz, 'EVDisconnected', 'charger')
        returning id`,
  );
  const id = row!.id;
  const instants = (HOURS * 3600) / SAMPLE_S;
  await database.db.execute(sql`
    insert into meter_values (charger_id, connector_id, transaction_id, timestamp, measurand, phase, location, unit, value)
    select ${chargerId}, 2, ${id}, ${start.toISOString()}::timestamptz + make_interval(secs => k * ${SAMPLE_S}), m.measurand,
           m.phase, 'Outlet', m.unit,
           case m.measurand
             when 'Energy.Active.Import.Register' then (k * ${(7400 * SAMPLE_S) / 3600}::float8)::bigint::text
             when 'Power.Active.Import' then (7000 + (k * 7919) % 800)::text
             when 'Current.Import' then (10 + (k % 7))::text
             else least(100, 10 + k / 200)::text
           end
    from generate_series(0, ${instants}) k,
         (values ('Energy.Active.Import.Register', '', 'Wh'), ('Power.Active.Import', '', 'W'),
                 ('Current.Import', 'L1', 'A'), ('Current.Import', 'L2', 'A'), ('Current.Import', 'L3', 'A'),
                 ('SoC', '', 'Percent')) as m(measurand, phase, unit)`);
  await database.db.execute(sql`analyze meter_values`);
  return id;
}

/**
 * The sessions list at 1M sessions (docs/PRODUCT.md §8) and the long
 * session's curve. Page 5,000 by keyset needs the cursor after row 249,950:
 * read once here from the offset page before it (the slow way, untimed).
 */
export async function sessionEndpoints(
  base: string,
  headers: Record<string, string>,
  chargerId: string,
  longSession: number,
  from: string,
): Promise<Endpoint[]> {
  const res = await fetch(`${base}/api/transactions?page=4999&pageSize=50`, { headers });
  const page = (await res.json()) as { next: string | null };
  if (!page.next) throw new Error(`no cursor for page 5,000: ${res.status}`);
  const e = (name: string, path: string, targetP99Ms: number | null = 50, connections?: number): Endpoint => ({
    name,
    path,
    targetP99Ms,
    ...(connections ? { connections } : {}),
  });
  return [
    e('sessions first page', '/api/transactions?pageSize=50'),
    e('sessions page 5,000 (keyset)', `/api/transactions?pageSize=50&after=${encodeURIComponent(page.next)}`),
    e('sessions page 5,000 (offset)', '/api/transactions?pageSize=50&page=5000', null),
    e('sessions by energy, desc', '/api/transactions?pageSize=50&sort=energy&order=desc'),
    e(
      'sessions filtered (charger, days)',
      `/api/transactions?pageSize=50&charger_id=${chargerId}&from=${from}&state=finished&sort=duration&order=desc`,
    ),
    e('sessions filtered (id tag)', '/api/transactions?pageSize=50&id_tag=tag42&sort=start&order=desc'),
    e('48 h curve ?points=2000', `/api/transactions/${longSession}/meter-values?points=2000`, 1000, 1),
    e('48 h curve, every sample', `/api/transactions/${longSession}/meter-values`, null, 1),
    e('48 h session', `/api/transactions/${longSession}`),
  ];
}
