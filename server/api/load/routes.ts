import type { FastifyInstance } from 'fastify';
import { LoadSnapshotSchema } from './schemas.ts';

/**
 * GET /api/load: the site's load per site phase and circuit phase and every
 * open session's allowance (docs/LOAD.md "Visible"); live as `load.changed`
 * on /api/live.
 */
export default async function loadRoutes(app: FastifyInstance) {
  app.get(
    '/api/load',
    {
      config: { role: 'viewer' },
      schema: {
        tags: ['load'],
        summary: "Site load: limits, allowances and measurements per phase; every session's allowance",
        response: { 200: LoadSnapshotSchema },
      },
    },
    async () => app.load.read(),
  );
}
