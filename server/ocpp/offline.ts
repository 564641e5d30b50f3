import type { FastifyInstance } from 'fastify';
import { publishState } from './context.ts';
import type { LocalConnectionRegistry } from './connections.ts';
import type { OcppConnection } from './connection.ts';
import { TRANSITIONAL_EXPIRY_MS } from './commands/transitional.ts';

/**
 * One sweep of offline detection (docs/PRODUCT.md §5): chargers silent for
 * `ocppOfflineAfterIntervals` × their heartbeat interval are marked offline
 * and `offline` is published; a connected one comes back with its next
 * message. Transitional states whose ending message never came expire here.
 * Driven by a timer in production and called directly by tests.
 */
export async function sweepOffline(
  app: FastifyInstance,
  registry: LocalConnectionRegistry<OcppConnection>,
): Promise<string[]> {
  const now = app.clock.now();
  const silent = await app.repos.chargers.markSilentOffline(now, app.config.ocppOfflineAfterIntervals);
  for (const id of silent) {
    const conn = registry.get(id);
    if (conn) conn.silent = true;
    app.events.publish({ type: 'offline', chargerId: id, at: now.toISOString() });
  }
  for (const [state, ms] of Object.entries(TRANSITIONAL_EXPIRY_MS)) {
    const expired = await app.repos.chargers.expireTransitional([state], new Date(now.getTime() - ms));
    for (const id of expired) await publishState(app, id);
  }
  return silent;
}
