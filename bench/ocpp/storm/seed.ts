import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../../db/client.ts';
import { createRepositories } from '../../../db/repositories/index.ts';
import { createScratchDatabase } from '../../../db/scratch-database.ts';
import { makeFastCheck } from '../../../server/auth/fast-secret-check.ts';
import { hashSecret } from '../../../server/auth/password.ts';
import { chargerId } from './generator.ts';

export type Engine = 'pg' | 'pglite';

export interface SeededSite {
  /** What the server process needs to open this database. */
  env: Record<string, string>;
  secret: string;
  drop(): Promise<void>;
}

/**
 * A throwaway database with N registered chargers, as the site was before
 * the restart. One secret and one scrypt hash for all (ten thousand hashes
 * would take minutes of scrypt to make); the server caches nothing by hash,
 * so a shared secret costs it what distinct ones would. Unless `cold`, each
 * charger has the fast check its first successful handshake stored (each its
 * own salt, made by the server's own function and written by its repository):
 * the chargers were connected before the restart. Cold: none has one, as on
 * the first start after upgrading to a version with fast checks.
 */
export async function seedSite(
  engine: Engine,
  pgAdminUrl: string,
  chargers: number,
  prefix: string,
  cold = false,
  /** More rows per charger (the session benches give each an idTag). */
  extra?: (repos: ReturnType<typeof createRepositories>, id: string, at: Date) => Promise<unknown>,
): Promise<SeededSite> {
  const secret = randomBytes(18).toString('base64url');
  const secretHash = await hashSecret(secret);
  let env: Record<string, string>;
  let open: () => ReturnType<typeof openDatabase>;
  let drop: () => Promise<void>;
  const dataDir = mkdtempSync(join(tmpdir(), 'chargeops-storm-'));
  if (engine === 'pg') {
    const scratch = await createScratchDatabase(pgAdminUrl, `chargeops_storm_${randomBytes(4).toString('hex')}`);
    env = { DATABASE_URL: scratch.url, DATA_DIR: dataDir };
    open = () => openDatabase({ databaseUrl: scratch.url, poolSize: 10 });
    drop = async () => {
      await scratch.drop();
      rmSync(dataDir, { recursive: true, force: true });
    };
  } else {
    env = { DATABASE_URL: '', DATA_DIR: dataDir };
    // server/main.ts keeps PGlite's files in DATA_DIR/pgdata
    open = () => openDatabase({ dataDir: join(dataDir, 'pgdata') });
    drop = async () => rmSync(dataDir, { recursive: true, force: true });
  }
  const database = await open();
  try {
    const repos = createRepositories(database.db);
    const now = new Date();
    const ids = Array.from({ length: chargers }, (_, i) => chargerId(prefix, i));
    const seed = async (id: string) => {
      await repos.chargers.create({ id, secretHash }, now);
      if (!cold) await repos.chargers.recordSecretCheck(id, secretHash, makeFastCheck(secret, secretHash));
      await extra?.(repos, id, now);
    };
    for (let i = 0; i < ids.length; i += 200) await Promise.all(ids.slice(i, i + 200).map(seed));
  } finally {
    await database.close();
  }
  return { env, secret, drop };
}
