import { and, asc, eq, gte, lte, sql } from 'drizzle-orm';
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
 * A session's charging curve: its stored samples (read by the
 * (transaction_id, timestamp) index; server/api/transactions/downsample.ts
 * thins them in one pass) and what was sent to its charger while it ran (command_log).
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
        .orderBy(asc(meterValues.timestamp), asc(meterValues.measurand), asc(meterValues.phase), asc(meterValues.unit));
      const out: CurveSample[] = [];
      // A Raw value is a number as the charger wrote it (OCPP 1.6 §7.31); anything else stays out of a curve.
      for (const r of rows) {
        const value = Number(r.value);
        if (r.value.trim() !== '' && Number.isFinite(value)) out.push({ ...r, at: Number(r.at), value });
      }
      return out;
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
