import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { rawRows } from '../../db/raw.ts';
import { engineName } from '../helpers/db.ts';
import { databaseBefore } from '../helpers/old-schema.ts';

describe(`migration 0005_meter_value_key over existing rows on ${engineName}`, () => {
  let db: Db;
  let old: Awaited<ReturnType<typeof databaseBefore>>;
  before(async () => {
    old = await databaseBefore('meter_value_key');
    db = old.db;
  });
  after(() => old?.close());

  it("keeps every row, unlinks samples claiming another charger's or a missing session, then takes signed readings beside raw ones", async () => {
    await db.execute(sql`insert into chargers (id) values ('CPA'), ('CPB')`);
    const [{ id: txA }] = (await rawRows<{ id: number }>(
      db,
      sql`
      insert into transactions (charger_id, connector_id, id_tag, session_number, meter_start, started_at)
      values ('CPA', 1, 'TAG', 1, 0, '2026-03-15T08:00:00Z') returning id`,
    )) as [{ id: number }];
    await db.execute(sql`
      insert into meter_values (charger_id, connector_id, transaction_id, timestamp, value) values
        ('CPA', 1, ${txA}, '2026-03-15T08:10:00Z', '100'),
        ('CPB', 1, ${txA}, '2026-03-15T08:10:00Z', '200'),
        ('CPB', 1, 4242, '2026-03-15T08:11:00Z', '300'),
        ('CPB', 1, null, '2026-03-15T08:12:00Z', '400')`);

    await old.upgrade();

    const rows = await rawRows(
      db,
      sql`select charger_id, transaction_id, claimed_transaction_id, claim_rejected, value from meter_values order by value`,
    );
    assert.deepEqual(rows, [
      { charger_id: 'CPA', transaction_id: txA, claimed_transaction_id: null, claim_rejected: false, value: '100' },
      { charger_id: 'CPB', transaction_id: null, claimed_transaction_id: txA, claim_rejected: true, value: '200' },
      { charger_id: 'CPB', transaction_id: null, claimed_transaction_id: 4242, claim_rejected: true, value: '300' },
      { charger_id: 'CPB', transaction_id: null, claimed_transaction_id: null, claim_rejected: false, value: '400' },
    ]);
    // The widened key: a SignedData and a kWh reading of the same instant are readings of their own.
    const added = await rawRows(
      db,
      sql`
      insert into meter_values (charger_id, connector_id, transaction_id, timestamp, unit, format, value) values
        ('CPA', 1, ${txA}, '2026-03-15T08:10:00Z', 'Wh', 'SignedData', 'OCMF|{}|{}'),
        ('CPA', 1, ${txA}, '2026-03-15T08:10:00Z', 'kWh', 'Raw', '0.1'),
        ('CPA', 1, ${txA}, '2026-03-15T08:10:00Z', 'Wh', 'Raw', '100')
      on conflict do nothing returning id`,
    );
    assert.equal(added.length, 2, 'the repeated raw Wh reading still dedups');
  });
});
