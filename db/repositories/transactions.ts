import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { chargers, connectors, meterValues, transactions, type StartStatus, type TransactionRow } from '../schema/index.ts';
import { countClose, uncountClose } from './session-rollups.ts';

export interface StartInput {
  chargerId: string;
  connectorId: number;
  idTag: string;
  meterStart: number;
  startedAt: Date;
  reservationId?: number | undefined;
  plannedFinishAt?: Date | null | undefined;
  /** idTagInfo.status answered to this StartTransaction; not Accepted makes the session deauthorized. */
  startStatus?: StartStatus | undefined;
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
  transactionId: number | null;
  timestamp: Date;
  measurand: string;
  phase: string;
  location: string;
  context: string;
  unit: string;
  format: string;
  value: string;
}

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
            startStatus: input.startStatus ?? 'Accepted',
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
     * A stop for a session the system or an operator closed for the charger
     * (close_cause not 'charger') replaces that close: its rollup counts move
     * out and the charger's figures in, in this one database transaction
     * (queued transaction messages arrive after a reboot, OCPP 1.6 §3.16).
     */
    async stop(input: StopInput): Promise<{ transaction: TransactionRow; duplicate: boolean; replaced?: TransactionRow } | undefined> {
      return db.transaction(async (tx) => {
        const [current] = await tx.select().from(transactions).where(eq(transactions.id, input.transactionId)).for('update');
        if (!current) return undefined;
        if (current.stoppedAt && current.closeCause === 'charger') return { transaction: current, duplicate: true };
        if (current.stoppedAt) await uncountClose(tx, current);
        const row = await countClose(tx, current, {
          meterStop: input.meterStop,
          stoppedAt: input.stoppedAt,
          reason: input.reason ?? 'Local',
          idTag: input.idTag ?? null,
          cause: 'charger',
          day: input.localDay,
          note: null,
        });
        return current.stoppedAt ? { transaction: row, duplicate: false, replaced: current } : { transaction: row, duplicate: false };
      });
    },

    /**
     * Closes a charger's open sessions (on one connector, or all) that it will
     * not stop itself: its connector went Available, or it rebooted (see
     * docs/OPERATIONS.md "Open sessions"). meterStop is the best reading
     * known: the last energy register sample (live energy) over meterStart.
     * Each close and its rollups commit together; a later StopTransaction
     * replaces it (`stop`).
     */
    async closeOrphans(input: {
      chargerId: string;
      connectorId?: number | undefined;
      cause: 'connector-available' | 'boot';
      reason: string;
      at: Date;
      dayOf: (at: Date) => string;
    }): Promise<TransactionRow[]> {
      return db.transaction(async (tx) => {
        const where = input.connectorId === undefined
          ? and(eq(transactions.chargerId, input.chargerId), isNull(transactions.stoppedAt))
          : and(eq(transactions.chargerId, input.chargerId), eq(transactions.connectorId, input.connectorId), isNull(transactions.stoppedAt));
        const open = await tx.select().from(transactions).where(where).orderBy(transactions.id).for('update');
        const closed: TransactionRow[] = [];
        for (const current of open) {
          // A start stamped after "now" (a skewed clock) still closes no earlier than it began.
          const stoppedAt = current.startedAt > input.at ? current.startedAt : input.at;
          closed.push(await countClose(tx, current, {
            meterStop: current.meterStart + (current.liveEnergyWh ?? 0),
            stoppedAt,
            reason: input.reason,
            idTag: null,
            cause: input.cause,
            day: input.dayOf(stoppedAt),
            note: null,
          }));
        }
        return closed;
      });
    },

    /**
     * An operator closes a session the charger never stopped. `changed`
     * false: it was closed already, not by the charger, and stays as it is
     * (a repeat is not an error); 'charger' says the charger stopped it.
     * The audit row is written in the same database transaction as the close.
     */
    async closeByOperator(
      id: number,
      input: { at: Date; dayOf: (at: Date) => string; note: string | null; audit: (tx: DbOrTx, before: TransactionRow, after: TransactionRow) => Promise<void> },
    ): Promise<{ outcome: 'closed' | 'unchanged' | 'charger'; transaction: TransactionRow } | undefined> {
      return db.transaction(async (tx) => {
        const [current] = await tx.select().from(transactions).where(eq(transactions.id, id)).for('update');
        if (!current) return undefined;
        if (current.stoppedAt) return { outcome: current.closeCause === 'charger' ? 'charger' : 'unchanged', transaction: current };
        const stoppedAt = current.startedAt > input.at ? current.startedAt : input.at;
        const row = await countClose(tx, current, {
          meterStop: current.meterStart + (current.liveEnergyWh ?? 0),
          stoppedAt,
          reason: 'Other', // OCPP 1.6 §7.34 Reason: none of the others says "an operator closed it"
          idTag: null,
          cause: 'operator',
          day: input.dayOf(stoppedAt),
          note: input.note,
        });
        await input.audit(tx, current, row);
        return { outcome: 'closed', transaction: row };
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

    /**
     * The tag's open sessions that make it ConcurrentTx (OCPP 1.6 §7.15):
     * only those whose start was Accepted. A deauthorized session (Invalid,
     * ConcurrentTx, ... at start) never locks its tag, even while it charges.
     */
    async openForTag(idTag: string): Promise<TransactionRow[]> {
      // Id tags ignore case (OCPP 1.6 §7.29); open sessions are few (partial index transactions_open_idx).
      return db
        .select()
        .from(transactions)
        .where(and(sql`lower(${transactions.idTag}) = lower(${idTag})`, isNull(transactions.stoppedAt), eq(transactions.startStatus, 'Accepted')));
    },

    /**
     * MeterValues (OCPP 1.6 §4.7) and StopTransaction.transactionData: a resent
     * sample is stored once. Returns how many were new.
     */
    async addSamples(samples: SampleInput[]): Promise<number> {
      if (samples.length === 0) return 0;
      const rows = await db.insert(meterValues).values(samples).onConflictDoNothing().returning({ id: meterValues.id });
      return rows.length;
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
