import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createScratchDatabase } from '../../db/scratch-database.ts';
import { MIGRATIONS_FOLDER, openDatabase, type Database } from '../../db/client.ts';

/**
 * A migrated PGlite data directory, dumped once and reused: loading it takes
 * ~1 s where initdb plus migrations take ~5 s. Keyed by the migrations' hash,
 * so a new migration makes a new template.
 */
async function pgliteTemplate(): Promise<Blob> {
  const hash = createHash('sha256');
  for (const f of readdirSync(MIGRATIONS_FOLDER)
    .filter((f) => f.endsWith('.sql'))
    .sort()) {
    hash.update(f).update(readFileSync(join(MIGRATIONS_FOLDER, f)));
  }
  const file = join(tmpdir(), `chargeops-pglite-${hash.digest('hex').slice(0, 16)}.tar`);
  if (existsSync(file)) return new Blob([readFileSync(file)]);
  const fresh = await openDatabase({});
  const dump = await fresh.pglite!.dumpDataDir('none');
  await fresh.close();
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
  renameSync(tmp, file); // atomic: parallel test files never read half a template
  return dump;
}

/**
 * A fresh, migrated database for one test file: in-memory PGlite by default;
 * with TEST_DATABASE_URL a throwaway PostgreSQL database, dropped on close.
 * The same tests run on both engines (the drizzle pg-common pattern).
 */
export async function createTestDatabase(): Promise<Database> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) return openDatabase({ template: await pgliteTemplate() });
  const scratch = await createScratchDatabase(adminUrl, `chargeops_t_${process.pid}_${randomBytes(4).toString('hex')}`);
  const database = await openDatabase({ databaseUrl: scratch.url, poolSize: 5 });
  return {
    ...database,
    close: async () => {
      await database.close();
      await scratch.drop();
    },
  };
}

export const engineName = process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite';
