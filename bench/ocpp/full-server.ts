import { onInterrupt, startChargeops, type RunningServer } from './storm/processes.ts';
import { seedSite, type Engine } from './storm/seed.ts';

export type { Engine };
export const ENGINE_NAMES: Record<Engine, string> = { pg: 'PostgreSQL', pglite: 'PGlite' };

export interface FullServer extends RunningServer {
  secret: string;
}

/**
 * The real server (`server/main.ts`) in its own process on a throwaway
 * database of either engine (PostgreSQL: db/scratch-database.ts, dropped in
 * stop(); PGlite: a temporary DATA_DIR), with N chargers registered up
 * front, each with its own idTag `TAG<id>` on the authorization list
 * (OCPP 1.6 §4.1) so its sessions are Accepted. One secret for all: one
 * scrypt hash instead of ten thousand (storm/seed.ts). With
 * BENCH_CPU_PROF_DIR set, the server writes a V8 CPU profile there on exit.
 */
export async function startFullServer(
  engine: Engine,
  pgAdminUrl: string,
  chargers: number,
  prefix: string,
  env: Record<string, string> = {},
): Promise<FullServer> {
  const site = await seedSite(engine, pgAdminUrl, chargers, prefix, false, (repos, id, at) =>
    repos.idTags.create({ idTag: `TAG${id}` }, at),
  );
  const forget = onInterrupt(() => site.drop());
  let server: RunningServer;
  try {
    server = await startChargeops({ ...site.env, ...env }, process.env.BENCH_CPU_PROF_DIR || undefined);
  } catch (err) {
    forget();
    await site.drop();
    throw err;
  }
  return {
    ...server,
    secret: site.secret,
    async stop() {
      await server.stop();
      forget();
      await site.drop();
    },
  };
}
