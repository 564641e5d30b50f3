import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { actorName } from '../../plugins/auth.ts';
import { sendCommand } from '../../ocpp/commands/send.ts';
import { COMMAND_ACTIONS } from '../../ocpp/protocol.ts';

const CommandLogSchema = Type.Object({
  id: Type.Integer(),
  chargerId: Type.String(),
  action: Type.String(),
  payload: Type.Unknown(),
  response: Type.Unknown(),
  outcome: Type.String(),
  errorCode: Type.Union([Type.String(), Type.Null()]),
  requestedBy: Type.String(),
  requestedAt: Type.String({ format: 'date-time' }),
  answeredAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  durationMs: Type.Union([Type.Integer(), Type.Null()]),
});
const SendParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64 }),
  action: Type.String({ maxLength: 64 }),
});
const Paging = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
};
// Strict: a misspelt parameter (chargerId for charger_id) would otherwise list every charger's commands.
const PagingQuery = Type.Object(Paging, { additionalProperties: false });
const ListQuery = Type.Object(
  { charger_id: Type.Optional(Type.String({ maxLength: 64 })), ...Paging },
  { additionalProperties: false },
);
const SendResult = Type.Object({
  commandId: Type.Integer(),
  chargerId: Type.String(),
  action: Type.String(),
  response: Type.Unknown(),
  durationMs: Type.Integer(),
});

/** Commands to chargers (docs/PRODUCT.md §5, §8) and their audit trail. */
export default async function commandRoutes(app: FastifyInstance) {
  app.post<{ Params: Static<typeof SendParams>; Body: unknown }>(
    '/api/chargers/:id/commands/:action',
    {
      config: { role: 'operator' },
      schema: {
        tags: ['commands'],
        summary: "Send an OCPP 1.6 command; answers the charger's response",
        description: `action: one of ${COMMAND_ACTIONS.join(', ')}. The body is the OCPP request payload, checked against the official schema (400). 404 unknown action or charger, 409 not connected, 502 the charger answered a CALLERROR, 504 no answer in time.`,
        params: SendParams,
        response: { 200: SendResult },
      },
    },
    async (req) =>
      sendCommand(app, {
        chargerId: req.params.id,
        action: req.params.action,
        payload: req.body ?? {},
        who: actorName(req.principal),
      }),
  );

  app.get<{ Params: { id: string }; Querystring: Static<typeof PagingQuery> }>(
    '/api/chargers/:id/commands',
    {
      config: { role: 'viewer' },
      schema: {
        tags: ['commands'],
        summary: 'Commands sent to one charger, newest first',
        params: Type.Object({ id: Type.String() }),
        querystring: PagingQuery,
        response: { 200: Type.Array(CommandLogSchema) },
      },
    },
    async (req) =>
      app.repos.commands.list({
        chargerId: req.params.id,
        limit: req.query.limit ?? 100,
        offset: req.query.offset ?? 0,
      }),
  );

  app.get<{ Querystring: Static<typeof ListQuery> }>(
    '/api/commands',
    {
      config: { role: 'viewer' },
      schema: {
        tags: ['commands'],
        summary: 'Commands sent to chargers, newest first',
        querystring: ListQuery,
        response: { 200: Type.Array(CommandLogSchema) },
      },
    },
    async (req) =>
      app.repos.commands.list({
        chargerId: req.query.charger_id,
        limit: req.query.limit ?? 100,
        offset: req.query.offset ?? 0,
      }),
  );
}
