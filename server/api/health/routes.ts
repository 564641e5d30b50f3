import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';

/** Liveness and readiness: answers 200 only while the database answers (SPEC §7). */
export default async function healthRoutes(app: FastifyInstance) {
  app.get(
    '/healthz',
    {
      config: { public: true },
      schema: {
        tags: ['operations'],
        response: {
          200: Type.Object({ status: Type.Literal('ok'), database: Type.String() }),
          503: Type.Object({ status: Type.Literal('unavailable'), database: Type.String(), error: Type.String() }),
        },
      },
    },
    async (_req, reply) => {
      try {
        await app.database.ping();
        return { status: 'ok' as const, database: app.database.engine };
      } catch (err) {
        return reply.status(503).send({ status: 'unavailable' as const, database: app.database.engine, error: (err as Error).message });
      }
    },
  );
}
