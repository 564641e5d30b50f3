import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { MIN_PASSWORD_LENGTH, changeUser, createUser, deleteUser } from '../../auth/user-service.ts';
import { actorName } from '../../plugins/auth.ts';
import { RoleSchema } from '../auth/schemas.ts';

const UserSchema = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  role: RoleSchema,
  disabled: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
  lastLoginAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
const CreateBody = Type.Object(
  { username: Type.String(), password: Type.String(), role: RoleSchema },
  { additionalProperties: false },
);
const PatchBody = Type.Object(
  {
    role: Type.Optional(RoleSchema),
    password: Type.Optional(Type.String({ minLength: MIN_PASSWORD_LENGTH })),
    disabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

/**
 * User administration (docs/PRODUCT.md §6, §8): admins only. The last admin cannot be
 * removed or demoted; disabling or deleting a user revokes the API tokens
 * they made, in the same transaction (auth/user-service.ts).
 */
export default async function userRoutes(app: FastifyInstance) {
  const audit = (
    req: { principal: Parameters<typeof actorName>[0] },
    action: string,
    target: string,
    after?: unknown,
  ) => app.repos.audit.record({ at: app.clock.now(), actor: actorName(req.principal), action, target, after });

  app.get(
    '/api/users',
    { config: { role: 'admin' }, schema: { tags: ['users'], response: { 200: Type.Array(UserSchema) } } },
    async () => app.repos.users.list(),
  );

  app.post<{ Body: Static<typeof CreateBody> }>(
    '/api/users',
    { config: { role: 'admin' }, schema: { tags: ['users'], body: CreateBody, response: { 201: UserSchema } } },
    async (req, reply) => {
      const user = await createUser(app.repos.users, req.body);
      await audit(req, 'user.create', `user:${user.username}`, { role: user.role });
      return reply.status(201).send(user);
    },
  );

  app.patch<{ Params: Static<typeof IdParams>; Body: Static<typeof PatchBody> }>(
    '/api/users/:id',
    {
      config: { role: 'admin' },
      schema: { tags: ['users'], params: IdParams, body: PatchBody, response: { 200: UserSchema } },
    },
    async (req) => {
      const user = await changeUser(app.database.db, req.params.id, req.body, {
        actor: actorName(req.principal),
        at: app.clock.now(),
      });
      // Tokens answer with the creator's role and need an enabled creator: drop what this process holds.
      if (req.body.role !== undefined || req.body.disabled !== undefined) app.tokenCache.forgetCreatedBy(user.id);
      return user;
    },
  );

  app.delete<{ Params: Static<typeof IdParams> }>(
    '/api/users/:id',
    { config: { role: 'admin' }, schema: { tags: ['users'], params: IdParams, response: { 204: Type.Null() } } },
    async (req, reply) => {
      const user = await deleteUser(app.database.db, req.params.id, {
        actor: actorName(req.principal),
        at: app.clock.now(),
      });
      app.tokenCache.forgetCreatedBy(user.id);
      return reply.status(204).send();
    },
  );
}
