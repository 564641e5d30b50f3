import cookie from '@fastify/cookie';
import { buildValidator } from './body-validation.ts';
import Fastify, { type FastifyInstance, type FastifySchema, type FastifyServerOptions } from 'fastify';
import type { Database } from '../db/client.ts';
import alertRoutes from './api/alerts/routes.ts';
import authRoutes from './api/auth/routes.ts';
import circuitRoutes from './api/circuits/routes.ts';
import batteryRoutes from './battery/index.ts';
import healthRoutes from './api/health/routes.ts';
import seedRoutes from './api/seed/index.ts';
import settingsRoutes from './api/settings/routes.ts';
import tokenRoutes from './api/tokens/routes.ts';
import transactionRoutes from './api/transactions/routes.ts';
import energyReviewRoutes from './api/transactions/energy-review.ts';
import signedReadingRoutes from './api/transactions/signed-readings.ts';
import sessionRoutes from './api/transactions/session.ts';
import userRoutes from './api/users/routes.ts';
import { systemClock, type Clock } from './clock.ts';
import type { Config } from './config.ts';
import { proxyTrust } from './auth/client-address.ts';
import { LocalEventBus, type EventBus } from './events/bus.ts';
import livePush from './live/live-push.ts';
import alertsPlugin from './alerts/plugin.ts';
import loadPlugin from './load/plugin.ts';
import loadRoutes from './api/load/routes.ts';
import authPlugin from './plugins/auth.ts';
import deadlinePlugin from './plugins/deadline.ts';
import compressionPlugin from './plugins/compression.ts';
import csrfPlugin from './plugins/csrf.ts';
import errorHandler from './plugins/error-handler.ts';
import metricsPlugin from './plugins/metrics.ts';
import openapiPlugin from './plugins/openapi.ts';
import reposPlugin from './plugins/repos.ts';
import textInputPlugin from './plugins/text-input.ts';
import upgradesPlugin from './plugins/upgrades.ts';
import connectionLimits from './plugins/connection-limits.ts';
import { httpServerOptions } from './http-limits.ts';
import ocppFeature from './ocpp/feature.ts';
import loadLeadership from './load/leadership-plugin.ts';
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
  /** The route's schema (params, querystring, body), so tests can reach every declared input. */
  schema?: FastifySchema | undefined;
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
    // Fastify's default (removeAdditional: true) drops body fields a schema does
    // not list without a word, so a misspelt field answered 200 and changed
    // nothing. Unknown fields are refused with a 400 naming them instead;
    // verbose keeps the schema on each error so all of them can be named.
    ajv: { customOptions: { removeAdditional: false, verbose: true } },
    // A JSON body is validated without type coercion (body-validation.ts).
    schemaController: { compilersFactory: { buildValidator } },
    // Slow clients: header, body and idle timeouts (http-limits.ts has the reasons for each).
    ...httpServerOptions(config.limits),
  });
  // JSON only, app-wide: a form (urlencoded, multipart or text/plain) is what a
  // foreign page can post without CORS. The seed's settings form is the one
  // route that registers a form parser (api/settings/routes.ts).
  app.removeContentTypeParser('text/plain');

  app.decorate('routeTable', [] as RouteEntry[]);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      app.routeTable.push({ method, url: route.url, public: route.config?.public === true, schema: route.schema });
    }
  });

  app.decorate('events', deps.events ?? new LocalEventBus());
  app.addHook('onClose', async () => app.events.close());
  await app.register(reposPlugin, { config, clock: deps.clock ?? systemClock, database: deps.database });
  await app.register(errorHandler);
  await app.register(cookie);
  await app.register(csrfPlugin);
  await app.register(metricsPlugin);
  // Before every route: its onSend hook must apply to all of them (plugins/compression.ts).
  await app.register(compressionPlugin);
  // Before auth: the deadline clock must run while authentication waits on the database.
  await app.register(deadlinePlugin);
  await app.register(connectionLimits);
  await app.register(openapiPlugin);
  await app.register(authPlugin, { sleep: deps.sleep });
  await app.register(textInputPlugin);
  await app.register(upgradesPlugin);

  await app.register(healthRoutes);
  await app.register(authRoutes);
  await app.register(tokenRoutes);
  await app.register(userRoutes);
  await app.register(settingsRoutes);
  await app.register(batteryRoutes);
  // Before the features that act on the site's load: they ask it whether this process leads.
  await app.register(loadLeadership);
  // Before the features whose events raise alerts, so it hears their first ones.
  await app.register(alertsPlugin);
  await app.register(ocppFeature, { router: deps.ocppRouter });
  await app.register(circuitRoutes);
  await app.register(loadPlugin);
  await app.register(loadRoutes);
  await app.register(seedRoutes);
  await app.register(transactionRoutes);
  await app.register(signedReadingRoutes);
  await app.register(sessionRoutes);
  await app.register(energyReviewRoutes);
  await app.register(alertRoutes);
  await app.register(livePush);
  await app.register(webPlugin);

  return app;
}
