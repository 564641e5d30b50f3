import {
  and,
  asc,
  countDistinct,
  desc,
  eq,
  gte,
  inArray,
  isNotNull,
  isNull,
  lt,
  or,
  sql,
  sum,
  count,
} from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { chargers, connectors, transactions, type ChargerRow, type TransactionRow } from '../schema/index.ts';

/** What the overview's state table and state share need of each charger (seed 2.8, 2.9, 2.14). */
export interface ChargerStateRow {
  id: string;
  state: string | null;
  transitionalState: string | null;
  online: boolean;
  lastCommand: string | null;
  firmwareVersion: string | null;
  model: string | null;
}

/**
 * Read-only queries behind the seed-compatible dashboard API (docs/PRODUCT.md §3). The
 * OCPP side writes these tables through the charger and transaction
 * repositories; nothing here writes.
 */
export function createSeedQueryRepository(db: DbOrTx) {
  return {
    /** Seed 2.1 without charger_id: the charger heard from last. */
    async mostRecentlyActive(): Promise<ChargerRow | undefined> {
      const rows = await db
        .select()
        .from(chargers)
        .orderBy(sql`${chargers.lastSeenAt} desc nulls last`, desc(chargers.updatedAt), asc(chargers.id))
        .limit(1);
      return rows[0];
    },

    async chargerExists(id: string): Promise<boolean> {
      return (await db.select({ id: chargers.id }).from(chargers).where(eq(chargers.id, id))).length > 0;
    },

    /** Seed 2.2: sessions that started in [from, to), oldest first. */
    async startedBetween(from: Date, to: Date, chargerId?: string): Promise<TransactionRow[]> {
      const range = and(gte(transactions.startedAt, from), lt(transactions.startedAt, to));
      return db
        .select()
        .from(transactions)
        .where(chargerId === undefined ? range : and(range, eq(transactions.chargerId, chargerId)))
        .orderBy(asc(transactions.startedAt), asc(transactions.id));
    },

    /** Seed 2.7: the latest finished sessions, newest first (index transactions_stopped_idx). */
    async recentFinished(limit: number): Promise<{ id: number; stoppedAt: Date; energyWh: number }[]> {
      const rows = await db
        .select({ id: transactions.id, stoppedAt: transactions.stoppedAt, energyWh: transactions.energyWh })
        .from(transactions)
        .where(isNotNull(transactions.stoppedAt))
        .orderBy(desc(transactions.stoppedAt), desc(transactions.id))
        .limit(limit);
      return rows.map((r) => ({ id: r.id, stoppedAt: r.stoppedAt!, energyWh: r.energyWh ?? 0 }));
    },

    /**
     * Seed 2.6: charger count, totals kept by StopTransaction, chargers with a
     * running session. Running: open, and either its start was Accepted or
     * (a deauthorized session the charger went on with, OCPP 1.6 §4.8) its
     * connector's last status says energy may flow (Charging, SuspendedEV,
     * SuspendedEVSE).
     */
    async counters(): Promise<{ chargers: number; energyWh: number; minutes: number; charging: number }> {
      const [totals] = await db
        .select({ n: count(), wh: sum(chargers.energyWhTotal), minutes: sum(chargers.minutesTotal) })
        .from(chargers);
      const [open] = await db
        .select({ n: countDistinct(transactions.chargerId) })
        .from(transactions)
        .leftJoin(
          connectors,
          and(eq(connectors.chargerId, transactions.chargerId), eq(connectors.connectorId, transactions.connectorId)),
        )
        .where(
          and(
            isNull(transactions.stoppedAt),
            or(
              eq(transactions.startStatus, 'Accepted'),
              inArray(connectors.status, ['Charging', 'SuspendedEV', 'SuspendedEVSE']),
            ),
          ),
        );
      return {
        chargers: Number(totals?.n ?? 0),
        energyWh: Number(totals?.wh ?? 0),
        minutes: Number(totals?.minutes ?? 0),
        charging: Number(open?.n ?? 0),
      };
    },

    /** Seed 2.8 order: the charger heard from last first. */
    async statesByActivity(): Promise<ChargerStateRow[]> {
      return db
        .select(stateColumns)
        .from(chargers)
        .orderBy(sql`${chargers.lastSeenAt} desc nulls last`, desc(chargers.id));
    },

    /** Every charger id in order (seed 2.11, 2.12, 3.2). */
    async chargerIds(): Promise<string[]> {
      return (await db.select({ id: chargers.id }).from(chargers).orderBy(asc(chargers.id))).map((r) => r.id);
    },

    /** Seed 2.14: every charger by id. */
    async statesById(): Promise<ChargerStateRow[]> {
      return db.select(stateColumns).from(chargers).orderBy(asc(chargers.id));
    },
  };
}

const stateColumns = {
  id: chargers.id,
  state: chargers.state,
  transitionalState: chargers.transitionalState,
  online: chargers.online,
  lastCommand: chargers.lastCommand,
  firmwareVersion: chargers.firmwareVersion,
  model: chargers.model,
};

export type SeedQueryRepository = ReturnType<typeof createSeedQueryRepository>;
