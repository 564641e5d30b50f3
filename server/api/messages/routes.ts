import type { Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.ts';
import { MessagePage, MessageParams, MessageQuery } from './schemas.ts';

/**
 * GET /api/chargers/:id/messages: what a charger said and was told (docs/OPERATIONS.md
 * "OCPP message log"), newest first, keyset paged by `before`. Viewers may read
 * it: secrets are redacted before a row is stored, and the rest (id tags,
 * meter values, configuration) is what the sessions list and Devices show them.
 */
export default async function messageRoutes(app: FastifyInstance) {
  app.get<{ Params: Static<typeof MessageParams>; Querystring: Static<typeof MessageQuery> }>(
    '/api/chargers/:id/messages',
    {
      config: { role: 'viewer' },
      schema: {
        tags: ['chargers'],
        summary: "A charger's OCPP message log, newest first",
        params: MessageParams,
        querystring: MessageQuery,
        response: { 200: MessagePage },
      },
    },
    async (req) => {
      const { id } = req.params;
      const q = req.query;
      const [charger, rows] = await Promise.all([
        app.repos.chargers.get(id),
        app.repos.ocppMessages.page({ chargerId: id, ...q, limit: q.limit + 1 }),
      ]);
      if (!charger) throw new AppError('NOT_FOUND', `No charger ${id}`);
      const page = rows.slice(0, q.limit);
      return {
        items: page.map((r) => ({
          id: r.id,
          at: r.at.toISOString(),
          direction: r.direction,
          messageType: r.messageType,
          messageId: r.messageId,
          action: r.action,
          payload: r.payload,
          errorCode: r.errorCode,
          durationMs: r.durationMs,
          size: r.size,
        })),
        nextBefore: rows.length > q.limit ? page[page.length - 1]!.id : null,
      };
    },
  );
}
