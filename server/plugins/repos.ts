import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Database } from '../../db/client.ts';
import { createRepositories, type Repositories } from '../../db/repositories/index.ts';
import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    clock: Clock;
    database: Database;
    repos: Repositories;
  }
}

/** Makes config, clock, database and repositories reachable from every route. */
async function reposPlugin(app: FastifyInstance, opts: { config: Config; clock: Clock; database: Database }) {
  app.decorate('config', opts.config);
  app.decorate('clock', opts.clock);
  app.decorate('database', opts.database);
  app.decorate('repos', createRepositories(opts.database.db));
}

export default fp(reposPlugin, { name: 'repos' });
