import type { FastifyInstance } from 'fastify';
import batteryInfoRoutes from './routes.ts';

/** The battery registry (SPEC §4): the seed's envelope API under /batteryInfo. */
export default async function batteryRegistry(app: FastifyInstance) {
  await app.register(batteryInfoRoutes, { prefix: '/batteryInfo' });
}
