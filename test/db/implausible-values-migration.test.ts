import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { MIGRATIONS_FOLDER, type Db } from '../../db/client.ts';
import { rawRows } from '../../db/raw.ts';
import { createScratchDatabase } from '../../db/scratch-database.ts';
import { sqlState } from '../../db/sql-state.ts';
import { engineName } from '../helpers/db.ts';

const TAG = '0006_implausible_values';

/** The migration set up to (not including) `tag`, in a folder of its own. */
function migrationsBefore(tag: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'chargeops-mig-'));
  mkdirSync(join(dir, 'meta'));
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string }[] };
  const upTo = journal.entries.findIndex((e) => e.tag === tag);
  assert.ok(upTo > 0, `${tag} is in the journal`);
  journal.entries = journal.entries.slice(0, upTo);
  writeFileSync(join(dir, 'meta', '_journal.json'), JSON.stringify(journal));
  for (const e of journal.entries) copyFileSync(join(MIGRATIONS_FOLDER, `${e.tag}.sql`), join(dir, `${e.tag}.sql`));
  return dir;
}

describe(`migration ${TAG} over existing rows on ${engineName}`, () => {
  let db: Db;
  let migrate: (folder: string) => Promise<void>;
  let close: () => Promise<void>;
  let old: string;

  before(async () => {
    old = migrationsBefore(TAG);
    const adminUrl = process.env.TEST_DATABASE_URL;
    if (adminUrl) {
      const scratch = await createScratchDatabase(adminUrl, `chargeops_mig6_${process.pid}_${randomBytes(4).toString('hex')}`);
      const pool = new pg.Pool({ connectionString: scratch.url, max: 2 });
      const pgDb = drizzlePg(pool);
      db = pgDb as unknown as Db;
      migrate = (folder) => migratePg(pgDb, { migrationsFolder: folder });
      close = async () => {
        await pool.end();
        await scratch.drop();
      };
    } else {
      const client = new PGlite();
      const liteDb = drizzlePglite(client);
      db = liteDb as unknown as Db;
      migrate = (folder) => migratePglite(liteDb, { migrationsFolder: folder });
      close = () => client.close();
    }
    await migrate(old);
  });
  after(async () => {
    await close();
    rmSync(old, { recursive: true, force: true });
  });

  it('keeps every session as counted before (an old flagged one needs no review) and still refuses a duplicate start', async () => {
    await db.execute(sql`insert into chargers (id, energy_wh_total) values ('CPA', 2500)`);
    await db.execute(sql`
      insert into transactions (charger_id, connector_id, id_tag, session_number, meter_start, meter_stop, energy_wh, meter_anomaly, started_at, stopped_at) values
        ('CPA', 1, 'TAG', 1, 0, 2500, 2500, false, '2026-03-15T08:00:00Z', '2026-03-15T09:00:00Z'),
        ('CPA', 1, 'TAG', 2, 5000, 4000, 0, true, '2026-03-15T10:00:00Z', '2026-03-15T11:00:00Z')`);
    await migrate(MIGRATIONS_FOLDER);
    const rows = await rawRows<{ session_number: number; energy_review: string | null; anomaly_reasons: string[]; charger_started_at: string | null }>(
      db,
      sql`select session_number, energy_review, anomaly_reasons, charger_started_at from transactions order by session_number`,
    );
    assert.deepEqual(rows, [
      { session_number: 1, energy_review: null, anomaly_reasons: [], charger_started_at: null },
      { session_number: 2, energy_review: null, anomaly_reasons: [], charger_started_at: null },
    ]);
    const dup = await db
      .execute(sql`insert into transactions (charger_id, connector_id, id_tag, session_number, meter_start, started_at) values ('CPA', 1, 'TAG', 3, 0, '2026-03-15T08:00:00Z')`)
      .then(() => 'inserted', (e: unknown) => sqlState(e));
    assert.equal(dup, '23505', 'the start dedup key survives, now on the charger\'s own timestamp');
    const [{ n }] = (await rawRows<{ n: number }>(db, sql`select count(*)::int as n from alerts`)) as [{ n: number }];
    assert.equal(n, 0);
  });
});
