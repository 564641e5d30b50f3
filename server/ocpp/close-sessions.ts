import type { FastifyInstance } from 'fastify';
import type { TransactionRow } from '../../db/schema/index.ts';
import { localDay } from '../time/site-time.ts';

/**
 * The event a StopTransaction publishes, for any close (the dashboard and
 * the read cache's `sessions` topic follow it, whoever closed the session).
 */
export function publishStopped(app: FastifyInstance, tx: TransactionRow, at: Date): void {
  app.events.publish({
    type: 'transaction.stopped',
    chargerId: tx.chargerId,
    at: at.toISOString(),
    transactionId: tx.id,
    energyWh: tx.energyWh ?? 0,
    reason: tx.stopReason,
    cause: tx.closeCause ?? 'charger',
  });
}

/**
 * Closes the sessions a charger will not stop itself (docs/OPERATIONS.md
 * "Open sessions"): many chargers send no StopTransaction for a start they
 * were refused, and a session open across a reboot is over. The close is
 * provisional: a StopTransaction the charger queued (OCPP 1.6 §3.16) and
 * delivers later replaces it.
 */
export async function closeOrphanSessions(
  app: FastifyInstance,
  chargerId: string,
  close: { connectorId?: number; cause: 'connector-available' | 'boot'; reason: 'Other' | 'Reboot'; at: Date },
  now: Date,
): Promise<TransactionRow[]> {
  const closed = await app.repos.transactions.closeOrphans({
    chargerId,
    connectorId: close.connectorId,
    cause: close.cause,
    reason: close.reason,
    at: close.at,
    dayOf: (at) => localDay(at, app.config.siteTz),
  });
  for (const tx of closed) publishStopped(app, tx, now);
  return closed;
}
