import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import chargerRoutes from '../api/chargers/routes.ts';
import commandRoutes from '../api/commands/routes.ts';
import idTagRoutes from '../api/id-tags/routes.ts';
import messageRoutes from '../api/messages/routes.ts';
import messageLog from './message-log/plugin.ts';
import type { RedisCommandRouter } from './redis-router.ts';
import ocppServer from './server.ts';

/** The OCPP feature as one registration in app.ts: the central system and its REST API. */
async function ocppFeature(app: FastifyInstance, opts: { router?: RedisCommandRouter | undefined }) {
  // Before the central system: each socket is attached to the log as it opens.
  await app.register(messageLog);
  await app.register(ocppServer, { router: opts.router });
  await app.register(chargerRoutes);
  await app.register(idTagRoutes);
  await app.register(commandRoutes);
  await app.register(messageRoutes);
}

export default fp(ocppFeature, { name: 'ocpp-feature' });
