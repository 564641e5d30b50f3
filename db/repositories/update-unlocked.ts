import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { rawRows } from '../raw.ts';

/**
 * One UPDATE of many `chargers` rows from a set of rows `x` (with an `id`
 * column): `set` where `when`. With `skipLocked`, the rows another
 * transaction holds are locked out of it (FOR UPDATE SKIP LOCKED) and their
 * ids answered, so a background flush (server/ocpp/seen-buffer.ts) never
 * waits on a charger's own transaction while holding the locks of all the
 * others it updates. Without, it waits like any update and answers none.
 */
export async function updateUnlocked(
  db: DbOrTx,
  rows: SQL,
  set: SQL,
  when: SQL,
  skipLocked: boolean,
): Promise<string[]> {
  if (!skipLocked) {
    await db.execute(sql`update chargers as c set ${set} from ${rows} where c.id = x.id and ${when}`);
    return [];
  }
  const skipped = await rawRows<{ id: string }>(
    db,
    sql`with x as (select * from ${rows}),
      free as (select c.id from chargers c where c.id in (select id from x) order by c.id for update skip locked),
      upd as (update chargers as c set ${set} from x where c.id = x.id and c.id in (select id from free) and ${when})
      select x.id from x where x.id not in (select id from free) and exists (select 1 from chargers c where c.id = x.id)`,
  );
  return skipped.map((r) => r.id);
}
