import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { rawRows } from '../../db/raw.ts';
import { engineName } from '../helpers/db.ts';
import { databaseBefore } from '../helpers/old-schema.ts';

const TAG = 'alert_email';

type Row = {
  notice: string;
  settled: boolean;
  attempts: number;
  email_settled: boolean;
  email_attempts: number;
  email_due: string;
};

const outbox = (db: Db) =>
  rawRows<Row>(
    db,
    sql`select notice, settled_at is not null as settled, attempts, email_settled_at is not null as email_settled,
      email_attempts, to_char(email_next_attempt_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI') as email_due
      from alert_outbox order by id`,
  );

describe(`migration ${TAG} over existing rows on ${engineName}`, () => {
  let db: Db;
  let old: Awaited<ReturnType<typeof databaseBefore>>;
  before(async () => {
    old = await databaseBefore(TAG);
    db = old.db;
  });
  after(() => old?.close());

  it('settles the past for e-mail, keeps the webhook state, and queues new notices for both channels', async () => {
    await db.execute(sql`insert into chargers (id) values ('CPA')`);
    await db.execute(sql`
      insert into alerts (at, kind, severity, charger_id, message, cause) values
        ('2026-03-15T08:00:00Z', 'charger.offline', 'warning', 'CPA', 'old', 'CPA')`);
    // The webhook was failing: attempts and no settlement survive the upgrade.
    await db.execute(sql`update alert_outbox set attempts = 3, published_at = '2026-03-15T08:00:00Z'`);
    await old.upgrade();
    assert.deepEqual(await outbox(db), [
      {
        notice: 'raised',
        settled: false,
        attempts: 3,
        email_settled: true,
        email_attempts: 0,
        email_due: '2026-03-15T08:00',
      },
    ]);
    await db.execute(sql`update alerts set cleared_at = '2026-03-15T09:30:00Z' where cause = 'CPA'`);
    const [, cleared] = await outbox(db);
    assert.deepEqual(cleared, {
      notice: 'cleared',
      settled: false,
      attempts: 0,
      email_settled: false,
      email_attempts: 0,
      email_due: '2026-03-15T09:30',
    });
  });
});
