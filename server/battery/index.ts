import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import batteryApiRoutes from './api-routes.ts';
import batteryInfoRoutes from './routes.ts';
import { createBatteryService, newLookupCache } from './service.ts';

/**
 * The battery registry (docs/PRODUCT.md §4): the seed's envelope API under /batteryInfo,
 * and the dashboard's REST reads and bulk import under /api/batteries. Both
 * share one service, so every write invalidates the look-up cache.
 */
declare module 'fastify' {
  interface FastifyInstance {
    /** Settles with the number of answers stored once the look-up cache's start-up warm-up ends (0 without a cache). */
    batteryCacheWarm: Promise<number>;
  }
}

async function batteryRegistry(app: FastifyInstance) {
  const service = createBatteryService(app, app.config.batteryLookupCache ? newLookupCache() : undefined);
  // Warm in the background once the server is ready; a failure only means a cold cache.
  let closing = false;
  let warming = false;
  let warmed!: (entries: number) => void;
  const done = new Promise<number>((r) => (warmed = r));
  app.decorate('batteryCacheWarm', done);
  app.addHook('onClose', async () => {
    closing = true;
    if (warming) await done;
    else warmed(0);
  });
  app.addHook('onReady', async () => {
    warming = true;
    const started = performance.now();
    service
      .warm(() => closing)
      .then((n) => {
        if (n)
          app.log.info({ entries: n, ms: Math.round(performance.now() - started) }, 'battery look-up cache warmed');
        warmed(n);
      })
      .catch((err: unknown) => {
        app.log.warn({ err }, 'battery look-up cache warm-up stopped; look-ups read the database');
        warmed(0);
      });
  });
  await app.register(batteryInfoRoutes, { prefix: '/batteryInfo', service });
  await app.register(batteryApiRoutes, { service });
}

// Not encapsulated, so `app.batteryCacheWarm` is seen from the root instance; the routes below stay in their own contexts.
export default fp(batteryRegistry, { name: 'battery-registry' });
