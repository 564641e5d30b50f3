import { join } from 'node:path';
import { openDatabase } from '../db/client.ts';
import { lockDataDirOrExit } from './cli/data-dir-guard.ts';
import { buildApp } from './app.ts';
import { startAdminSocket, adminSocketPath } from './cli/admin-socket.ts';
import { ConfigError, loadConfig } from './config.ts';
import { RedisEventBus } from './events/redis-bus.ts';
import { RedisCommandRouter } from './ocpp/redis-router.ts';

/**
 * Entry: load config, open the database, listen; on SIGINT/SIGTERM stop
 * accepting, let in-flight requests finish, then close the database.
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

  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: pgDir });
  const redisError = (err: Error) => console.error(`redis: ${err.message}`);
  const events = config.redisUrl ? await RedisEventBus.connect(config.redisUrl, redisError) : undefined;
  const ocppRouter = config.redisUrl ? await RedisCommandRouter.connect(config.redisUrl, redisError) : undefined;
  const app = await buildApp(config, { database, events, ocppRouter });
  // PGlite is single-process: the admin command line reaches it through this socket.
  const adminSocket = embedded ? await startAdminSocket(adminSocketPath(config.dataDir), app) : undefined;

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 15_000).unref();
    try {
      await adminSocket?.close();
      await app.close(); // stops accepting, waits for in-flight requests, runs onClose hooks
      await database.close();
      clearTimeout(force);
      process.exit(0);
    } catch (err) {
      app.log.error({ err }, 'error during shutdown');
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  await app.listen({ port: config.port, host: config.host });
  app.log.info({ engine: database.engine, siteTz: config.siteTz }, 'chargeops ready');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
