import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { newOpaqueToken, sha256 } from '../../auth/opaque-token.ts';
import { AppError } from '../../errors.ts';
import { actorName } from '../../plugins/auth.ts';
import { RoleSchema } from '../auth/schemas.ts';

const TokenSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  role: RoleSchema,
  prefix: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
const CreateBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 100 }), role: RoleSchema },
  { additionalProperties: false },
);
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

/** API tokens (docs/PRODUCT.md §8): admin only; the token itself is answered once and stored hashed. */
export default async function tokenRoutes(app: FastifyInstance) {
  app.post<{ Body: Static<typeof CreateBody> }>(
    '/api/tokens',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['tokens'],
        summary: 'Create an API token (shown once)',
        body: CreateBody,
        response: { 201: Type.Intersect([TokenSchema, Type.Object({ token: Type.String() })]) },
      },
    },
    async (req, reply) => {
      const token = newOpaqueToken('co_');
      const at = app.clock.now();
      const row = await app.repos.tokens.create({
        name: req.body.name,
        role: req.body.role,
        tokenHash: sha256(token),
        prefix: token.slice(0, 7),
        // A token made with a token answers to the same person as its parent.
        createdBy: req.principal!.userId,
        createdAt: at,
      });
      await app.repos.audit.record({
        at,
        actor: actorName(req.principal),
        action: 'token.create',
        target: `token:${row.id}`,
        after: { name: row.name, role: row.role },
      });
      return reply.status(201).send({ ...row, token });
    },
  );

  app.get(
    '/api/tokens',
    {
      config: { role: 'admin' },
      schema: { tags: ['tokens'], summary: 'List API tokens', response: { 200: Type.Array(TokenSchema) } },
    },
    async () => app.repos.tokens.list(),
  );

  app.delete<{ Params: Static<typeof IdParams> }>(
    '/api/tokens/:id',
    {
      config: { role: 'admin' },
      schema: { tags: ['tokens'], summary: 'Revoke an API token', params: IdParams, response: { 200: TokenSchema } },
    },
    async (req) => {
      const at = app.clock.now();
      const row = await app.repos.tokens.revoke(req.params.id, at);
      if (!row) throw new AppError('NOT_FOUND', `No active token ${req.params.id}`);
      app.tokenCache.forget(row.id);
      await app.repos.audit.record({
        at,
        actor: actorName(req.principal),
        action: 'token.revoke',
        target: `token:${row.id}`,
      });
      return row;
    },
  );
}
