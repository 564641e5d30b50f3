import type { FastifyInstance } from 'fastify';
import batteryApiRoutes from './api-routes.ts';
import batteryInfoRoutes from './routes.ts';

/** The battery registry (SPEC §4): the seed's envelope API under /batteryInfo, and
 * the dashboard's REST reads and bulk import under /api/batteries. */
export default async function batteryRegistry(app: FastifyInstance) {
  await app.register(batteryInfoRoutes, { prefix: '/batteryInfo' });
  await app.register(batteryApiRoutes);
}
