import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { rawRows } from '../raw.ts';
import type { SampleInput } from './transactions.ts';

/** A running session's live figures from its newest sample set (server/ocpp/samples.ts `liveFigures`). */
export interface LiveFigures {
  currentA?: number | undefined;
  powerW?: number | undefined;
  energyWh?: number | undefined;
}

/** One MeterValues message (OCPP 1.6 §4.7) as it is written: its samples, its session's live figures, the charger seen. */
export interface MeterWrite {
  chargerId: string;
  at: Date;
  samples: SampleInput[];
  /** The sending charger's own session, when the message is linked to one (updated only while it runs). */
  live?: { transactionId: number; figures: LiveFigures } | undefined;
}

/** The session a write flagged as register_backwards, so the caller raises its alert (by key, once). */
export interface MeterResult {
  flagged: { id: number; chargerId: string } | undefined;
}

/** The flag rule of `transactions.updateLive`: an energy reading below 0 or below an earlier one of the session. */
const BACKWARDS = sql.raw(`(l.energy_wh < 0 or l.energy_wh < coalesce(t.live_energy_wh, 0))`);

/**
 * Many chargers' MeterValues in one statement: every sample in one multi-row
 * insert (a resent sample is stored once, `meter_values_dedup`), every
 * running session's live figures in one update (flagged in the same
 * statement when the register went backwards, as `transactions.updateLive`
 * does), and every charger's last-seen in one update. The rows travel as
 * three JSON parameters whatever their number, so no batch meets the bind
 * parameter limit and the statement text is the same for every batch. One
 * statement is atomic without BEGIN and COMMIT and costs one round trip (on
 * PGlite one pass through its query queue); the four round trips a message
 * made on its own become one per batch (server/ocpp/meter-writes.ts).
 */
export function createMeterIngestRepository(db: DbOrTx) {
  return {
    async apply(writes: MeterWrite[]): Promise<MeterResult[]> {
      if (writes.length === 0) return [];
      if (new Set(writes.map((w) => w.chargerId)).size !== writes.length)
        throw new Error('meterIngest.apply: at most one write per charger');
      const samples = writes.flatMap((w) =>
        w.samples.map((s) => ({
          charger_id: s.chargerId,
          connector_id: s.connectorId,
          transaction_id: s.transactionId,
          claimed_transaction_id: s.claimedTransactionId ?? null,
          timestamp: s.timestamp.toISOString(),
          measurand: s.measurand,
          phase: s.phase,
          location: s.location,
          context: s.context,
          unit: s.unit,
          format: s.format,
          value: s.value,
        })),
      );
      const live = writes.flatMap((w) => {
        const f = w.live?.figures;
        if (!w.live || !f || (f.currentA === undefined && f.powerW === undefined && f.energyWh === undefined))
          return [];
        return [
          {
            id: w.live.transactionId,
            current_a: f.currentA ?? null,
            power_w: f.powerW ?? null,
            energy_wh: f.energyWh === undefined ? null : Math.round(f.energyWh),
          },
        ];
      });
      const seen = writes.map((w) => ({ id: w.chargerId, at: w.at.toISOString() }));
      const rows = await rawRows<{ id: number; charger_id: string }>(
        db,
        sql`with s as (
          select * from jsonb_to_recordset(${JSON.stringify(samples)}::jsonb) as x(
            charger_id text, connector_id int, transaction_id int, claimed_transaction_id int, timestamp timestamptz,
            measurand text, phase text, location text, context text, unit text, format text, value text)
        ), ins as (
          insert into meter_values (charger_id, connector_id, transaction_id, claimed_transaction_id, claim_rejected,
            timestamp, measurand, phase, location, context, unit, format, value)
          select charger_id, connector_id, transaction_id, claimed_transaction_id, claimed_transaction_id is not null,
            timestamp, measurand, phase, location, context, unit, format, value from s
          on conflict do nothing
        ), l as (
          select * from jsonb_to_recordset(${JSON.stringify(live)}::jsonb) as x(id int, current_a float8, power_w float8, energy_wh bigint)
        ), live as (
          update transactions as t set
            live_current_a = coalesce(l.current_a, t.live_current_a),
            live_power_w = coalesce(l.power_w, t.live_power_w),
            live_energy_wh = case when l.energy_wh is null then t.live_energy_wh else greatest(0, l.energy_wh) end,
            meter_anomaly = t.meter_anomaly or coalesce(${BACKWARDS}, false),
            anomaly_reasons = case when coalesce(${BACKWARDS}, false) and not ('register_backwards' = any(t.anomaly_reasons))
              then array_append(t.anomaly_reasons, 'register_backwards'::text) else t.anomaly_reasons end,
            energy_review = case when coalesce(${BACKWARDS}, false) then coalesce(t.energy_review, 'pending') else t.energy_review end
          from l where t.id = l.id and t.stopped_at is null
          returning t.id, t.charger_id, 'register_backwards' = any(t.anomaly_reasons) as backwards
        ), seen as (
          update chargers as c set last_command = 'MeterValues', last_seen_at = x.at, online = true
          from jsonb_to_recordset(${JSON.stringify(seen)}::jsonb) as x(id text, at timestamptz)
          where c.id = x.id
        )
        select id, charger_id from live where backwards`,
      );
      const flagged = new Map(rows.map((r) => [Number(r.id), { id: Number(r.id), chargerId: r.charger_id }]));
      return writes.map((w) => ({ flagged: w.live ? flagged.get(w.live.transactionId) : undefined }));
    },
  };
}
export type MeterIngestRepository = ReturnType<typeof createMeterIngestRepository>;
