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
 * Now: requests and onClose hooks get half the bound to finish (most end
 * sooner: requests answer by REQUEST_TIMEOUT_MS), then HTTP and database
 * connections are cut; otherwise the database closes with a quarter of the
 * bound as grace before frozen connections are destroyed (db/client.ts).
 * Should anything else hang, the process still exits at the bound, with
 * status 1. Resolves with the exit status.
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
    // Half-way through the bound, whatever still waits is cut: open HTTP
    // connections, and database connections (which fails the queries that
    // requests, handlers and onClose hooks such as the battery cache warm-up
    // are waiting on, so they finish).
    let closingDb: Promise<void> | undefined;
    const cut = setTimeout(() => {
      app.server.closeAllConnections();
      closingDb = database.close(0);
      closingDb.catch(() => {});
    }, boundMs / 2);
    try {
      await app.close(); // stops accepting, closes chargers' sockets (preClose), waits for requests, runs onClose hooks
    } finally {
      clearTimeout(cut);
    }
    app.log.info('http and ocpp closed');
    await (closingDb ?? database.close(boundMs / 4));
    app.log.info('database closed');
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
