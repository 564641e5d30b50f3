import { join } from 'node:path';
import { openDatabase } from '../db/client.ts';
import { lockDataDirOrExit } from './cli/data-dir-guard.ts';
import { buildApp } from './app.ts';
import { startAdminSocket, adminSocketPath } from './cli/admin-socket.ts';
import { ConfigError, loadConfig } from './config.ts';
import { RedisEventBus } from './events/redis-bus.ts';
import { startMetricsServer } from './metrics-server.ts';
import { RedisCommandRouter } from './ocpp/redis-router.ts';
import { shutdown } from './shutdown.ts';

/** EX_SOFTWARE (sysexits.h): the process stopped itself after an internal error; a supervisor restarts it. */
const EXIT_INTERNAL_ERROR = 70;

/** How the process stops once it runs; before the app exists there is nothing to drain. */
let stop: ((reason: string, code: number) => Promise<void>) | undefined;
let log: { error(obj: object, msg: string): void; fatal(obj: object, msg: string): void } = {
  error: (obj, msg) => console.error(msg, obj),
  fatal: (obj, msg) => console.error(msg, obj),
};

// A rejected promise nobody awaited tore down nothing shared: its own chain is
// simply gone, and every request and socket handles its own failures. Log it
// (it is a bug to fix) and keep serving the chargers.
process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled promise rejection'));

// After an uncaught exception Node's documentation says the process is in an
// undefined state (a throw may have left any half-done update behind) and it
// must not resume: stop through the normal graceful shutdown, so chargers are
// told and the database is closed cleanly, and exit non-zero so the
// supervisor (systemd Restart=on-failure, Docker restart policy) restarts it.
process.on('uncaughtException', (err) => {
  log.fatal({ err }, 'uncaught exception; shutting down');
  if (stop) void stop('uncaughtException', EXIT_INTERNAL_ERROR);
  else process.exit(EXIT_INTERNAL_ERROR);
});

/**
 * Entry: load config, open the database, listen; on SIGINT/SIGTERM stop
 * accepting, let in-flight requests finish, then close the database, all
 * within SHUTDOWN_TIMEOUT_MS (shutdown.ts).
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }

  const embedded = !config.databaseUrl;
  const pgDir = join(config.dataDir, 'pgdata');
  if (embedded) await lockDataDirOrExit(config.dataDir); // held until the process ends

  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: pgDir,
    timeouts: config.db,
    poolSize: config.databasePoolSize,
  });
  const redisError = (err: Error) => console.error(`redis: ${err.message}`);
  const events = config.redisUrl ? await RedisEventBus.connect(config.redisUrl, redisError) : undefined;
  const ocppRouter = config.redisUrl ? await RedisCommandRouter.connect(config.redisUrl, redisError) : undefined;
  const app = await buildApp(config, { database, events, ocppRouter });
  // PGlite is single-process: the admin command line reaches it through this socket.
  const adminSocket = embedded ? await startAdminSocket(adminSocketPath(config.dataDir), app) : undefined;

  log = app.log;
  let metricsServer: Awaited<ReturnType<typeof startMetricsServer>> | undefined;
  let stopping = false;
  const stopNow = async (signal: string, code = 0) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    const result = await shutdown({
      app,
      database,
      before: [() => metricsServer?.close(), () => adminSocket?.close()],
      boundMs: config.shutdownTimeoutMs,
    });
    process.exit(code || result);
  };
  stop = stopNow;
  process.on('SIGINT', () => void stopNow('SIGINT'));
  process.on('SIGTERM', () => void stopNow('SIGTERM'));

  await app.listen({ port: config.port, host: config.host, backlog: config.limits.listenBacklog });
  if (config.metricsPort !== undefined) {
    metricsServer = await startMetricsServer(app.metrics, config.metricsHost, config.metricsPort);
    app.log.info({ host: config.metricsHost, port: metricsServer.port }, 'metrics listening');
  }
  app.log.info({ engine: database.engine, siteTz: config.siteTz }, 'chargeops ready');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
