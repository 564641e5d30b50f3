import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { rawRows } from '../../db/raw.ts';
import { engineName } from '../helpers/db.ts';
import { databaseBefore } from '../helpers/old-schema.ts';

const TAG = 'alert_lifecycle';

describe(`migration ${TAG} over existing rows on ${engineName}`, () => {
  let db: Db;
  let old: Awaited<ReturnType<typeof databaseBefore>>;
  before(async () => {
    old = await databaseBefore('alert_lifecycle');
    db = old.db;
  });
  after(() => old?.close());

  it('keeps old alerts readable: acknowledged ones cleared at their acknowledgement, none queued for announcing', async () => {
    await db.execute(sql`insert into chargers (id) values ('CPA')`);
    await db.execute(sql`
      insert into alerts (at, kind, severity, charger_id, message, dedup_key, acknowledged_at, acknowledged_by) values
        ('2026-03-15T08:00:00Z', 'meter_anomaly', 'critical', 'CPA', 'reviewed', 'tx:1:meter:a', '2026-03-15T09:00:00Z', 'user:op'),
        ('2026-03-15T08:00:00Z', 'clock_skew', 'warning', 'CPA', 'not yet', 'tx:1:clock:start', null, null)`);
    await old.upgrade();
    const rows = await rawRows<{ message: string; cleared_at: string | null; cause: string | null }>(
      db,
      sql`select message, to_char(cleared_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI') as cleared_at, cause from alerts order by id`,
    );
    assert.deepEqual(rows, [
      { message: 'reviewed', cleared_at: '2026-03-15T09:00', cause: null },
      { message: 'not yet', cleared_at: null, cause: null },
    ]);
    const [{ n }] = (await rawRows<{ n: number }>(db, sql`select count(*)::int as n from alert_outbox`)) as [
      { n: number },
    ];
    assert.equal(n, 0, 'nothing old is announced or sent');
    // From now on every raise and clear is queued by the trigger.
    await db.execute(
      sql`insert into alerts (at, kind, severity, charger_id, message, cause) values (now(), 'charger.offline', 'warning', 'CPA', 'new', 'CPA')`,
    );
    await db.execute(sql`update alerts set cleared_at = now() where cause = 'CPA'`);
    const queued = await rawRows<{ notice: string }>(db, sql`select notice from alert_outbox order by id`);
    assert.deepEqual(
      queued.map((q) => q.notice),
      ['raised', 'cleared'],
    );
  });
});
