import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { GuardedPool } from './guarded-pool.ts';
import type { PgTimeouts } from './timeouts.ts';
import * as schema from './schema/index.ts';

export type Schema = typeof schema;
/** The one database type the repositories see, whichever engine is underneath. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
/** A transaction handle has the same query surface as the database. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

export interface Database {
  db: Db;
  engine: 'pglite' | 'postgres';
  /** The embedded engine, when it is the one in use. */
  pglite?: PGlite;
  /** Cheap round trip used by /healthz. */
  ping(): Promise<void>;
  /** PostgreSQL only: the pool's connections, for /healthz details. */
  poolStats?(): { total: number; idle: number; waiting: number };
  /** Bounded on PostgreSQL: connections still checked out after `graceMs` (default 2 s) are destroyed. */
  close(graceMs?: number): Promise<void>;
}

export const MIGRATIONS_FOLDER = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

// Serialises migrations when several processes start against one PostgreSQL.
const MIGRATION_LOCK_KEY = 727_001;

export interface OpenOptions {
  /** postgres://… selects PostgreSQL; otherwise PGlite. */
  databaseUrl?: string | undefined;
  /** PGlite data directory; undefined means in memory (tests). */
  dataDir?: string | undefined;
  poolSize?: number;
  /**
   * PostgreSQL only. The server passes the configured ones (DEFAULT_PG_TIMEOUTS
   * unless set); absent, nothing is bounded, for bulk writers (the demo's
   * history, the benchmarks' seeding) whose single statements run long.
   */
  timeouts?: PgTimeouts | undefined;
  /** PGlite only: start from this dumped data directory (tests use a migrated template). */
  template?: Blob;
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl, opts.poolSize ?? 10, opts.timeouts);
  return openPglite(opts.dataDir, opts.template);
}

async function openPglite(dataDir: string | undefined, template: Blob | undefined): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const client = new PGlite({ ...(dataDir ? { dataDir } : {}), ...(template ? { loadDataDir: template } : {}) });
  await client.waitReady;
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  await migratePglite(db as never, { migrationsFolder: MIGRATIONS_FOLDER });
  return {
    db,
    engine: 'pglite',
    pglite: client,
    ping: async () => {
      await client.query('select 1');
    },
    close: () => client.close(),
  };
}

async function openPostgres(url: string, max: number, t: PgTimeouts | undefined): Promise<Database> {
  const pool = new GuardedPool({
    connectionString: url,
    max,
    keepAlive: true,
    queryTimeoutMs: t?.queryMs ?? 0,
    ...(t
      ? {
          connectionTimeoutMillis: t.connectMs,
          statement_timeout: t.statementMs,
          idle_in_transaction_session_timeout: t.idleInTransactionMs,
          idleTimeoutMillis: t.idleMs,
          keepAliveInitialDelayMillis: t.keepAliveDelayMs,
        }
      : {}),
  });
  // An idle client that errors (server restart) must not crash the process.
  pool.on('error', () => {});
  // Migrations run on their own connection without the query deadlines: waiting
  // for another process's migration lock, or a long migration, is not an outage.
  const lock = new pg.Client({
    connectionString: url,
    keepAlive: true,
    ...(t ? { connectionTimeoutMillis: t.connectMs } : {}),
  });
  lock.on('error', () => {});
  try {
    await lock.connect();
    await lock.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const db = drizzlePg(lock, { schema });
    await migratePg(db, { migrationsFolder: MIGRATIONS_FOLDER });
  } catch (err) {
    await pool.end().catch(() => {});
    throw err;
  } finally {
    await lock.end().catch(() => {});
  }
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  return {
    db,
    engine: 'postgres',
    ping: async () => {
      await pool.query('select 1');
    },
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    close: async (graceMs = 2_000) => {
      // pool.end() waits for every checked-out client; one held by a frozen
      // query would hold it until the query deadline, so after a grace they go.
      const grace = setTimeout(() => pool.destroyAll(), graceMs);
      try {
        await pool.end();
      } finally {
        clearTimeout(grace);
      }
    },
  };
}
