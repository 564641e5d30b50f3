import { and, asc, count, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { chargers, connectors, energyDaily, meterValues, transactions, type TransactionRow } from '../schema/index.ts';

export interface StartInput {
  chargerId: string;
  connectorId: number;
  idTag: string;
  meterStart: number;
  startedAt: Date;
  reservationId?: number | undefined;
  plannedFinishAt?: Date | null | undefined;
}

export interface StopInput {
  transactionId: number;
  meterStop: number;
  stoppedAt: Date;
  reason?: string | undefined;
  idTag?: string | undefined;
  /** Site-local day ('YYYY-MM-DD') of stoppedAt: the rollup period the session counts in. */
  localDay: string;
}

export interface SampleInput {
  chargerId: string;
  connectorId: number;
  /** Set only to a session of this charger (OCPP 1.6 §4.7: the transaction the sample belongs to). */
  transactionId: number | null;
  /** The transactionId the charger named when it is not one of its sessions; the row is then unlinked. */
  claimedTransactionId?: number | null | undefined;
  timestamp: Date;
  measurand: string;
  phase: string;
  location: string;
  context: string;
  unit: string;
  format: string;
  value: string;
}

export interface SignedReading {
  timestamp: Date;
  measurand: string;
  context: string;
  location: string;
  phase: string;
  unit: string;
  value: string;
}

const SIGNED = 'SignedData';

/** A Preparing spell longer ago than this is not the queue of this session. */
const QUEUE_WINDOW_MS = 6 * 3600_000;

/**
 * Charging sessions. Every write a charger may repeat after a reconnect is
 * idempotent (SPEC §5 "nothing lost, nothing doubled"), and the energy rules
 * (never negative; totals and the daily rollup move with the stop) are kept
 * inside one database transaction.
 */
export function createTransactionRepository(db: DbOrTx) {
  return {
    /**
     * StartTransaction (OCPP 1.6 §4.8). The same charger, connector, tag,
     * meterStart and timestamp gets the same transactionId back.
     */
    async start(input: StartInput): Promise<{ transaction: TransactionRow; duplicate: boolean } | undefined> {
      return db.transaction(async (tx) => {
        // Serialise starts per charger: the session counter and the duplicate check need it.
        const locked = await tx.select({ id: chargers.id }).from(chargers).where(eq(chargers.id, input.chargerId)).for('update');
        if (!locked[0]) return undefined;
        const existing = await tx
          .select()
          .from(transactions)
          .where(
            and(
              eq(transactions.chargerId, input.chargerId),
              eq(transactions.connectorId, input.connectorId),
              eq(transactions.idTag, input.idTag),
              eq(transactions.meterStart, input.meterStart),
              eq(transactions.startedAt, input.startedAt),
            ),
          );
        if (existing[0]) return { transaction: existing[0], duplicate: true };
        const [counter] = await tx
          .update(chargers)
          .set({ sessionCounter: sql`${chargers.sessionCounter} + 1` })
          .where(eq(chargers.id, input.chargerId))
          .returning({ n: chargers.sessionCounter });
        const [conn] = await tx
          .select({ preparingSince: connectors.preparingSince })
          .from(connectors)
          .where(and(eq(connectors.chargerId, input.chargerId), eq(connectors.connectorId, input.connectorId)));
        const prep = conn?.preparingSince;
        const queuedAt =
          prep && prep <= input.startedAt && input.startedAt.getTime() - prep.getTime() < QUEUE_WINDOW_MS ? prep : input.startedAt;
        const [row] = await tx
          .insert(transactions)
          .values({
            chargerId: input.chargerId,
            connectorId: input.connectorId,
            idTag: input.idTag,
            sessionNumber: counter!.n,
            meterStart: input.meterStart,
            startedAt: input.startedAt,
            queuedAt,
            plannedFinishAt: input.plannedFinishAt ?? null,
            reservationId: input.reservationId ?? null,
            liveEnergyWh: 0,
          })
          .returning();
        // The queue spell is used up by this session.
        await tx
          .update(connectors)
          .set({ preparingSince: null })
          .where(and(eq(connectors.chargerId, input.chargerId), eq(connectors.connectorId, input.connectorId)));
        return { transaction: row!, duplicate: false };
      });
    },

    /**
     * StopTransaction (OCPP 1.6 §4.10). A repeated stop changes nothing. A
     * meterStop below meterStart is stored, flagged, and counted as zero energy.
     */
    async stop(input: StopInput): Promise<{ transaction: TransactionRow; duplicate: boolean } | undefined> {
      return db.transaction(async (tx) => {
        const [current] = await tx.select().from(transactions).where(eq(transactions.id, input.transactionId)).for('update');
        if (!current) return undefined;
        if (current.stoppedAt) return { transaction: current, duplicate: true };
        const raw = input.meterStop - current.meterStart;
        const energyWh = Math.max(0, raw);
        const minutes = Math.max(0, (input.stoppedAt.getTime() - current.startedAt.getTime()) / 60_000);
        const [row] = await tx
          .update(transactions)
          .set({
            meterStop: input.meterStop,
            stoppedAt: input.stoppedAt,
            stopReason: input.reason ?? 'Local',
            stopIdTag: input.idTag ?? null,
            energyWh,
            meterAnomaly: raw < 0,
            liveEnergyWh: energyWh,
            liveCurrentA: 0,
            livePowerW: 0,
          })
          .where(eq(transactions.id, input.transactionId))
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
          .values({ chargerId: current.chargerId, day: input.localDay, energyWh, minutes, sessions: 1 })
          .onConflictDoUpdate({
            target: [energyDaily.chargerId, energyDaily.day],
            set: {
              energyWh: sql`${energyDaily.energyWh} + ${energyWh}`,
              minutes: sql`${energyDaily.minutes} + ${minutes}`,
              sessions: sql`${energyDaily.sessions} + 1`,
            },
          });
        return { transaction: row!, duplicate: false };
      });
    },

    async get(id: number): Promise<TransactionRow | undefined> {
      return (await db.select().from(transactions).where(eq(transactions.id, id)))[0];
    },

    /** The running session on a connector (or any connector), newest first. */
    async open(chargerId: string, connectorId?: number): Promise<TransactionRow | undefined> {
      const where = connectorId === undefined
        ? and(eq(transactions.chargerId, chargerId), isNull(transactions.stoppedAt))
        : and(eq(transactions.chargerId, chargerId), eq(transactions.connectorId, connectorId), isNull(transactions.stoppedAt));
      return (await db.select().from(transactions).where(where).orderBy(desc(transactions.startedAt)).limit(1))[0];
    },

    /** Is this tag charging anywhere right now (OCPP 1.6 §7.15 ConcurrentTx)? */
    async openForTag(idTag: string): Promise<TransactionRow | undefined> {
      // Id tags ignore case (OCPP 1.6 §7.29); open sessions are few (partial index transactions_open_idx).
      return (await db.select().from(transactions).where(and(sql`lower(${transactions.idTag}) = lower(${idTag})`, isNull(transactions.stoppedAt))).limit(1))[0];
    },

    /**
     * MeterValues (OCPP 1.6 §4.7) and StopTransaction.transactionData: a resent
     * sample is stored once. Returns how many were new.
     */
    async addSamples(samples: SampleInput[]): Promise<number> {
      if (samples.length === 0) return 0;
      const rows = await db
        .insert(meterValues)
        .values(samples.map((s) => ({ ...s, claimedTransactionId: s.claimedTransactionId ?? null, claimRejected: s.claimedTransactionId != null })))
        .onConflictDoNothing()
        .returning({ id: meterValues.id });
      return rows.length;
    },

    /** The session's SignedData readings (OCPP 1.6 §7.31 format SignedData), in time order, values verbatim. */
    async signedReadings(transactionId: number): Promise<SignedReading[]> {
      return db
        .select({
          timestamp: meterValues.timestamp,
          measurand: meterValues.measurand,
          context: meterValues.context,
          location: meterValues.location,
          phase: meterValues.phase,
          unit: meterValues.unit,
          value: meterValues.value,
        })
        .from(meterValues)
        .where(and(eq(meterValues.transactionId, transactionId), eq(meterValues.format, SIGNED)))
        .orderBy(asc(meterValues.timestamp), asc(meterValues.id));
    },

    /** How many SignedData readings each of these sessions has (absent: none). */
    async signedCounts(transactionIds: number[]): Promise<Map<number, number>> {
      if (transactionIds.length === 0) return new Map();
      const rows = await db
        .select({ id: meterValues.transactionId, n: count() })
        .from(meterValues)
        .where(and(inArray(meterValues.transactionId, transactionIds), eq(meterValues.format, SIGNED)))
        .groupBy(meterValues.transactionId);
      return new Map(rows.map((r) => [r.id!, Number(r.n)]));
    },

    /** Live figures of a running session (seed 2.1 intchargingcurrent / intconsumedenergy). */
    async updateLive(id: number, live: { currentA?: number | undefined; powerW?: number | undefined; energyWh?: number | undefined }): Promise<void> {
      const set: Partial<typeof transactions.$inferInsert> = {};
      if (live.currentA !== undefined) set.liveCurrentA = live.currentA;
      if (live.powerW !== undefined) set.livePowerW = live.powerW;
      if (live.energyWh !== undefined) set.liveEnergyWh = Math.max(0, Math.round(live.energyWh));
      if (Object.keys(set).length === 0) return;
      await db.update(transactions).set(set).where(and(eq(transactions.id, id), isNull(transactions.stoppedAt)));
    },
  };
}
export type TransactionRepository = ReturnType<typeof createTransactionRepository>;
