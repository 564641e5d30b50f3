import type { FastifyInstance } from 'fastify';

/**
 * charger.offline (contracts/alerts.ts), judged for the whole site in one
 * statement each way: raised for chargers offline past the threshold of
 * server/ocpp/offline.ts (missed heartbeats, or a socket gone and not back),
 * cleared for those online again. Resolves true when it changed anything.
 */
export async function checkOffline(app: FastifyInstance): Promise<boolean> {
  const now = app.clock.now();
  const raised = await app.repos.alerts.raiseOffline(now, app.config.ocppOfflineAfterIntervals);
  const cleared = await app.repos.alerts.clearOnline(now);
  return raised + cleared > 0;
}
