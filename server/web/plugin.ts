import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** Dashboard pages (docs/PRODUCT.md §6); each answers the single-page app, which picks the page from the path. */
export const PAGE_PATHS = [
  '/overview/',
  '/details/',
  '/sessions/',
  '/settings/',
  '/devices/',
  '/load/',
  '/alerts/',
  '/batteries/',
  '/login/',
  '/users/',
] as const;

export const DEFAULT_DIST_DIR = resolve(import.meta.dirname, '../../web/dist');

const NOT_BUILT = (dir: string) =>
  `<!doctype html><meta charset="utf-8"><title>chargeops</title>
<h1>The dashboard is not built</h1>
<p>No web build in <code>${dir}</code>. Run <code>npm run build:web</code> (or <code>npm start</code>, which builds it when missing), then reload.</p>`;

/**
 * Serves the built dashboard (web/dist): hashed files under /assets/ with a
 * long cache life, and index.html at every page path. The page shells are
 * public (test/server/api/access.test.ts allow-list); their data comes from
 * the protected API, and the app sends anonymous visitors to /login/.
 * Without a build the server still starts and each page says how to build.
 */
export default async function webPlugin(app: FastifyInstance, opts: { distDir?: string }) {
  const dist = opts.distDir ?? DEFAULT_DIST_DIR;
  const indexFile = join(dist, 'index.html');
  let index: string | null = null;
  const readIndex = () => {
    // Read once the build exists; a build made after start-up is picked up without a restart.
    if (index === null && existsSync(indexFile)) index = readFileSync(indexFile, 'utf8');
    return index;
  };
  if (!readIndex()) app.log.warn(`dashboard not built (${dist} missing): run "npm run build:web"`);

  await app.register(fastifyStatic, {
    root: join(dist, 'assets'),
    prefix: '/assets/',
    wildcard: true,
    index: false,
    immutable: true,
    maxAge: '365d',
  });

  const sendPage = (reply: FastifyReply) => {
    const html = readIndex();
    reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8');
    return html ? reply.send(html) : reply.status(503).send(NOT_BUILT(dist));
  };
  for (const path of PAGE_PATHS) {
    app.get(path, { schema: { hide: true } }, async (_req, reply) => sendPage(reply));
  }
  // A session's page (web/src/routes.ts): the app reads the id from the path.
  app.get('/sessions/:id(^\\d+)/', { schema: { hide: true } }, async (_req, reply) => sendPage(reply));
  app.get('/', { schema: { hide: true } }, async (_req, reply) => reply.redirect('/overview/'));
}
