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
import { createScratchDatabase, type ScratchDatabase } from '../../db/scratch-database.ts';
import { engineName } from '../helpers/db.ts';

type Journal = { entries: { idx: number; tag: string }[] };

/** A copy of the migrations up to (not including) the one tagged `*_${tag}`. */
function migrationsBefore(tag: string): string {
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta/_journal.json'), 'utf8')) as Journal;
  const at = journal.entries.findIndex((e) => e.tag.endsWith(`_${tag}`));
  assert.ok(at > 0, `migration ${tag} is in the journal`);
  const dir = mkdtempSync(join(tmpdir(), 'chargeops-mig-'));
  mkdirSync(join(dir, 'meta'));
  const kept = journal.entries.slice(0, at);
  for (const e of kept) copyFileSync(join(MIGRATIONS_FOLDER, `${e.tag}.sql`), join(dir, `${e.tag}.sql`));
  writeFileSync(join(dir, 'meta/_journal.json'), JSON.stringify({ ...journal, entries: kept }));
  return dir;
}

/** Migration refused_starts applied over a database that already holds sessions. */
describe(`migration refused_starts over existing data on ${engineName}`, () => {
  let db: Db;
  let migrate: (folder: string) => Promise<void>;
  let close: () => Promise<void>;
  let older: string;
  before(async () => {
    older = migrationsBefore('refused_starts');
    const adminUrl = process.env.TEST_DATABASE_URL;
    if (adminUrl) {
      const scratch: ScratchDatabase = await createScratchDatabase(adminUrl, `chargeops_mig_${process.pid}_${randomBytes(4).toString('hex')}`);
      const pool = new pg.Pool({ connectionString: scratch.url, max: 2 });
      const d = drizzlePg(pool);
      db = d as unknown as Db;
      migrate = (folder) => migratePg(d, { migrationsFolder: folder });
      close = async () => {
        await pool.end();
        await scratch.drop();
      };
    } else {
      const client = new PGlite();
      const d = drizzlePglite(client);
      db = d as unknown as Db;
      migrate = (folder) => migratePglite(d, { migrationsFolder: folder });
      close = () => client.close();
    }
    await migrate(older);
  });
  after(async () => {
    await close();
    rmSync(older, { recursive: true, force: true });
  });

  it('backfills who closed the finished sessions and what the open ones were answered', async () => {
    await db.execute(sql`insert into chargers (id) values ('CP1'), ('CP2')`);
    await db.execute(sql`insert into id_tags (id_tag, blocked, expiry_date) values
      ('GOOD', false, null), ('BLK', true, null), ('OLD', false, '2026-01-01T00:00:00Z')`);
    await db.execute(sql`insert into transactions (charger_id, connector_id, id_tag, session_number, meter_start, meter_stop, energy_wh, started_at, stopped_at, stop_reason) values
      ('CP1', 1, 'GOOD', 1, 0, 100, 100, '2026-03-01T08:00:00Z', '2026-03-01T09:00:00Z', 'Local'),
      ('CP1', 1, 'NOBODY', 2, 0, 10, 10, '2026-03-01T10:00:00Z', '2026-03-01T10:05:00Z', 'DeAuthorized'),
      ('CP1', 1, 'GOOD', 3, 100, null, null, '2026-03-02T08:00:00Z', null, null),
      ('CP2', 1, 'good', 1, 0, null, null, '2026-03-02T09:00:00Z', null, null),
      ('CP2', 2, 'NOBODY', 2, 0, null, null, '2026-03-02T09:10:00Z', null, null),
      ('CP2', 3, 'BLK', 3, 0, null, null, '2026-03-02T09:20:00Z', null, null),
      ('CP2', 4, 'OLD', 4, 0, null, null, '2026-03-02T09:30:00Z', null, null)`);
    await migrate(MIGRATIONS_FOLDER);
    const rows = await rawRows(db, sql`select charger_id, session_number as n, start_status, close_cause from transactions order by charger_id, session_number`);
    assert.deepEqual(rows, [
      { charger_id: 'CP1', n: 1, start_status: 'Accepted', close_cause: 'charger' },
      { charger_id: 'CP1', n: 2, start_status: 'Accepted', close_cause: 'charger' },
      { charger_id: 'CP1', n: 3, start_status: 'Accepted', close_cause: null },
      { charger_id: 'CP2', n: 1, start_status: 'ConcurrentTx', close_cause: null },
      { charger_id: 'CP2', n: 2, start_status: 'Invalid', close_cause: null },
      { charger_id: 'CP2', n: 3, start_status: 'Blocked', close_cause: null },
      { charger_id: 'CP2', n: 4, start_status: 'Expired', close_cause: null },
    ]);
  });

  it('then holds the rules: a closed session says by whom', async () => {
    await assert.rejects(db.execute(sql`update transactions set stopped_at = now() where close_cause is null`));
    await assert.rejects(db.execute(sql`update transactions set start_status = 'Maybe'`));
    await assert.rejects(db.execute(sql`update transactions set stopped_at = now(), close_cause = 'boot' where close_cause is null`), 'a replaceable close needs its day');
  });
});
