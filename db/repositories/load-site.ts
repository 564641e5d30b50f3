import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { chargers, circuits, connectors, transactions } from '../schema/index.ts';
import type { PhaseRotation } from '../../contracts/load.ts';

/** A charger's wiring and connection, as the load controller needs it (server/load/site-model.ts). */
export interface LoadChargerRow {
  id: string;
  maxPhase: number;
  minCurrent: number;
  maxCurrent: number;
  /** null: the site's vchpowersequence. */
  phaseRotation: PhaseRotation | null;
  circuitId: number | null;
  online: boolean;
  /**
   * Connectors (id > 0) that have reported a status; a TxDefaultProfile on connector 0 applies to each. By id, so that
   * a status from a connector not among them tells the load controller to read the charger again.
   */
  connectorIds: number[];
}

export interface LoadCircuitRow {
  id: number;
  name: string;
  parentId: number | null;
  limitA: number;
  limitB: number;
  limitC: number;
}

/** An open session and the last status of its connector (null: none reported yet). */
export interface LoadSessionRow {
  transactionId: number;
  chargerId: string;
  connectorId: number;
  startedAt: Date;
  status: string | null;
}

/**
 * Read-only queries behind site load management (docs/LOAD.md): the wiring
 * of every admitted charger, the circuits, and the open sessions with their
 * connector's status. Three small reads; open sessions use the partial index
 * transactions_open_idx.
 */
export function createLoadSiteRepository(db: DbOrTx) {
  return {
    async chargers(): Promise<LoadChargerRow[]> {
      const rows = await db
        .select({
          id: chargers.id,
          maxPhase: chargers.maxPhase,
          minCurrent: chargers.minCurrent,
          maxCurrent: chargers.maxCurrent,
          phaseRotation: chargers.phaseRotation,
          circuitId: chargers.circuitId,
          online: chargers.online,
          connectorIds: sql<number[]>`array(select ${connectors.connectorId} from ${connectors}
            where ${connectors.chargerId} = ${chargers.id} and ${connectors.connectorId} > 0 order by 1)`,
        })
        .from(chargers)
        .where(eq(chargers.registration, 'Accepted'))
        .orderBy(asc(chargers.id));
      return rows.map((r) => ({ ...r, connectorIds: r.connectorIds.map(Number) }));
    },

    async circuits(): Promise<LoadCircuitRow[]> {
      return db
        .select({
          id: circuits.id,
          name: circuits.name,
          parentId: circuits.parentId,
          limitA: circuits.limitA,
          limitB: circuits.limitB,
          limitC: circuits.limitC,
        })
        .from(circuits)
        .orderBy(asc(circuits.id));
    },

    async openSessions(): Promise<LoadSessionRow[]> {
      return db
        .select({
          transactionId: transactions.id,
          chargerId: transactions.chargerId,
          connectorId: transactions.connectorId,
          startedAt: transactions.startedAt,
          status: connectors.status,
        })
        .from(transactions)
        .leftJoin(
          connectors,
          and(eq(connectors.chargerId, transactions.chargerId), eq(connectors.connectorId, transactions.connectorId)),
        )
        .where(isNull(transactions.stoppedAt))
        .orderBy(asc(transactions.startedAt), asc(transactions.id));
    },
  };
}
export type LoadSiteRepository = ReturnType<typeof createLoadSiteRepository>;
