import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { hashSecret } from '../../auth/password.ts';
import { MIN_PASSWORD_LENGTH, createUser } from '../../auth/user-service.ts';
import { AppError } from '../../errors.ts';
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
  { role: Type.Optional(RoleSchema), password: Type.Optional(Type.String({ minLength: MIN_PASSWORD_LENGTH })), disabled: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

/** User administration (SPEC §6, §8): admins only. The last admin cannot be removed or demoted. */
export default async function userRoutes(app: FastifyInstance) {
  const audit = (req: { principal: Parameters<typeof actorName>[0] }, action: string, target: string, after?: unknown) =>
    app.repos.audit.record({ at: app.clock.now(), actor: actorName(req.principal), action, target, after });

  app.get('/api/users', { config: { role: 'admin' }, schema: { tags: ['users'], response: { 200: Type.Array(UserSchema) } } }, async () => app.repos.users.list());

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
    { config: { role: 'admin' }, schema: { tags: ['users'], params: IdParams, body: PatchBody, response: { 200: UserSchema } } },
    async (req) => {
      const current = await app.repos.users.findById(req.params.id);
      if (!current) throw new AppError('NOT_FOUND', `No user ${req.params.id}`);
      const losesAdmin = current.role === 'admin' && ((req.body.role && req.body.role !== 'admin') || req.body.disabled === true);
      if (losesAdmin && (await app.repos.users.countAdmins()) <= 1) throw new AppError('CONFLICT', 'The last admin cannot be demoted or disabled');
      const patch = {
        ...(req.body.role ? { role: req.body.role } : {}),
        ...(req.body.disabled !== undefined ? { disabled: req.body.disabled } : {}),
        ...(req.body.password ? { passwordHash: await hashSecret(req.body.password) } : {}),
      };
      const user = (await app.repos.users.update(req.params.id, patch))!;
      // A changed password or a disabled account ends the user's sessions.
      if (req.body.password || req.body.disabled) await app.repos.sessions.removeForUser(user.id);
      await audit(req, 'user.update', `user:${user.username}`, { role: req.body.role, disabled: req.body.disabled, password: req.body.password ? 'changed' : undefined });
      return user;
    },
  );

  app.delete<{ Params: Static<typeof IdParams> }>(
    '/api/users/:id',
    { config: { role: 'admin' }, schema: { tags: ['users'], params: IdParams, response: { 204: Type.Null() } } },
    async (req, reply) => {
      const current = await app.repos.users.findById(req.params.id);
      if (!current) throw new AppError('NOT_FOUND', `No user ${req.params.id}`);
      if (current.role === 'admin' && (await app.repos.users.countAdmins()) <= 1) throw new AppError('CONFLICT', 'The last admin cannot be removed');
      await app.repos.users.remove(current.id);
      await audit(req, 'user.delete', `user:${current.username}`);
      return reply.status(204).send();
    },
  );
}
