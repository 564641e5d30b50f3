import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Database } from '../db/client.ts';
import authRoutes from './api/auth/routes.ts';
import healthRoutes from './api/health/routes.ts';
import settingsRoutes from './api/settings/routes.ts';
import tokenRoutes from './api/tokens/routes.ts';
import userRoutes from './api/users/routes.ts';
import { systemClock, type Clock } from './clock.ts';
import type { Config } from './config.ts';
import authPlugin from './plugins/auth.ts';
import errorHandler from './plugins/error-handler.ts';
import metricsPlugin from './plugins/metrics.ts';
import openapiPlugin from './plugins/openapi.ts';
import reposPlugin from './plugins/repos.ts';
import webPlugin from './web/plugin.ts';

export interface AppDeps {
  database: Database;
  clock?: Clock;
  /** Pino options or false; tests pass false. */
  logger?: FastifyServerOptions['logger'];
  /** How login back-off waits; tests record instead of sleeping. */
  sleep?: (ms: number) => Promise<void>;
}

export interface RouteEntry {
  method: string;
  url: string;
  public: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route as registered, for the access test and the docs. */
    routeTable: RouteEntry[];
  }
}

/**
 * Builds the whole application as one Fastify instance. The entry file only
 * loads config, opens the database, listens and shuts down; tests build the
 * same app and call `app.inject()`.
 */
export async function buildApp(config: Config, deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger ?? { level: config.logLevel },
    routerOptions: { ignoreTrailingSlash: true },
    bodyLimit: 1024 * 1024,
    trustProxy: false,
  });

  app.decorate('routeTable', [] as RouteEntry[]);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      app.routeTable.push({ method, url: route.url, public: route.config?.public === true });
    }
  });

  await app.register(reposPlugin, { config, clock: deps.clock ?? systemClock, database: deps.database });
  await app.register(errorHandler);
  await app.register(cookie);
  await app.register(formbody);
  await app.register(metricsPlugin);
  await app.register(openapiPlugin);
  await app.register(authPlugin);

  await app.register(healthRoutes);
  await app.register(authRoutes, { sleep: deps.sleep });
  await app.register(tokenRoutes);
  await app.register(userRoutes);
  await app.register(settingsRoutes);
  await app.register(webPlugin);

  return app;
}
