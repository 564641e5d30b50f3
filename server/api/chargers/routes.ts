import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { UnknownCircuitError } from '../../../db/repositories/chargers.ts';
import type { ChargerRow } from '../../../db/schema/index.ts';
import { hashSecret } from '../../auth/password.ts';
import { AppError, validationError } from '../../errors.ts';
import { actorName } from '../../plugins/auth.ts';
import { loadCharger, presentCharger, siteRotation } from './presenter.ts';
import { ChargerParams, ChargerSchema, CreateChargerBody, PatchChargerBody } from './schemas.ts';

type Create = Static<typeof CreateChargerBody>;
type Patch = Static<typeof PatchChargerBody>;

/**
 * minCurrent ≤ maxCurrent after the merge with the stored values (the
 * database's chargers_currents check holds it too): names the field sent,
 * minCurrent when both were.
 */
function checkCurrents(
  merged: { maxCurrent: number; minCurrent: number },
  sent: { maxCurrent?: number | undefined; minCurrent?: number | undefined },
): void {
  if (merged.minCurrent <= merged.maxCurrent) return;
  if (sent.minCurrent === undefined && sent.maxCurrent !== undefined)
    throw validationError({ maxCurrent: `must not be below minCurrent (${merged.minCurrent})` });
  throw validationError({ minCurrent: `must not exceed maxCurrent (${merged.maxCurrent})` });
}

/** A circuit that is not there is the client's mistake: 400 naming circuitId. */
function unknownCircuit(err: unknown): unknown {
  return err instanceof UnknownCircuitError ? validationError({ circuitId: `no circuit ${err.circuitId}` }) : err;
}

/** The stored values of the fields a patch changes, for the audit log. */
function previous(row: ChargerRow, fields: object): Record<string, unknown> {
  return Object.fromEntries(Object.keys(fields).map((k) => [k, row[k as keyof ChargerRow]]));
}

/** Chargers (docs/PRODUCT.md §8): register with a Basic-auth secret, approve or reject a Pending one, edit metadata. */
export default async function chargerRoutes(app: FastifyInstance) {
  app.get(
    '/api/chargers',
    {
      config: { role: 'viewer' },
      schema: {
        tags: ['chargers'],
        summary: 'All chargers with their live state',
        response: { 200: Type.Array(ChargerSchema) },
      },
    },
    async () => {
      const [rows, conns, site] = await Promise.all([
        app.repos.chargers.list(),
        app.repos.chargers.allConnectors(),
        siteRotation(app),
      ]);
      return rows.map((r) =>
        presentCharger(
          app,
          r,
          conns.filter((c) => c.chargerId === r.id),
          site,
        ),
      );
    },
  );

  app.get<{ Params: Static<typeof ChargerParams> }>(
    '/api/chargers/:id',
    {
      config: { role: 'viewer' },
      schema: { tags: ['chargers'], summary: 'One charger', params: ChargerParams, response: { 200: ChargerSchema } },
    },
    async (req) => {
      const row = await app.repos.chargers.get(req.params.id);
      if (!row) throw new AppError('NOT_FOUND', `No charger ${req.params.id}`);
      return loadCharger(app, row);
    },
  );

  app.post<{ Body: Create }>(
    '/api/chargers',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['chargers'],
        summary: 'Register a charger with its Basic-auth secret',
        body: CreateChargerBody,
        response: { 201: ChargerSchema },
      },
    },
    async (req, reply) => {
      const { secret, ...fields } = req.body;
      checkCurrents({ maxCurrent: fields.maxCurrent ?? 32, minCurrent: fields.minCurrent ?? 8 }, fields);
      const at = app.clock.now();
      const row = await app.repos.chargers
        .create({ ...fields, secretHash: await hashSecret(secret) }, at)
        .catch((err: unknown) => {
          throw unknownCircuit(err);
        });
      if (!row) throw new AppError('CONFLICT', `Charger ${fields.id} exists already`);
      await app.repos.audit.record({
        at,
        actor: actorName(req.principal),
        action: 'charger.create',
        target: `charger:${row.id}`,
        after: fields,
      });
      app.events.publish({ type: 'charger.changed', chargerId: row.id, at: at.toISOString(), change: 'created' });
      return reply.status(201).send(await loadCharger(app, row));
    },
  );

  app.patch<{ Params: Static<typeof ChargerParams>; Body: Patch }>(
    '/api/chargers/:id',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['chargers'],
        summary:
          'Approve or reject, change the secret, edit metadata and wiring (maxPhase, currents, phaseRotation, circuitId)',
        params: ChargerParams,
        body: PatchChargerBody,
        response: { 200: ChargerSchema },
      },
    },
    async (req) => {
      const id = req.params.id;
      const { secret, ...fields } = req.body;
      const secretHash = secret ? await hashSecret(secret) : undefined;
      const at = app.clock.now();
      // The current range is judged against the row as it is when written (locked), not as it was read.
      const edited = await app.repos.chargers
        .edit(id, at, (stored) => {
          checkCurrents(
            { maxCurrent: fields.maxCurrent ?? stored.maxCurrent, minCurrent: fields.minCurrent ?? stored.minCurrent },
            fields,
          );
          return { ...fields, ...(secretHash ? { secretHash } : {}) };
        })
        .catch((err: unknown) => {
          throw unknownCircuit(err);
        });
      if (!edited) throw new AppError('NOT_FOUND', `No charger ${id}`);
      const { before, after: row } = edited;
      await app.repos.audit.record({
        at,
        actor: actorName(req.principal),
        action: 'charger.update',
        target: `charger:${id}`,
        before: { registration: before.registration, ...previous(before, fields) },
        after: { ...fields, ...(secret ? { secret: 'changed' } : {}) },
      });
      app.events.publish({ type: 'charger.changed', chargerId: id, at: at.toISOString(), change: 'updated' });
      const reachable = await app.ocpp.connections.isReachable(id);
      if (reachable && fields.registration === 'Rejected') {
        await app.ocpp.connections.disconnect(id, 1008, 'Charge point rejected');
      } else if (reachable && fields.registration === 'Accepted' && before.registration === 'Pending') {
        // OCPP 1.6 §4.2: the charger learns it is Accepted from its next BootNotification; ask for it now.
        app.ocpp.connections
          .call(id, 'TriggerMessage', { requestedMessage: 'BootNotification' }, app.config.ocppCommandTimeoutMs)
          .catch(() => undefined);
      }
      return loadCharger(app, row);
    },
  );

  app.delete<{ Params: Static<typeof ChargerParams> }>(
    '/api/chargers/:id',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['chargers'],
        summary: 'Remove a charger and its history',
        params: ChargerParams,
        response: { 204: Type.Null() },
      },
    },
    async (req, reply) => {
      const id = req.params.id;
      if (!(await app.repos.chargers.remove(id))) throw new AppError('NOT_FOUND', `No charger ${id}`);
      const at = app.clock.now();
      await app.repos.audit.record({
        at,
        actor: actorName(req.principal),
        action: 'charger.delete',
        target: `charger:${id}`,
      });
      app.events.publish({ type: 'charger.changed', chargerId: id, at: at.toISOString(), change: 'deleted' });
      await app.ocpp.connections.disconnect(id, 1008, 'Charge point removed');
      return reply.status(204).send();
    },
  );
}
