import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { rawRows } from '../../db/raw.ts';
import { sqlState } from '../../db/sql-state.ts';
import { engineName } from '../helpers/db.ts';
import { databaseBefore } from '../helpers/old-schema.ts';

const TAG = '0006_implausible_values';

describe(`migration ${TAG} over existing rows on ${engineName}`, () => {
  let db: Db;
  let old: Awaited<ReturnType<typeof databaseBefore>>;
  before(async () => {
    old = await databaseBefore('implausible_values');
    db = old.db;
  });
  after(() => old?.close());

  it('keeps every session as counted before (an old flagged one needs no review) and still refuses a duplicate start', async () => {
    await db.execute(sql`insert into chargers (id, energy_wh_total) values ('CPA', 2500)`);
    await db.execute(sql`
      insert into transactions (charger_id, connector_id, id_tag, session_number, meter_start, meter_stop, energy_wh, meter_anomaly, started_at, stopped_at) values
        ('CPA', 1, 'TAG', 1, 0, 2500, 2500, false, '2026-03-15T08:00:00Z', '2026-03-15T09:00:00Z'),
        ('CPA', 1, 'TAG', 2, 5000, 4000, 0, true, '2026-03-15T10:00:00Z', '2026-03-15T11:00:00Z')`);
    await old.upgrade();
    const rows = await rawRows<{
      session_number: number;
      energy_review: string | null;
      anomaly_reasons: string[];
      charger_started_at: string | null;
    }>(
      db,
      sql`select session_number, energy_review, anomaly_reasons, charger_started_at from transactions order by session_number`,
    );
    assert.deepEqual(rows, [
      { session_number: 1, energy_review: null, anomaly_reasons: [], charger_started_at: null },
      { session_number: 2, energy_review: null, anomaly_reasons: [], charger_started_at: null },
    ]);
    const dup = await db
      .execute(
        sql`insert into transactions (charger_id, connector_id, id_tag, session_number, meter_start, started_at) values ('CPA', 1, 'TAG', 3, 0, '2026-03-15T08:00:00Z')`,
      )
      .then(
        () => 'inserted',
        (e: unknown) => sqlState(e),
      );
    assert.equal(dup, '23505', "the start dedup key survives, now on the charger's own timestamp");
    const [{ n }] = (await rawRows<{ n: number }>(db, sql`select count(*)::int as n from alerts`)) as [{ n: number }];
    assert.equal(n, 0);
  });
});
