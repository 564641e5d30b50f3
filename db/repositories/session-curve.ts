import { and, asc, eq, gte, lte, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { rawRows } from '../raw.ts';
import { commandLog, meterValues } from '../schema/index.ts';
import type { CommandRow } from './commands.ts';

/** One numeric sample of a session's curve; `at` in epoch milliseconds. */
export interface CurveSample {
  at: number;
  measurand: string;
  phase: string;
  unit: string;
  context: string;
  value: number;
}

/** An allowance the load controller sent for the session, A per phase, from the instant it was accepted. */
export interface SentAllowance {
  at: Date;
  limitA: number;
}

/**
 * Whether a Raw value (text) is a number the curve keeps, in SQL: decimal
 * notation, what OCPP 1.6 §7.31 Raw values are. A plain `-12.5` passes on
 * string functions alone (a regular expression per row costs PostgreSQL about
 * as much as the rest of the downsampling); anything else (spaces, `+`, an
 * exponent) by the expression. At most 200 characters and a two-digit
 * exponent, so every match is a finite float8 and no cast fails. samples()
 * (JS Number()) keeps a little more: hex or binary literals (`0x1F`) and
 * decimals longer than 200 characters, which no charger sends; only for such
 * values can the two answers differ.
 */
function isNumericValue(value: SQL): SQL {
  return sql`(length(${value}) <= 200 and (
      (translate(${value}, '0123456789', '') in ('', '.', '-', '-.') and strpos(${value}, '-') <= 1
        and translate(${value}, '.-', '') <> '')
      or ${value} ~ '^[[:space:]]*[-+]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][-+]?0*[0-9]{1,2})?[[:space:]]*$'))`;
}

/**
 * A session's charging curve: its stored samples (samples(), read by the
 * (transaction_id, timestamp) index), the same thinned to min/max per time
 * bucket in the database (downsampled()), and what was sent to its charger
 * while it ran (command_log).
 */
export function createSessionCurveRepository(db: DbOrTx) {
  return {
    /** Its Raw samples that hold a number, in time order (the (transaction_id, timestamp) index). */
    async samples(transactionId: number): Promise<CurveSample[]> {
      const rows = await db
        .select({
          at: sql<number>`(extract(epoch from ${meterValues.timestamp}) * 1000)::float8`,
          measurand: meterValues.measurand,
          phase: meterValues.phase,
          unit: meterValues.unit,
          context: meterValues.context,
          value: meterValues.value,
        })
        .from(meterValues)
        .where(and(eq(meterValues.transactionId, transactionId), eq(meterValues.format, 'Raw')))
        .orderBy(
          asc(meterValues.timestamp),
          asc(meterValues.measurand),
          asc(meterValues.phase),
          asc(meterValues.unit),
          asc(meterValues.id),
        );
      const out: CurveSample[] = [];
      // A Raw value is a number as the charger wrote it (OCPP 1.6 §7.31); anything else stays out of a curve.
      for (const r of rows) {
        const value = Number(r.value);
        if (r.value.trim() !== '' && Number.isFinite(value)) out.push({ ...r, at: Number(r.at), value });
      }
      return out;
    },

    /**
     * Its curve thinned in the database for `points`, with how many numeric
     * samples it has (`stored`). Per series (measurand, phase, unit; the
     * context is each kept sample's own, as in samples()):
     * - a series of at most `points` samples is answered whole, so a short
     *   session's answer equals samples();
     * - otherwise the session's span, first to last numeric sample of any
     *   series, is cut into floor((points - 2) / 2) equal time buckets and each
     *   bucket keeps the series' lowest and highest sample (the earlier on a
     *   tie), plus the series' first and last sample, so peaks, dips and both
     *   ends survive and a series never exceeds `points` (with points < 4 there
     *   is no bucket: first and last only).
     * Min/max rather than LTTB: exact about extremes, which is what an operator
     * looks for in a charging curve (a spike, a drop to zero), and a plain
     * GROUP BY. The session's rows are read once by the (transaction_id,
     * timestamp) index; only the kept ones leave the database, fetched by id.
     * Buckets are cut on float8 epoch seconds (date_part), which can put a
     * sample lying exactly on a bucket edge into the neighbouring bucket.
     */
    async downsampled(transactionId: number, points: number): Promise<{ stored: number; samples: CurveSample[] }> {
      const buckets = Math.max(0, Math.floor((points - 2) / 2));
      const numeric = isNumericValue(sql.raw('value'));
      const rows = await rawRows<{
        at: number;
        measurand: string;
        phase: string;
        unit: string;
        context: string;
        value: number;
        stored: number;
      }>(
        db,
        sql`with pts as (
              select id, "timestamp" as ts, measurand, phase, unit, context, value
              from meter_values
              where transaction_id = ${transactionId} and format = 'Raw' and ${numeric}
            ),
            span as materialized (
              select date_part('epoch', min(ts)) as lo,
                     greatest(date_part('epoch', max(ts)) - date_part('epoch', min(ts)), 0.001)
                       / greatest(${buckets}::int, 1) as width,
                     count(*)::int as n
              from pts
            ),
            b as (
              select measurand, phase, unit, count(*) as n,
                     min(array[v, t, id::float8]) as lo_pick, max(array[v, -t, -id::float8]) as hi_pick,
                     min(array[t, id::float8]) as first_pick, max(array[t, id::float8]) as last_pick
              from (select id, measurand, phase, unit, date_part('epoch', ts) as t, value::float8 as v from pts) x
                   cross join span
              group by measurand, phase, unit, least(${buckets}::int - 1, floor((t - span.lo) / span.width))
            ),
            series as (
              select measurand, phase, unit, sum(n) <= ${points}::int as whole,
                     min(first_pick) as first_pick, max(last_pick) as last_pick
              from b group by measurand, phase, unit
            ),
            kept as (
              select unnest(array[b.lo_pick[3], -b.hi_pick[3]])::bigint as id
              from b join series using (measurand, phase, unit)
              where ${buckets}::int > 0 and not series.whole
              union all
              select unnest(array[first_pick[2], last_pick[2]])::bigint from series where not whole
            )
            select s.*, (select n from span) as stored from (
              select m.id, m."timestamp" as ts, m.measurand, m.phase, m.unit, m.context, m.value
              from meter_values m where m.id in (select id from kept)
              union all
              select id, ts, measurand, phase, unit, context, value from pts
              where (select bool_or(whole) from series)
                and (measurand, phase, unit) in (select measurand, phase, unit from series where whole)
            ) s0, lateral (select (extract(epoch from s0.ts) * 1000)::float8 as at, s0.measurand, s0.phase, s0.unit,
                                  s0.context, s0.value::float8 as value) s
            order by s0.ts, s0.measurand, s0.phase, s0.unit, s0.id`,
      );
      return {
        stored: rows[0]?.stored ?? 0,
        samples: rows.map(({ stored: _, ...r }) => ({ ...r, at: Number(r.at), value: Number(r.value) })),
      };
    },

    /** Commands sent to the charger between the session's start and its stop (or now), oldest first. */
    async commandsDuring(chargerId: string, from: Date, to: Date, limit: number): Promise<CommandRow[]> {
      return db
        .select()
        .from(commandLog)
        .where(
          and(eq(commandLog.chargerId, chargerId), gte(commandLog.requestedAt, from), lte(commandLog.requestedAt, to)),
        )
        .orderBy(asc(commandLog.requestedAt), asc(commandLog.id))
        .limit(limit);
    },

    /**
     * The allowances the load controller sent for this transaction: its
     * accepted `system:load` SetChargingProfile TxProfiles (server/load/profiles.ts),
     * each one's first period limit from when it was sent (docs/LOAD.md).
     */
    async allowances(chargerId: string, transactionId: number, from: Date, to: Date): Promise<SentAllowance[]> {
      const rows = await rawRows<{ at: number; limit_a: number }>(
        db,
        sql`select (extract(epoch from requested_at) * 1000)::float8 as "at",
                   (payload #>> '{csChargingProfiles,chargingSchedule,chargingSchedulePeriod,0,limit}')::float8 as limit_a
            from command_log
            where charger_id = ${chargerId} and requested_at >= ${from.toISOString()}::timestamptz
              and requested_at <= ${to.toISOString()}::timestamptz
              and requested_by = 'system:load' and action = 'SetChargingProfile' and outcome = 'answered'
              and response ->> 'status' = 'Accepted'
              and payload #>> '{csChargingProfiles,transactionId}' = ${String(transactionId)}
            order by requested_at, id`,
      );
      return rows.filter((r) => Number.isFinite(r.limit_a)).map((r) => ({ at: new Date(r.at), limitA: r.limit_a }));
    },
  };
}
export type SessionCurveRepository = ReturnType<typeof createSessionCurveRepository>;
