import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { createRepositories, type Repositories } from '../../db/repositories/index.ts';
import { SeenBuffer, type SeenEntry } from '../../server/ocpp/seen-buffer.ts';
import { createTestDatabase, engineName } from '../helpers/db.ts';

const AT = new Date('2026-03-15T08:00:00Z');
const seen = (chargerId: string, at = AT): SeenEntry => ({ chargerId, action: 'Heartbeat', at });

/**
 * The background flush of last-seen times and clock skews
 * (db/repositories/update-unlocked.ts, server/ocpp/seen-buffer.ts) leaves
 * a row another transaction holds and keeps its entry for the next flush.
 */
describe(`flushes that skip locked chargers on ${engineName}`, () => {
  let database: Database;
  let repos: Repositories;
  before(async () => {
    database = await createTestDatabase();
    repos = createRepositories(database.db);
    for (const id of ['CP-1', 'CP-2']) await repos.chargers.create({ id }, AT);
  });
  after(() => database.close());

  const lastSeen = async (id: string) => (await repos.chargers.get(id))!.lastSeenAt?.toISOString() ?? null;

  it('without contention every row is written and none answered', async () => {
    assert.deepEqual(await repos.chargerLive.seenMany([seen('CP-1'), seen('CP-2'), seen('CP-GONE')], true), []);
    assert.equal(await lastSeen('CP-1'), AT.toISOString());
    assert.equal(await lastSeen('CP-2'), AT.toISOString());
  });

  it(
    "a row a charger's own transaction holds is skipped and answered; the others are written at once",
    { skip: engineName !== 'postgres' && 'PGlite has one connection: no transaction can hold a row meanwhile' },
    async () => {
      const later = new Date(AT.getTime() + 60_000);
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let locked!: () => void;
      const isLocked = new Promise<void>((r) => (locked = r));
      const holder = database.db.transaction(async (tx) => {
        await tx.execute(sql`select id from chargers where id = 'CP-1' for update`);
        locked();
        await held;
      });
      await isLocked;
      try {
        const skipped = await repos.chargerLive.seenMany([seen('CP-1', later), seen('CP-2', later)], true);
        assert.deepEqual(skipped, ['CP-1']);
        assert.equal(await lastSeen('CP-2'), later.toISOString());
        const skews = await repos.chargers.recordClockSkews([{ chargerId: 'CP-1', ms: 5000, at: later }], true);
        assert.deepEqual(skews, ['CP-1']);
      } finally {
        release();
        await holder;
      }
      assert.equal(await lastSeen('CP-1'), AT.toISOString(), 'left alone while held');
      assert.deepEqual(await repos.chargerLive.seenMany([seen('CP-1', later)], true), []);
      assert.equal(await lastSeen('CP-1'), later.toISOString());
    },
  );

  it('the buffer keeps a skipped entry for the next flush, unless a newer one came', async () => {
    const writes: string[][] = [];
    let skip: string[] = ['CP-1'];
    const buffer = new SeenBuffer<SeenEntry>(
      async (entries) => {
        writes.push(entries.map((e) => e.chargerId));
        return skip;
      },
      () => {},
    );
    buffer.note(seen('CP-1'));
    buffer.note(seen('CP-2'));
    await buffer.flush({ skipLocked: true });
    assert.equal(buffer.size, 1, 'CP-1 waits');
    skip = [];
    await buffer.flush();
    assert.deepEqual(writes, [['CP-1', 'CP-2'], ['CP-1']]);
    assert.equal(buffer.size, 0);
  });
});
