import type { FastifyInstance } from 'fastify';
import batteryApiRoutes from './api-routes.ts';
import { LookupCache } from './lookup-cache.ts';
import batteryInfoRoutes from './routes.ts';
import { createBatteryService } from './service.ts';

/**
 * The battery registry (SPEC §4): the seed's envelope API under /batteryInfo,
 * and the dashboard's REST reads and bulk import under /api/batteries. Both
 * share one service, so every write invalidates the look-up cache.
 */
export default async function batteryRegistry(app: FastifyInstance) {
  const service = createBatteryService(app, app.config.batteryLookupCache ? new LookupCache() : undefined);
  await app.register(batteryInfoRoutes, { prefix: '/batteryInfo', service });
  await app.register(batteryApiRoutes, { service });
}
