import type { FastifyInstance } from 'fastify';
import batteryApiRoutes from './api-routes.ts';
import batteryInfoRoutes from './routes.ts';
import { createBatteryService, newLookupCache } from './service.ts';

/**
 * The battery registry (SPEC §4): the seed's envelope API under /batteryInfo,
 * and the dashboard's REST reads and bulk import under /api/batteries. Both
 * share one service, so every write invalidates the look-up cache.
 */
export default async function batteryRegistry(app: FastifyInstance) {
  const service = createBatteryService(app, app.config.batteryLookupCache ? newLookupCache() : undefined);
  if (app.config.batteryLookupCache) {
    // Warm in the background once the server is ready; a failure only means a cold cache.
    let closing = false;
    app.addHook('onClose', async () => {
      closing = true;
      await warming;
    });
    let warming: Promise<unknown> = Promise.resolve();
    app.addHook('onReady', async () => {
      const started = performance.now();
      warming = service
        .warm(() => closing)
        .then((n) => app.log.info({ entries: n, ms: Math.round(performance.now() - started) }, 'battery look-up cache warmed'))
        .catch((err: unknown) => app.log.warn({ err }, 'battery look-up cache warm-up stopped; look-ups read the database'));
    });
  }
  await app.register(batteryInfoRoutes, { prefix: '/batteryInfo', service });
  await app.register(batteryApiRoutes, { service });
}
