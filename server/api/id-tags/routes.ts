import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { AppError, validationError } from '../../errors.ts';
import { actorName } from '../../plugins/auth.ts';
import { CreateIdTagBody, IdTagParams, IdTagSchema, PatchIdTagBody } from './schemas.ts';

type Fields = {
  parentIdTag?: string | null;
  expiryDate?: string | null;
  blocked?: boolean;
  description?: string | null;
};

/** The stored shape of the optional fields, with the parent checked to exist. */
async function toPatch(app: FastifyInstance, idTag: string, body: Fields) {
  let parent = body.parentIdTag;
  if (parent) {
    // Id tags ignore case (OCPP 1.6 §7.29 CiString): the parent is stored as it was registered.
    if (parent.toLowerCase() === idTag.toLowerCase())
      throw validationError({ parentIdTag: 'must not be the tag itself' });
    const row = await app.repos.idTags.get(parent);
    if (!row) throw validationError({ parentIdTag: `no id tag ${parent}` });
    parent = row.idTag;
  }
  const patch: {
    parentIdTag?: string | null;
    expiryDate?: Date | null;
    blocked?: boolean;
    description?: string | null;
  } = {};
  if (parent !== undefined) patch.parentIdTag = parent;
  if (body.expiryDate !== undefined) patch.expiryDate = body.expiryDate === null ? null : new Date(body.expiryDate);
  if (body.blocked !== undefined) patch.blocked = body.blocked;
  if (body.description !== undefined) patch.description = body.description;
  return patch;
}

/** The authorization list chargers' Authorize/StartTransaction are checked against (OCPP 1.6 §4.1, docs/PRODUCT.md §8). */
export default async function idTagRoutes(app: FastifyInstance) {
  app.get(
    '/api/id-tags',
    {
      config: { role: 'viewer' },
      schema: { tags: ['id-tags'], summary: 'The authorization list', response: { 200: Type.Array(IdTagSchema) } },
    },
    async () => app.repos.idTags.list(),
  );

  app.post<{ Body: Static<typeof CreateIdTagBody> }>(
    '/api/id-tags',
    {
      config: { role: 'admin' },
      schema: { tags: ['id-tags'], summary: 'Add an id tag', body: CreateIdTagBody, response: { 201: IdTagSchema } },
    },
    async (req, reply) => {
      const { idTag, ...rest } = req.body;
      const at = app.clock.now();
      const row = await app.repos.idTags.create({ idTag, ...(await toPatch(app, idTag, rest)) }, at);
      if (!row) throw new AppError('CONFLICT', `Id tag ${idTag} exists already`);
      await app.repos.audit.record({
        at,
        actor: actorName(req.principal),
        action: 'idtag.create',
        target: `idtag:${idTag}`,
        after: req.body,
      });
      return reply.status(201).send(row);
    },
  );

  app.patch<{ Params: Static<typeof IdTagParams>; Body: Static<typeof PatchIdTagBody> }>(
    '/api/id-tags/:idTag',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['id-tags'],
        summary: 'Block, unblock, change expiry or parent',
        params: IdTagParams,
        body: PatchIdTagBody,
        response: { 200: IdTagSchema },
      },
    },
    async (req) => {
      const { idTag } = req.params;
      const before = await app.repos.idTags.get(idTag);
      if (!before) throw new AppError('NOT_FOUND', `No id tag ${idTag}`);
      const row = await app.repos.idTags.update(idTag, await toPatch(app, idTag, req.body));
      await app.repos.audit.record({
        at: app.clock.now(),
        actor: actorName(req.principal),
        action: 'idtag.update',
        target: `idtag:${idTag}`,
        before,
        after: req.body,
      });
      return row!;
    },
  );

  app.delete<{ Params: Static<typeof IdTagParams> }>(
    '/api/id-tags/:idTag',
    {
      config: { role: 'admin' },
      schema: { tags: ['id-tags'], summary: 'Remove an id tag', params: IdTagParams, response: { 204: Type.Null() } },
    },
    async (req, reply) => {
      const { idTag } = req.params;
      if (!(await app.repos.idTags.remove(idTag))) throw new AppError('NOT_FOUND', `No id tag ${idTag}`);
      await app.repos.audit.record({
        at: app.clock.now(),
        actor: actorName(req.principal),
        action: 'idtag.delete',
        target: `idtag:${idTag}`,
      });
      return reply.status(204).send();
    },
  );
}
