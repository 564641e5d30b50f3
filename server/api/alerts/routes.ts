import type { FastifyInstance } from 'fastify';
import type { Static } from '@sinclair/typebox';
import { AlertPage, AlertQuery } from './schemas.ts';

/**
 * GET /api/alerts: what the system raised for an operator, newest first, paged
 * (implausible meter readings, charger clocks beyond the allowed skew, the
 * load management kinds of contracts/load-alerts.ts). The start of the alert
 * console; acknowledging happens today through the energy review of a session
 * (POST /api/transactions/:id/energy/confirm or /reject).
 */
export default async function alertRoutes(app: FastifyInstance) {
  app.get<{ Querystring: Static<typeof AlertQuery> }>(
    '/api/alerts',
    {
      config: { role: 'viewer' },
      schema: {
        tags: ['alerts'],
        summary: 'Alerts raised by the system, newest first',
        querystring: AlertQuery,
        response: { 200: AlertPage },
      },
    },
    async (req) => {
      const { page, pageSize } = req.query;
      const [total, rows] = await Promise.all([
        app.repos.alerts.count(),
        app.repos.alerts.page((page - 1) * pageSize, pageSize),
      ]);
      return {
        page,
        pageSize,
        total,
        items: rows.map((a) => ({
          id: a.id,
          at: a.at.toISOString(),
          kind: a.kind,
          severity: a.severity,
          chargerId: a.chargerId,
          transactionId: a.transactionId,
          message: a.message,
          details: (a.details ?? {}) as Record<string, unknown>,
          acknowledgedAt: a.acknowledgedAt?.toISOString() ?? null,
          acknowledgedBy: a.acknowledgedBy,
        })),
      };
    },
  );
}
