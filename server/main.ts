import { join } from 'node:path';
import { openDatabase } from '../db/client.ts';
import { buildApp } from './app.ts';
import { startAdminSocket, adminSocketPath, isAdminSocketAlive } from './cli/admin-socket.ts';
import { ConfigError, loadConfig } from './config.ts';
import { RedisEventBus } from './events/redis-bus.ts';
import { startMetricsServer } from './metrics-server.ts';
import { RedisCommandRouter } from './ocpp/redis-router.ts';
import { shutdown } from './shutdown.ts';

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
  if (embedded && (await isAdminSocketAlive(adminSocketPath(config.dataDir)))) {
    console.error(`DATA_DIR ${config.dataDir} is in use by another running chargeops process`);
    process.exit(1);
  }

  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: pgDir, timeouts: config.db });
  const redisError = (err: Error) => console.error(`redis: ${err.message}`);
  const events = config.redisUrl ? await RedisEventBus.connect(config.redisUrl, redisError) : undefined;
  const ocppRouter = config.redisUrl ? await RedisCommandRouter.connect(config.redisUrl, redisError) : undefined;
  const app = await buildApp(config, { database, events, ocppRouter });
  // PGlite is single-process: the admin command line reaches it through this socket.
  const adminSocket = embedded ? await startAdminSocket(adminSocketPath(config.dataDir), app) : undefined;

  let metricsServer: Awaited<ReturnType<typeof startMetricsServer>> | undefined;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    process.exit(await shutdown({ app, database, before: [() => metricsServer?.close(), () => adminSocket?.close()], boundMs: config.shutdownTimeoutMs }));
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  await app.listen({ port: config.port, host: config.host });
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
