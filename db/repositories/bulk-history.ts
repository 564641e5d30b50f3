import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';

export interface BulkHistoryOptions {
  /** Charger ids are `${prefix}00001` … unless `ids` names them. */
  prefix: string;
  chargers: number;
  /** Existing chargers to give the history to (the demo's), instead of the prefix's. */
  ids?: string[];
  /** Cards the sessions are started with; default TAG0 … TAG499. */
  idTags?: string[];
  sessions: number;
  /** Energy register samples per session (meter_values rows). */
  samplesPerSession: number;
  /** Sessions start evenly over the `days` before `endAt`. */
  endAt: Date;
  days: number;
  /** Site zone: the rollup day of a session is the local day it stopped in. */
  tz: string;
}

/**
 * Synthetic charging history in bulk (INSERT … SELECT generate_series), for
 * the benchmarks and large-set tests; never used by the server. It writes what
 * the OCPP write path would (finished sessions, samples, `energy_daily` by the
 * stop's local day, charger totals), but as set operations, so a million
 * sessions take seconds instead of hours. `energy_monthly` follows by trigger.
 */
export function createBulkHistoryRepository(db: DbOrTx) {
  const idsOf = (o: BulkHistoryOptions) =>
    o.ids ?? Array.from({ length: o.chargers }, (_, i) => `${o.prefix}${String(i + 1).padStart(5, '0')}`);
  const tagsOf = (o: BulkHistoryOptions) => o.idTags ?? Array.from({ length: 500 }, (_, i) => `TAG${i}`);
  /** Session s belongs to charger ids[s mod n] (1-based arrays in SQL). */
  const mine = (o: BulkHistoryOptions, column: ReturnType<typeof sql.raw>) =>
    sql`${column} = any(${sql.param(idsOf(o))}::text[])`;
  return {
    async chargers(o: BulkHistoryOptions): Promise<void> {
      await db.execute(sql`
        insert into chargers (id, vendor, model, serial_number, firmware_version, state, online, last_command, last_seen_at)
        select ${o.prefix} || lpad(i::text, 5, '0'), 'evpower', 'Amos_EVG-32N', 'SN' || i, '2',
               (array['Available','Charging','Preparing','SuspendedEV','Finishing','Faulted','Unavailable'])[1 + i % 7],
               i % 10 <> 0, 'StatusNotification', ${o.endAt.toISOString()}::timestamptz - make_interval(secs => i)
        from generate_series(1, ${o.chargers}::int) i`);
    },

    /** Sessions numbered 1..n in start order; charger = ids[1 + s mod chargers]; 10 – 180 min; 0.5 – 30.5 kWh, spread (7919 is prime to 30000). */
    async sessions(o: BulkHistoryOptions, from = 1, to = o.sessions): Promise<void> {
      const spanSecs = o.days * 86400;
      const ids = idsOf(o);
      const tags = tagsOf(o);
      await db.execute(sql`
        insert into transactions (charger_id, connector_id, id_tag, session_number, meter_start, meter_stop, energy_wh,
                                  queued_at, started_at, stopped_at, stop_reason, close_cause, live_energy_wh)
        select (${sql.param(ids)}::text[])[1 + s % ${ids.length}::int], 1, (${sql.param(tags)}::text[])[1 + s % ${tags.length}::int],
               s / ${ids.length}::int + 1, s::bigint * 10, s::bigint * 10 + e, e,
               st, st, st + make_interval(mins => 10 + (s * 7) % 170), 'EVDisconnected', 'charger', e
        from generate_series(${from}::int, ${to}::int) s,
             lateral (select ${o.endAt.toISOString()}::timestamptz
                             - make_interval(secs => ${spanSecs}::float8 * (${o.sessions}::int - s + 1) / ${o.sessions}::int) as st,
                             500 + (s::bigint * 7919) % 30000 as e) x`);
    },

    /** `samplesPerSession` energy register readings per session, one minute apart. */
    async samples(o: BulkHistoryOptions, fromId: number, toId: number): Promise<void> {
      await db.execute(sql`
        insert into meter_values (charger_id, connector_id, transaction_id, timestamp, context, value)
        select t.charger_id, 1, t.id, t.started_at + make_interval(mins => k), 'Sample.Periodic',
               (t.meter_start + t.energy_wh * k / ${o.samplesPerSession}::int)::text
        from transactions t, generate_series(1, ${o.samplesPerSession}::int) k
        where t.id between ${fromId}::int and ${toId}::int and ${mine(o, sql.raw('t.charger_id'))}`);
    },

    /**
     * The rollups StopTransaction keeps, rebuilt from the sessions as set
     * operations. The per-row triggers that keep `energy_monthly` and
     * `energy_site_daily` are switched off for the bulk insert (they dominated:
     * ~400 s for a million sessions) and those rows are recomputed from the
     * daily ones instead.
     */
    async rollups(o: BulkHistoryOptions): Promise<void> {
      const ours = mine(o, sql.raw('charger_id'));
      await db.transaction(async (tx) => {
        await tx.execute(sql`alter table energy_daily disable trigger energy_daily_to_monthly`);
        await tx.execute(sql`alter table energy_daily disable trigger energy_daily_to_site_daily`);
        await tx.execute(sql`
          insert into energy_daily (charger_id, day, energy_wh, minutes, sessions)
          select charger_id, (stopped_at at time zone ${o.tz})::date, sum(energy_wh),
                 sum(extract(epoch from stopped_at - started_at) / 60), count(*)
          from transactions where ${ours} and stopped_at is not null group by 1, 2
          on conflict (charger_id, day) do update set energy_wh = energy_daily.energy_wh + excluded.energy_wh,
            minutes = energy_daily.minutes + excluded.minutes, sessions = energy_daily.sessions + excluded.sessions`);
        await tx.execute(sql`alter table energy_daily enable trigger energy_daily_to_monthly`);
        await tx.execute(sql`alter table energy_daily enable trigger energy_daily_to_site_daily`);
        await tx.execute(sql`
          insert into energy_monthly (charger_id, month, energy_wh, minutes, sessions)
          select charger_id, date_trunc('month', day)::date, sum(energy_wh), sum(minutes), sum(sessions)
          from energy_daily where ${ours} group by 1, 2
          on conflict (charger_id, month) do update set energy_wh = excluded.energy_wh,
            minutes = excluded.minutes, sessions = excluded.sessions`);
        // Every charger's days, not only these: a site day sums them all.
        await tx.execute(sql`
          insert into energy_site_daily (day, shard, energy_wh, minutes, sessions)
          select day, energy_site_shard(charger_id), sum(energy_wh), sum(minutes), sum(sessions) from energy_daily group by 1, 2
          on conflict (day, shard) do update set energy_wh = excluded.energy_wh,
            minutes = excluded.minutes, sessions = excluded.sessions`);
      });
      await db.execute(sql`
        update chargers c set energy_wh_total = x.e, minutes_total = x.m, session_counter = x.n
        from (select charger_id, sum(energy_wh) e, sum(extract(epoch from stopped_at - started_at) / 60) m, max(session_number) n
              from transactions where ${ours} and stopped_at is not null group by 1) x
        where c.id = x.charger_id`);
    },
  };
}
