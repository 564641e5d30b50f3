import pg from 'pg';

export interface ScratchDatabase {
  name: string;
  /** Connection URL of the new database: the admin URL with its name. */
  url: string;
  drop(): Promise<void>;
}

/** Runs one statement on the admin connection (CREATE/DROP DATABASE cannot run in a transaction or pool). */
async function adminQuery(adminUrl: string, q: string): Promise<void> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    await c.query(q);
  } finally {
    await c.end();
  }
}

/** The handle of database `name` on the server of `adminUrl`, for creating, reusing or dropping it. */
export function scratchDatabase(adminUrl: string, name: string): ScratchDatabase {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () => adminQuery(adminUrl, `drop database if exists ${name} with (force)`),
  };
}

/**
 * A new, empty PostgreSQL database on the server of `adminUrl`, for a test
 * file or a benchmark run; `drop()` removes it even with connections open.
 */
export async function createScratchDatabase(adminUrl: string, name: string): Promise<ScratchDatabase> {
  const db = scratchDatabase(adminUrl, name);
  await adminQuery(adminUrl, `create database ${name}`);
  return db;
}
