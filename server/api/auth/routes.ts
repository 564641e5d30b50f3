import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { FailureThrottle } from '../../auth/failure-throttle.ts';
import { newOpaqueToken, sha256 } from '../../auth/opaque-token.ts';
import { unmatchableHash, verifySecret } from '../../auth/password.ts';
import { AppError } from '../../errors.ts';
import { SESSION_COOKIE } from '../../plugins/auth.ts';
import { PrincipalSchema } from './schemas.ts';

/** 429 with the pair's or address's remaining wait, answered as Retry-After (plugins/error-handler.ts). */
function tooManyAttempts(retryAfterMs: number): AppError {
  return new AppError('TOO_MANY_ATTEMPTS', undefined, undefined, {
    retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)),
  });
}

const LoginBody = Type.Object(
  { username: Type.String({ minLength: 1, maxLength: 100 }), password: Type.String({ minLength: 1, maxLength: 1000 }) },
  { additionalProperties: false },
);

/**
 * Log in and out with a session cookie (docs/PRODUCT.md §8). Guessing is throttled per
 * (username, address) and capped per address (auth/failure-throttle.ts), and
 * every refusal, unknown user, wrong password, disabled account or throttled,
 * is answered at the same floor (auth/refusal-floor.ts), so its timing does
 * not tell which usernames exist.
 */
export default async function authRoutes(app: FastifyInstance) {
  const throttle = new FailureThrottle(app.clock);

  app.post<{ Body: Static<typeof LoginBody> }>(
    '/api/auth/login',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary: 'Log in; sets the session cookie',
        body: LoginBody,
        response: { 200: PrincipalSchema },
      },
    },
    async (req, reply) => {
      const started = app.refusalFloor.start();
      const { username, password } = req.body;
      const who = username.toLowerCase();
      const verdict = throttle.check(who, req.ip);
      if (!verdict.allowed) {
        await app.refusalFloor.hold(started);
        throw tooManyAttempts(verdict.retryAfterMs);
      }
      const user = await app.repos.users.findByUsername(username);
      // An unknown user pays the same one scrypt as a wrong password.
      const ok = await verifySecret(password, user?.passwordHash ?? unmatchableHash());
      if (!user || !ok || user.disabled) {
        throttle.fail(who, req.ip);
        await app.refusalFloor.hold(started);
        throw new AppError('INVALID_CREDENTIALS');
      }
      throttle.succeed(who, req.ip);
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

  app.post(
    '/api/auth/logout',
    { config: { public: true }, schema: { tags: ['auth'], summary: 'Log out', response: { 204: Type.Null() } } },
    async (req, reply) => {
      const cookie = req.cookies[SESSION_COOKIE];
      if (cookie) await app.repos.sessions.remove(sha256(cookie));
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/auth/me',
    {
      config: { role: 'viewer' },
      schema: { tags: ['auth'], summary: 'Who is logged in', response: { 200: PrincipalSchema } },
    },
    async (req) => req.principal!,
  );
}
