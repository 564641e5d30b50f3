import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { MIGRATIONS_FOLDER, type Db } from '../../db/client.ts';
import { createScratchDatabase } from '../../db/scratch-database.ts';

type Journal = { entries: { tag: string }[] };

/**
 * A database at the schema as it was before the migration tagged `*_${name}`
 * (the number may change when branches are merged), for testing that
 * migration over rows that already exist: `upgrade()` then applies the rest.
 * PostgreSQL with TEST_DATABASE_URL (a throwaway database), else PGlite.
 */
export async function databaseBefore(
  name: string,
): Promise<{ db: Db; upgrade(): Promise<void>; close(): Promise<void> }> {
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as Journal;
  const at = journal.entries.findIndex((e) => e.tag.endsWith(`_${name}`));
  assert.ok(at > 0, `migration ${name} is in the journal`);
  const older = mkdtempSync(join(tmpdir(), 'chargeops-mig-'));
  mkdirSync(join(older, 'meta'));
  const kept = journal.entries.slice(0, at);
  for (const e of kept) copyFileSync(join(MIGRATIONS_FOLDER, `${e.tag}.sql`), join(older, `${e.tag}.sql`));
  writeFileSync(join(older, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries: kept }));

  let db: Db;
  let migrate: (folder: string) => Promise<void>;
  let end: () => Promise<void>;
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (adminUrl) {
    const scratch = await createScratchDatabase(
      adminUrl,
      `chargeops_mig_${process.pid}_${randomBytes(4).toString('hex')}`,
    );
    const pool = new pg.Pool({ connectionString: scratch.url, max: 2 });
    const d = drizzlePg(pool);
    db = d as unknown as Db;
    migrate = (folder) => migratePg(d, { migrationsFolder: folder });
    end = async () => {
      await pool.end();
      await scratch.drop();
    };
  } else {
    const client = new PGlite();
    const d = drizzlePglite(client);
    db = d as unknown as Db;
    migrate = (folder) => migratePglite(d, { migrationsFolder: folder });
    end = () => client.close();
  }
  await migrate(older);
  return {
    db,
    upgrade: () => migrate(MIGRATIONS_FOLDER),
    async close() {
      await end();
      rmSync(older, { recursive: true, force: true });
    },
  };
}
