import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { rawRows } from '../../db/raw.ts';
import { engineName } from '../helpers/db.ts';
import { databaseBefore } from '../helpers/old-schema.ts';

/** Migration refused_starts applied over a database that already holds sessions. */
describe(`migration refused_starts over existing data on ${engineName}`, () => {
  let db: Db;
  let old: Awaited<ReturnType<typeof databaseBefore>>;
  before(async () => {
    old = await databaseBefore('refused_starts');
    db = old.db;
  });
  after(() => old?.close());

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
    await old.upgrade();
    const rows = await rawRows(
      db,
      sql`select charger_id, session_number as n, start_status, close_cause from transactions order by charger_id, session_number`,
    );
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
    await assert.rejects(
      db.execute(sql`update transactions set stopped_at = now(), close_cause = 'boot' where close_cause is null`),
      'a replaceable close needs its day',
    );
  });
});
