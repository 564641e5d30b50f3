import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { CloseCause } from '../../contracts/events.ts';
import type { DbOrTx } from '../client.ts';
import { chargers, energyDaily, transactions, type TransactionRow } from '../schema/index.ts';

export interface Close {
  meterStop: number;
  stoppedAt: Date;
  reason: string;
  idTag: string | null;
  cause: CloseCause;
  /** Site-local day ('YYYY-MM-DD') of stoppedAt: the rollup period the session counts in. */
  day: string;
  note: string | null;
  /** The charger's stop time when the receive time replaced it in stoppedAt (server/ocpp/plausibility.ts). */
  chargerStoppedAt?: Date | null | undefined;
  /** Why the close's readings cannot be true; added to the session's own. */
  anomalyReasons?: string[] | undefined;
}

/** A session with implausible readings is kept whole, its energy held for an operator's review. */
export function flagged(reasons: string[]) {
  return reasons.length > 0 ? { meterAnomaly: true, anomalyReasons: reasons, energyReview: 'pending' as const } : {};
}

/**
 * Whether a closed session's energy is in the totals and rollups: not
 * flagged, flagged before reviews existed (energy_review null), or confirmed
 * by an operator. Pending and rejected energy is held out.
 */
export function counted(row: Pick<TransactionRow, 'meterAnomaly' | 'energyReview'>): boolean {
  return !row.meterAnomaly || row.energyReview === null || row.energyReview === 'confirmed';
}

/** Minutes a closed session counts: the same formula when counting and when taking a count back. */
function minutesOf(row: Pick<TransactionRow, 'startedAt'>, stoppedAt: Date): number {
  return Math.max(0, (stoppedAt.getTime() - row.startedAt.getTime()) / 60_000);
}

/**
 * `minutesOf` in SQL, over a row `r` of transactions: the same float
 * division of whole milliseconds, so what a statement adds is what
 * `uncountClose` takes back to the bit.
 */
export const MINUTES_OF_ROW = sql`greatest(0, (extract(epoch from (r.stopped_at - r.started_at)) * 1000)::float8 / 60000)`;

/**
 * The parts of a statement that add closed sessions' energy and minutes to
 * their chargers' totals and to their day's `energy_daily` row (whose
 * triggers move the monthly and site ones), from the relation `closed`
 * (charger_id, day, energy_wh, minutes) defined before them: the one place
 * the rule is written, for addToRollups and for the one-statement stop
 * (transactions.ts).
 */
export function addToRollupsCtes(closed: string): SQL {
  const from = sql.raw(closed);
  return sql`rollup_totals as (
      update chargers as c set energy_wh_total = c.energy_wh_total + k.energy_wh, minutes_total = c.minutes_total + k.minutes
      from ${from} as k where c.id = k.charger_id
    ), rollup_day as (
      insert into energy_daily (charger_id, day, energy_wh, minutes, sessions)
      select k.charger_id, k.day, k.energy_wh, k.minutes, 1 from ${from} as k
      on conflict (charger_id, day) do update set energy_wh = energy_daily.energy_wh + excluded.energy_wh,
        minutes = energy_daily.minutes + excluded.minutes, sessions = energy_daily.sessions + 1
    )`;
}

/**
 * Closes an open session and counts it unless its readings are flagged: energy (never negative, docs/PRODUCT.md §5),
 * the charger's totals and `energy_daily` of the close's day (whose triggers
 * move the monthly and site rollups). Call inside the database transaction
 * that locked the row.
 */
export async function countClose(tx: DbOrTx, current: TransactionRow, close: Close): Promise<TransactionRow> {
  const energyWh = Math.max(0, close.meterStop - current.meterStart);
  // A register below its start is flagged whoever closes (the handler adds its own checks).
  const own = close.meterStop < current.meterStart ? ['meter_stop_below_start'] : [];
  const reasons = [...new Set([...current.anomalyReasons, ...own, ...(close.anomalyReasons ?? [])])];
  const [row] = await tx
    .update(transactions)
    .set({
      meterStop: close.meterStop,
      stoppedAt: close.stoppedAt,
      chargerStoppedAt: close.chargerStoppedAt ?? null,
      stopReason: close.reason,
      stopIdTag: close.idTag,
      energyWh,
      ...flagged(reasons),
      liveEnergyWh: energyWh,
      liveCurrentA: 0,
      livePowerW: 0,
      closeCause: close.cause,
      closedDay: close.day,
      closeNote: close.note,
    })
    .where(eq(transactions.id, current.id))
    .returning();
  // Flagged energy waits for an operator (reviewEnergy); everything else counts now.
  if (counted(row!)) await addToRollups(tx, row!, close.day);
  return row!;
}

/** Adds a closed session's energy and minutes to the charger's totals and `day`'s rollup (its triggers move the monthly and site ones). */
export async function addToRollups(tx: DbOrTx, row: TransactionRow, day: string): Promise<void> {
  await tx.execute(
    sql`with closed as (
          select ${row.chargerId}::text as charger_id, ${day}::date as day, ${row.energyWh ?? 0}::bigint as energy_wh,
            ${minutesOf(row, row.stoppedAt!)}::float8 as minutes
        ), ${addToRollupsCtes('closed')}
        select 1`,
  );
}

/**
 * Takes back what `countClose` counted for a closed session, before a
 * replacing StopTransaction counts it again. Minutes are floating point: a
 * sum minus one of its terms may land a hair below zero, which the
 * non-negative checks would refuse, hence greatest(0, …).
 */
export async function uncountClose(tx: DbOrTx, closed: TransactionRow): Promise<void> {
  if (!closed.stoppedAt || !closed.closedDay) throw new Error(`session ${closed.id} has no counted close to take back`);
  if (!counted(closed)) return; // held-out energy was never added
  const energyWh = closed.energyWh ?? 0;
  const minutes = minutesOf(closed, closed.stoppedAt);
  await tx
    .update(chargers)
    .set({
      energyWhTotal: sql`greatest(0, ${chargers.energyWhTotal} - ${energyWh})`,
      minutesTotal: sql`greatest(0, ${chargers.minutesTotal} - ${minutes})`,
    })
    .where(eq(chargers.id, closed.chargerId));
  await tx
    .update(energyDaily)
    .set({
      energyWh: sql`greatest(0, ${energyDaily.energyWh} - ${energyWh})`,
      minutes: sql`greatest(0, ${energyDaily.minutes} - ${minutes})`,
      sessions: sql`greatest(0, ${energyDaily.sessions} - 1)`,
    })
    .where(and(eq(energyDaily.chargerId, closed.chargerId), eq(energyDaily.day, closed.closedDay)));
}
