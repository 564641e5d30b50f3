import { and, eq, sql } from 'drizzle-orm';
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
}

/** Minutes a closed session counts: the same formula when counting and when taking a count back. */
function minutesOf(row: Pick<TransactionRow, 'startedAt'>, stoppedAt: Date): number {
  return Math.max(0, (stoppedAt.getTime() - row.startedAt.getTime()) / 60_000);
}

/**
 * Closes an open session and counts it: energy (never negative, SPEC §5),
 * the charger's totals and `energy_daily` of the close's day (whose triggers
 * move the monthly and site rollups). Call inside the database transaction
 * that locked the row.
 */
export async function countClose(tx: DbOrTx, current: TransactionRow, close: Close): Promise<TransactionRow> {
  const raw = close.meterStop - current.meterStart;
  const energyWh = Math.max(0, raw);
  const minutes = minutesOf(current, close.stoppedAt);
  const [row] = await tx
    .update(transactions)
    .set({
      meterStop: close.meterStop,
      stoppedAt: close.stoppedAt,
      stopReason: close.reason,
      stopIdTag: close.idTag,
      energyWh,
      meterAnomaly: raw < 0,
      liveEnergyWh: energyWh,
      liveCurrentA: 0,
      livePowerW: 0,
      closeCause: close.cause,
      closedDay: close.day,
      closeNote: close.note,
    })
    .where(eq(transactions.id, current.id))
    .returning();
  await tx
    .update(chargers)
    .set({
      energyWhTotal: sql`${chargers.energyWhTotal} + ${energyWh}`,
      minutesTotal: sql`${chargers.minutesTotal} + ${minutes}`,
    })
    .where(eq(chargers.id, current.chargerId));
  await tx
    .insert(energyDaily)
    .values({ chargerId: current.chargerId, day: close.day, energyWh, minutes, sessions: 1 })
    .onConflictDoUpdate({
      target: [energyDaily.chargerId, energyDaily.day],
      set: {
        energyWh: sql`${energyDaily.energyWh} + ${energyWh}`,
        minutes: sql`${energyDaily.minutes} + ${minutes}`,
        sessions: sql`${energyDaily.sessions} + 1`,
      },
    });
  return row!;
}

/**
 * Takes back what `countClose` counted for a closed session, before a
 * replacing StopTransaction counts it again. Minutes are floating point: a
 * sum minus one of its terms may land a hair below zero, which the
 * non-negative checks would refuse, hence greatest(0, …).
 */
export async function uncountClose(tx: DbOrTx, closed: TransactionRow): Promise<void> {
  if (!closed.stoppedAt || !closed.closedDay) throw new Error(`session ${closed.id} has no counted close to take back`);
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
