import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CircuitRefusal, type CircuitView } from '../../../db/repositories/circuits.ts';
import { AppError, validationError } from '../../errors.ts';
import { actorName } from '../../plugins/auth.ts';
import { CircuitParams, CircuitSchema, CreateCircuitBody, PatchCircuitBody } from './schemas.ts';

type Params = { Params: Static<typeof CircuitParams> };

/** The repository's refusal as the coded REST error. */
function refusalError(err: unknown): unknown {
  if (!(err instanceof CircuitRefusal)) return err;
  switch (err.reason) {
    case 'not-found':
      return new AppError('NOT_FOUND', err.message);
    case 'name-taken':
      return new AppError('CIRCUIT_NAME_TAKEN', err.message, { name: 'is taken by another circuit' });
    case 'unknown-parent':
    case 'cycle':
      return validationError({ parentId: err.message });
    case 'in-use':
      return new AppError('CIRCUIT_IN_USE', err.message, undefined, err.details);
  }
}

const refused = (err: unknown) => {
  throw refusalError(err);
};

/** A name is shown in lists and selects: no blank one, no spaces at its ends that would make two look alike. */
function checkName(name: string | undefined): void {
  if (name !== undefined && (name.trim() === '' || name.trim() !== name))
    throw validationError({ name: 'must not be blank or start or end with a space' });
}

/** What the audit log keeps of a circuit. */
const audited = (c: CircuitView) => ({ name: c.name, parentId: c.parentId, limits: c.limits });

/**
 * Circuits (docs/PRODUCT.md §7): named groups of chargers with their own
 * per-phase limits, nested under the site. Admin only, reads included, as
 * the issue asks: the wiring of the site is an installer's matter. Every
 * change is audited and published as `circuit.changed` (the load controller
 * re-plans on it).
 */
export default async function circuitRoutes(app: FastifyInstance) {
  const admin = { role: 'admin' as const };
  const publish = (circuitId: number, at: Date, change: 'created' | 'updated' | 'deleted') =>
    app.events.publish({ type: 'circuit.changed', circuitId, at: at.toISOString(), change });
  const audit = (
    req: FastifyRequest,
    at: Date,
    action: string,
    id: number,
    before?: CircuitView,
    after?: CircuitView,
  ) =>
    app.repos.audit.record({
      at,
      actor: actorName(req.principal),
      action,
      target: `circuit:${id}`,
      ...(before ? { before: audited(before) } : {}),
      ...(after ? { after: audited(after) } : {}),
    });

  app.get(
    '/api/circuits',
    {
      config: admin,
      schema: {
        tags: ['circuits'],
        summary: 'Every circuit with its limits and chargers',
        response: { 200: Type.Array(CircuitSchema) },
      },
    },
    async () => app.repos.circuits.list(),
  );

  app.get<Params>(
    '/api/circuits/:id',
    {
      config: admin,
      schema: { tags: ['circuits'], summary: 'One circuit', params: CircuitParams, response: { 200: CircuitSchema } },
    },
    async (req) => {
      const c = await app.repos.circuits.get(req.params.id);
      if (!c) throw new AppError('NOT_FOUND', `No circuit ${req.params.id}`);
      return c;
    },
  );

  app.post<{ Body: Static<typeof CreateCircuitBody> }>(
    '/api/circuits',
    {
      config: admin,
      schema: {
        tags: ['circuits'],
        summary: 'Create a circuit (under another one, or the site)',
        body: CreateCircuitBody,
        response: { 201: CircuitSchema },
      },
    },
    async (req, reply) => {
      checkName(req.body.name);
      const at = app.clock.now();
      const created = await app.repos.circuits.create(req.body, at).catch(refused);
      await audit(req, at, 'circuit.create', created.id, undefined, created);
      publish(created.id, at, 'created');
      return reply.status(201).send(created);
    },
  );

  app.patch<Params & { Body: Static<typeof PatchCircuitBody> }>(
    '/api/circuits/:id',
    {
      config: admin,
      schema: {
        tags: ['circuits'],
        summary: 'Rename, move (a move that would make a loop is refused) or change the limits',
        params: CircuitParams,
        body: PatchCircuitBody,
        response: { 200: CircuitSchema },
      },
    },
    async (req) => {
      checkName(req.body.name);
      const at = app.clock.now();
      const { before, after } = await app.repos.circuits.update(req.params.id, req.body, at).catch(refused);
      await audit(req, at, 'circuit.update', after.id, before, after);
      publish(after.id, at, 'updated');
      return after;
    },
  );

  app.delete<Params>(
    '/api/circuits/:id',
    {
      config: admin,
      schema: {
        tags: ['circuits'],
        summary: 'Remove a circuit nothing hangs from (else 409 CIRCUIT_IN_USE)',
        params: CircuitParams,
        response: { 204: Type.Null() },
      },
    },
    async (req, reply) => {
      const at = app.clock.now();
      const removed = await app.repos.circuits.remove(req.params.id).catch(refused);
      await audit(req, at, 'circuit.delete', removed.id, removed);
      publish(removed.id, at, 'deleted');
      return reply.status(204).send();
    },
  );
}
