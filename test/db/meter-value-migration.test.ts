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

/** The migration set as it was before 0005_meter_value_key, in a folder of its own. */
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

describe(`migration 0005_meter_value_key over existing rows on ${engineName}`, () => {
  let db: Db;
  let migrate: (folder: string) => Promise<void>;
  let close: () => Promise<void>;
  let old: string;

  before(async () => {
    old = migrationsBefore('0005_meter_value_key');
    const adminUrl = process.env.TEST_DATABASE_URL;
    if (adminUrl) {
      const scratch: ScratchDatabase = await createScratchDatabase(adminUrl, `chargeops_mig_${process.pid}_${randomBytes(4).toString('hex')}`);
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

  it('keeps every row, unlinks samples claiming another charger\'s or a missing session, then takes signed readings beside raw ones', async () => {
    await db.execute(sql`insert into chargers (id) values ('CPA'), ('CPB')`);
    const [{ id: txA }] = (await rawRows<{ id: number }>(db, sql`
      insert into transactions (charger_id, connector_id, id_tag, session_number, meter_start, started_at)
      values ('CPA', 1, 'TAG', 1, 0, '2026-03-15T08:00:00Z') returning id`)) as [{ id: number }];
    await db.execute(sql`
      insert into meter_values (charger_id, connector_id, transaction_id, timestamp, value) values
        ('CPA', 1, ${txA}, '2026-03-15T08:10:00Z', '100'),
        ('CPB', 1, ${txA}, '2026-03-15T08:10:00Z', '200'),
        ('CPB', 1, 4242, '2026-03-15T08:11:00Z', '300'),
        ('CPB', 1, null, '2026-03-15T08:12:00Z', '400')`);

    await migrate(MIGRATIONS_FOLDER);

    const rows = await rawRows(db, sql`select charger_id, transaction_id, claimed_transaction_id, claim_rejected, value from meter_values order by value`);
    assert.deepEqual(rows, [
      { charger_id: 'CPA', transaction_id: txA, claimed_transaction_id: null, claim_rejected: false, value: '100' },
      { charger_id: 'CPB', transaction_id: null, claimed_transaction_id: txA, claim_rejected: true, value: '200' },
      { charger_id: 'CPB', transaction_id: null, claimed_transaction_id: 4242, claim_rejected: true, value: '300' },
      { charger_id: 'CPB', transaction_id: null, claimed_transaction_id: null, claim_rejected: false, value: '400' },
    ]);
    // The widened key: a SignedData and a kWh reading of the same instant are readings of their own.
    const added = await rawRows(db, sql`
      insert into meter_values (charger_id, connector_id, transaction_id, timestamp, unit, format, value) values
        ('CPA', 1, ${txA}, '2026-03-15T08:10:00Z', 'Wh', 'SignedData', 'OCMF|{}|{}'),
        ('CPA', 1, ${txA}, '2026-03-15T08:10:00Z', 'kWh', 'Raw', '0.1'),
        ('CPA', 1, ${txA}, '2026-03-15T08:10:00Z', 'Wh', 'Raw', '100')
      on conflict do nothing returning id`);
    assert.equal(added.length, 2, 'the repeated raw Wh reading still dedups');
  });
});
