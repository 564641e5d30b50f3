import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { checkSameOrigin } from '../auth/same-origin.ts';
import { AppError } from '../errors.ts';
import { SESSION_COOKIE, isBearer } from './auth.ts';

/** Methods that change nothing (RFC 9110 §9.2.1); cross-origin pages cannot read their answers either. */
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

declare module 'fastify' {
  interface FastifyInstance {
    /** ALLOWED_ORIGINS as a set, for the REST hook and the live WebSocket handshake. */
    allowedOrigins: ReadonlySet<string>;
  }
}

/**
 * Refuses cross-site request forgery (403 CROSS_ORIGIN_REFUSED) before any
 * credential is looked up: a state-changing request that carries the session
 * cookie must come from a page of this site (auth/same-origin.ts).
 *
 * Why an Origin check and not also @fastify/csrf-protection's tokens: the
 * dashboard is served from the API's own origin, every browser it supports
 * sends Origin on the requests that matter, and a token would have to be
 * fetched and echoed by the seed's legacy settings form and scripts, which
 * cannot. Tokens add a secret, state and a second failure mode for no request
 * the Origin check lets through. Bearer-token callers are not checked: a page
 * cannot make a browser add an Authorization header to another origin without
 * CORS, which this server does not grant, so there is nothing to borrow.
 *
 * A cookie-less request with a foreign Origin is refused as well: that is a
 * page logging the browser in to an account of its choosing (login CSRF).
 */
async function csrfPlugin(app: FastifyInstance) {
  app.decorate('allowedOrigins', new Set(app.config.allowedOrigins) as ReadonlySet<string>);

  app.addHook('onRequest', async (req: FastifyRequest) => {
    if (SAFE.has(req.method)) return;
    if (isBearer(req.headers.authorization)) return;
    const hasSession = req.cookies?.[SESSION_COOKIE] !== undefined;
    if (!hasSession && req.headers.origin === undefined) return; // a tool without a browser session
    const verdict = checkSameOrigin(req.headers, req.protocol === 'https' ? 'https' : 'http', app.allowedOrigins);
    if (!verdict.ok) throw new AppError('CROSS_ORIGIN_REFUSED', verdict.reason);
  });
}

export default fp(csrfPlugin, { name: 'csrf', dependencies: ['repos', '@fastify/cookie'] });
