import type { FastifyInstance } from 'fastify';
import type { Static } from '@sinclair/typebox';
import { AppError } from '../../errors.ts';
import { actorName } from '../../plugins/auth.ts';
import { strictBody } from '../strict-body.ts';
import { presentAlert } from '../../alerts/present.ts';
import { AckBody, AlertIdParams, AlertItem, AlertPage, AlertQuery } from './schemas.ts';

/**
 * GET /api/alerts: what the system raised for an operator, newest first,
 * paged, all or only the open ones; POST /api/alerts/<id>/ack: an operator
 * takes one on (docs/OPERATIONS.md "Alerts"). The system raises and clears
 * them itself (server/alerts/).
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
      const { page, pageSize, state } = req.query;
      const [total, unacknowledged, rows] = await Promise.all([
        app.repos.alerts.count({ state }),
        app.repos.alerts.countUnacknowledged(),
        app.repos.alerts.page((page - 1) * pageSize, pageSize, { state }),
      ]);
      return { page, pageSize, total, unacknowledged, items: rows.map(presentAlert) };
    },
  );

  app.post<{ Params: Static<typeof AlertIdParams> }>(
    '/api/alerts/:id/ack',
    {
      config: { role: 'operator' },
      preValidation: strictBody(AckBody),
      schema: {
        tags: ['alerts'],
        summary: 'Acknowledge an alert (repeating it keeps the first acknowledgement)',
        params: AlertIdParams,
        body: AckBody,
        response: { 200: AlertItem },
      },
    },
    async (req) => {
      const row = await app.repos.alerts.acknowledge(req.params.id, actorName(req.principal), app.clock.now());
      if (!row) throw new AppError('NOT_FOUND', `No alert ${req.params.id}`);
      // A notice the acknowledgement cleared is announced like any clear.
      app.alerts.kick();
      return presentAlert(row);
    },
  );
}
