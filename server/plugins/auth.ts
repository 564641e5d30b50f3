import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Role } from '../../db/schema/index.ts';
import { sha256 } from '../auth/opaque-token.ts';
import { RefusalFloor, type Sleep } from '../auth/refusal-floor.ts';
import { TokenCache } from '../auth/token-cache.ts';
import { AppError } from '../errors.ts';

export const SESSION_COOKIE = 'chargeops_session';

/** Who is calling: a logged-in user or an API token, with the role that governs what they may do. */
export interface Principal {
  kind: 'user' | 'token';
  id: number;
  name: string;
  role: Role;
  /** The user who answers for it: the user, or the user who made the token. */
  userId: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Resolves credentials from raw headers; for WebSocket handshakes outside the router. */
    identify(headers: { authorization?: string | undefined; cookie?: string | undefined }): Promise<Principal | null>;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyInstance {
    /** Recently seen API tokens; the revoke route calls `forget`. */
    tokenCache: TokenCache;
    /** Holds every login and OCPP handshake refusal to the same answer time. */
    refusalFloor: RefusalFloor;
  }
  interface FastifyContextConfig {
    /** Least role that may call the route. Protected routes without one need admin (fail closed). */
    role?: Role;
    /** Answers without credentials; only the documented allow-list may set this. */
    public?: boolean;
  }
}

const RANK: Record<Role, number> = { viewer: 1, operator: 2, admin: 3 };

export function roleAllows(have: Role, need: Role): boolean {
  return RANK[have] >= RANK[need];
}

/** Every route under these prefixes needs credentials (docs/PRODUCT.md §8). */
const PROTECTED = /^\/(?:api|bmw|batteryInfo)(?:\/|$|\?)/;

export function isProtectedPath(url: string): boolean {
  return PROTECTED.test(url);
}

/** A bearer-token caller; such a request is judged by its token alone, never by a cookie it may also carry. */
export function isBearer(authorization: string | undefined): authorization is string {
  return authorization?.startsWith('Bearer ') === true;
}

/** "who" as the audit log and battery history record it. */
export function actorName(p: Principal | null): string {
  if (!p) return 'anonymous';
  return p.kind === 'user' ? `user:${p.name}` : `token:${p.name}`;
}

async function authPlugin(app: FastifyInstance, opts: { sleep?: Sleep | undefined }) {
  app.decorateRequest('principal', null);
  app.decorate('tokenCache', new TokenCache());
  app.decorate('refusalFloor', new RefusalFloor(app.clock, opts.sleep));

  async function identify(req: Pick<FastifyRequest, 'headers' | 'cookies'>): Promise<Principal | null> {
    const header = req.headers.authorization;
    if (isBearer(header)) {
      const hash = sha256(header.slice(7).trim());
      const now = app.clock.now();
      let token = app.tokenCache.get(hash, now.getTime());
      if (!token) {
        const epoch = app.tokenCache.epoch;
        token = await app.repos.tokens.findActive(hash);
        if (!token) return null;
        app.tokenCache.put(hash, token, now.getTime(), epoch);
      }
      // last-used is informative; never fail a request over it
      if (app.tokenCache.shouldTouch(token.id, now.getTime())) app.repos.tokens.touch(token.id, now).catch(() => {});
      // findActive only answers tokens with an enabled creator, at most at the creator's role.
      return { kind: 'token', id: token.id, name: token.name, role: token.role, userId: token.createdBy! };
    }
    const cookie = req.cookies?.[SESSION_COOKIE];
    if (cookie) {
      const user = await app.repos.sessions.findUser(sha256(cookie), app.clock.now());
      if (user) return { kind: 'user', id: user.id, name: user.username, role: user.role, userId: user.id };
    }
    return null;
  }

  app.decorate('identify', (headers: { authorization?: string | undefined; cookie?: string | undefined }) =>
    identify({ headers, cookies: headers.cookie ? app.parseCookie(headers.cookie) : {} } as Pick<
      FastifyRequest,
      'headers' | 'cookies'
    >),
  );

  app.addHook('onRequest', async (req) => {
    const config = req.routeOptions.config;
    const isProtected = isProtectedPath(req.url) && config?.public !== true;
    if (!isProtected && !req.headers.authorization && !req.cookies?.[SESSION_COOKIE]) return;
    req.principal = await identify(req);
    if (!isProtected) return;
    if (!req.principal) throw new AppError('UNAUTHENTICATED');
    // Matched routes without a declared role need admin (fail closed); an
    // unmatched path only needs a login to learn that it does not exist.
    const need = config?.role ?? (req.routeOptions.url ? 'admin' : 'viewer');
    if (!roleAllows(req.principal.role, need)) throw new AppError('FORBIDDEN', `This needs the ${need} role`);
  });
}

export default fp(authPlugin, { name: 'auth', dependencies: ['repos'] });
