import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/client.ts';

export interface ShutdownParts {
  app: FastifyInstance;
  database: Database;
  /** Listeners to stop first (admin socket, metrics listener). */
  before: (() => unknown)[];
  /** SHUTDOWN_TIMEOUT_MS. */
  boundMs: number;
}

/**
 * Stops within `boundMs` even with frozen database connections, which is what
 * used to hang SIGTERM: `app.close()` waits for every open HTTP request, and a
 * request waiting on a frozen connection never ended; `pool.end()` waits for
 * every checked-out client, and one held by a frozen query was never returned.
 * Now: requests get half the bound to finish (most end sooner: they answer by
 * REQUEST_TIMEOUT_MS), then their connections are cut; the database closes with
 * its own grace, after which frozen connections are destroyed
 * (db/client.ts). Should anything else hang, the process still exits at the
 * bound, with status 1. Resolves with the exit status.
 */
export async function shutdown({ app, database, before, boundMs }: ShutdownParts): Promise<number> {
  let forced: NodeJS.Timeout | undefined;
  const bound = new Promise<number>((resolve) => {
    forced = setTimeout(() => {
      app.log.error({ boundMs }, 'shutdown did not finish within its bound; exiting');
      resolve(1);
    }, boundMs);
  });
  const orderly = (async () => {
    for (const stop of before) await stop();
    const cut = setTimeout(() => app.server.closeAllConnections(), boundMs / 2);
    try {
      await app.close(); // stops accepting, closes chargers' sockets (preClose), waits for requests, runs onClose hooks
    } finally {
      clearTimeout(cut);
    }
    await database.close();
    return 0;
  })().catch((err: unknown) => {
    app.log.error({ err }, 'error during shutdown');
    return 1;
  });
  try {
    return await Promise.race([orderly, bound]);
  } finally {
    clearTimeout(forced);
  }
}
