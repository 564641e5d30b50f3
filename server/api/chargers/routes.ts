import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { hashSecret } from '../../auth/password.ts';
import { AppError, validationError } from '../../errors.ts';
import { actorName } from '../../plugins/auth.ts';
import { loadCharger, presentCharger } from './presenter.ts';
import { ChargerParams, ChargerSchema, CreateChargerBody, PatchChargerBody } from './schemas.ts';

type Create = Static<typeof CreateChargerBody>;
type Patch = Static<typeof PatchChargerBody>;

function checkCurrents(maxCurrent: number, minCurrent: number): void {
  if (minCurrent > maxCurrent) throw validationError({ minCurrent: `must not exceed maxCurrent (${maxCurrent})` });
}

/** Chargers (docs/PRODUCT.md §8): register with a Basic-auth secret, approve or reject a Pending one, edit metadata. */
export default async function chargerRoutes(app: FastifyInstance) {
  app.get('/api/chargers', { config: { role: 'viewer' }, schema: { tags: ['chargers'], summary: 'All chargers with their live state', response: { 200: Type.Array(ChargerSchema) } } }, async () => {
    const [rows, conns] = await Promise.all([app.repos.chargers.list(), app.repos.chargers.allConnectors()]);
    return rows.map((r) => presentCharger(app, r, conns.filter((c) => c.chargerId === r.id)));
  });

  app.get<{ Params: Static<typeof ChargerParams> }>(
    '/api/chargers/:id',
    { config: { role: 'viewer' }, schema: { tags: ['chargers'], summary: 'One charger', params: ChargerParams, response: { 200: ChargerSchema } } },
    async (req) => {
      const row = await app.repos.chargers.get(req.params.id);
      if (!row) throw new AppError('NOT_FOUND', `No charger ${req.params.id}`);
      return loadCharger(app, row);
    },
  );

  app.post<{ Body: Create }>(
    '/api/chargers',
    { config: { role: 'admin' }, schema: { tags: ['chargers'], summary: 'Register a charger with its Basic-auth secret', body: CreateChargerBody, response: { 201: ChargerSchema } } },
    async (req, reply) => {
      const { secret, ...fields } = req.body;
      checkCurrents(fields.maxCurrent ?? 32, fields.minCurrent ?? 8);
      const at = app.clock.now();
      const row = await app.repos.chargers.create({ ...fields, secretHash: await hashSecret(secret) }, at);
      if (!row) throw new AppError('CONFLICT', `Charger ${fields.id} exists already`);
      await app.repos.audit.record({ at, actor: actorName(req.principal), action: 'charger.create', target: `charger:${row.id}`, after: fields });
      app.events.publish({ type: 'charger.changed', chargerId: row.id, at: at.toISOString(), change: 'created' });
      return reply.status(201).send(await loadCharger(app, row));
    },
  );

  app.patch<{ Params: Static<typeof ChargerParams>; Body: Patch }>(
    '/api/chargers/:id',
    { config: { role: 'admin' }, schema: { tags: ['chargers'], summary: 'Approve or reject, change the secret, edit metadata', params: ChargerParams, body: PatchChargerBody, response: { 200: ChargerSchema } } },
    async (req) => {
      const id = req.params.id;
      const before = await app.repos.chargers.get(id);
      if (!before) throw new AppError('NOT_FOUND', `No charger ${id}`);
      const { secret, ...fields } = req.body;
      checkCurrents(fields.maxCurrent ?? before.maxCurrent, fields.minCurrent ?? before.minCurrent);
      const at = app.clock.now();
      const row = await app.repos.chargers.update(id, { ...fields, ...(secret ? { secretHash: await hashSecret(secret) } : {}) }, at);
      if (!row) throw new AppError('NOT_FOUND', `No charger ${id}`);
      await app.repos.audit.record({
        at, actor: actorName(req.principal), action: 'charger.update', target: `charger:${id}`,
        before: { registration: before.registration }, after: { ...fields, ...(secret ? { secret: 'changed' } : {}) },
      });
      app.events.publish({ type: 'charger.changed', chargerId: id, at: at.toISOString(), change: 'updated' });
      const reachable = await app.ocpp.connections.isReachable(id);
      if (reachable && fields.registration === 'Rejected') {
        await app.ocpp.connections.disconnect(id, 1008, 'Charge point rejected');
      } else if (reachable && fields.registration === 'Accepted' && before.registration === 'Pending') {
        // OCPP 1.6 §4.2: the charger learns it is Accepted from its next BootNotification; ask for it now.
        app.ocpp.connections.call(id, 'TriggerMessage', { requestedMessage: 'BootNotification' }, app.config.ocppCommandTimeoutMs).catch(() => undefined);
      }
      return loadCharger(app, row);
    },
  );

  app.delete<{ Params: Static<typeof ChargerParams> }>(
    '/api/chargers/:id',
    { config: { role: 'admin' }, schema: { tags: ['chargers'], summary: 'Remove a charger and its history', params: ChargerParams, response: { 204: Type.Null() } } },
    async (req, reply) => {
      const id = req.params.id;
      if (!(await app.repos.chargers.remove(id))) throw new AppError('NOT_FOUND', `No charger ${id}`);
      const at = app.clock.now();
      await app.repos.audit.record({ at, actor: actorName(req.principal), action: 'charger.delete', target: `charger:${id}` });
      app.events.publish({ type: 'charger.changed', chargerId: id, at: at.toISOString(), change: 'deleted' });
      await app.ocpp.connections.disconnect(id, 1008, 'Charge point removed');
      return reply.status(204).send();
    },
  );
}
