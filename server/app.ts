import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Database } from '../db/client.ts';
import authRoutes from './api/auth/routes.ts';
import batteryRoutes from './battery/index.ts';
import healthRoutes from './api/health/routes.ts';
import seedRoutes from './api/seed/index.ts';
import settingsRoutes from './api/settings/routes.ts';
import tokenRoutes from './api/tokens/routes.ts';
import transactionRoutes from './api/transactions/routes.ts';
import userRoutes from './api/users/routes.ts';
import { systemClock, type Clock } from './clock.ts';
import type { Config } from './config.ts';
import { proxyTrust } from './auth/client-address.ts';
import { LocalEventBus, type EventBus } from './events/bus.ts';
import livePush from './live/live-push.ts';
import authPlugin from './plugins/auth.ts';
import errorHandler from './plugins/error-handler.ts';
import metricsPlugin from './plugins/metrics.ts';
import openapiPlugin from './plugins/openapi.ts';
import reposPlugin from './plugins/repos.ts';
import upgradesPlugin from './plugins/upgrades.ts';
import ocppFeature from './ocpp/feature.ts';
import webPlugin from './web/plugin.ts';
import type { RedisCommandRouter } from './ocpp/redis-router.ts';

export interface AppDeps {
  database: Database;
  clock?: Clock;
  /** Pino options or false; tests pass false. */
  logger?: FastifyServerOptions['logger'];
  /** Charger event stream; in-process unless scale-out supplies a shared one. */
  events?: EventBus;
  /** Scale-out: forwards commands to chargers held by other processes (closed with the app). */
  ocppRouter?: RedisCommandRouter;
  /** How an authentication refusal waits out its floor (auth/refusal-floor.ts); tests record instead of sleeping. */
  sleep?: (ms: number) => Promise<void>;
}

export interface RouteEntry {
  method: string;
  url: string;
  public: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    events: EventBus;
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
    // Only the configured proxies may name the client (X-Forwarded-For); the
    // guessing throttle counts per client address (auth/failure-throttle.ts).
    trustProxy: config.trustProxy.length ? proxyTrust(config.trustProxy) : false,
  });

  app.decorate('routeTable', [] as RouteEntry[]);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      app.routeTable.push({ method, url: route.url, public: route.config?.public === true });
    }
  });

  app.decorate('events', deps.events ?? new LocalEventBus());
  app.addHook('onClose', async () => app.events.close());
  await app.register(reposPlugin, { config, clock: deps.clock ?? systemClock, database: deps.database });
  await app.register(errorHandler);
  await app.register(cookie);
  await app.register(formbody);
  await app.register(metricsPlugin);
  await app.register(openapiPlugin);
  await app.register(authPlugin, { sleep: deps.sleep });
  await app.register(upgradesPlugin);

  await app.register(healthRoutes);
  await app.register(authRoutes);
  await app.register(tokenRoutes);
  await app.register(userRoutes);
  await app.register(settingsRoutes);
  await app.register(batteryRoutes);
  await app.register(ocppFeature, { router: deps.ocppRouter });
  await app.register(seedRoutes);
  await app.register(transactionRoutes);
  await app.register(livePush);
  await app.register(webPlugin);

  return app;
}
