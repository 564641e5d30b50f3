import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { LoginThrottle } from '../../auth/login-throttle.ts';
import { newOpaqueToken, sha256 } from '../../auth/opaque-token.ts';
import { dummySecretHash, verifySecret } from '../../auth/password.ts';
import { AppError } from '../../errors.ts';
import { SESSION_COOKIE } from '../../plugins/auth.ts';
import { PrincipalSchema } from './schemas.ts';

const LoginBody = Type.Object(
  { username: Type.String({ minLength: 1, maxLength: 100 }), password: Type.String({ minLength: 1, maxLength: 1000 }) },
  { additionalProperties: false },
);

/** Log in and out with a session cookie (SPEC §8). */
export default async function authRoutes(app: FastifyInstance, opts: { sleep?: ((ms: number) => Promise<void>) | undefined }) {
  const throttle = new LoginThrottle(app.clock, opts.sleep);

  app.post<{ Body: Static<typeof LoginBody> }>(
    '/api/auth/login',
    {
      config: { public: true },
      schema: { tags: ['auth'], summary: 'Log in; sets the session cookie', body: LoginBody, response: { 200: PrincipalSchema } },
    },
    async (req, reply) => {
      const { username, password } = req.body;
      const keys = [`u:${username.toLowerCase()}`, `ip:${req.ip}`];
      if (throttle.locked(keys)) throw new AppError('TOO_MANY_ATTEMPTS');
      await throttle.wait(keys);
      const user = await app.repos.users.findByUsername(username);
      // Compare against a dummy hash for unknown users so timing does not reveal who exists.
      const ok = await verifySecret(password, user?.passwordHash ?? (await dummySecretHash()));
      if (!user || !ok || user.disabled) {
        throttle.fail(keys);
        throw new AppError('INVALID_CREDENTIALS');
      }
      throttle.succeed(keys);
      const now = app.clock.now();
      const token = newOpaqueToken('s_');
      const expiresAt = new Date(now.getTime() + app.config.sessionTtlHours * 3600_000);
      await app.repos.sessions.create({ idHash: sha256(token), userId: user.id, createdAt: now, expiresAt });
      await app.repos.users.update(user.id, { lastLoginAt: now });
      reply.setCookie(SESSION_COOKIE, token, {
        path: '/',
        httpOnly: true,
        // Strict: the dashboard never needs its session on a navigation from
        // another site (its pages load without one, then fetch same-site).
        // SameSite cannot stop a page of the same site (another port or
        // subdomain): plugins/csrf.ts checks Origin for that.
        sameSite: 'strict',
        secure: app.config.cookieSecure,
        expires: expiresAt,
      });
      return { kind: 'user', id: user.id, name: user.username, role: user.role };
    },
  );

  app.post('/api/auth/logout', { config: { public: true }, schema: { tags: ['auth'], summary: 'Log out', response: { 204: Type.Null() } } }, async (req, reply) => {
    const cookie = req.cookies[SESSION_COOKIE];
    if (cookie) await app.repos.sessions.remove(sha256(cookie));
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send();
  });

  app.get('/api/auth/me', { config: { role: 'viewer' }, schema: { tags: ['auth'], summary: 'Who is logged in', response: { 200: PrincipalSchema } } }, async (req) => req.principal!);
}
