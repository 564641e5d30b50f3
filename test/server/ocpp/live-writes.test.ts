import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { createRepositories } from '../../../db/repositories/index.ts';
import type { RPCClient } from '../../../server/ocpp/rpc.ts';
import { createTestDatabase, engineName } from '../../helpers/db.ts';
import { bootedCharger, callError, createOcppTestApp, nextEvent, type OcppTestApp } from '../../helpers/ocpp.ts';

/**
 * Group-committed charger writes (server/ocpp/live-writes.ts) through real
 * chargers: a CALLRESULT only for what committed, whatever shared its batch.
 */
describe(`group-committed charger writes over OCPP on ${engineName}`, () => {
  let t: OcppTestApp;
  const cps = new Map<string, RPCClient>();
  before(async () => {
    t = await createOcppTestApp();
    for (const id of ['CP-1', 'CP-2', 'CP-LATE']) cps.set(id, await bootedCharger(t, id));
    // CP-LATE's connector rows are refused when the transaction commits, after its statement ran.
    await t.database.db.execute(
      sql.raw(`
      create function fail_at_commit() returns trigger language plpgsql as $$
      begin raise exception 'refused at commit' using errcode = '40001'; end $$`),
    );
    await t.database.db.execute(
      sql.raw(`
      create constraint trigger late_refusal after insert or update on connectors deferrable initially deferred
      for each row when (new.charger_id = 'CP-LATE') execute function fail_at_commit()`),
    );
  });
  after(() => t.close());

  const status = (id: string, s: string) =>
    cps.get(id)!.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: s });

  it('statuses sent at once are each answered after their commit; one refused at commit is InternalError, never a CALLRESULT', async () => {
    const published = nextEvent(t, (e) => e.type === 'status' && e.chargerId === 'CP-2');
    const [one, late, two] = await Promise.allSettled([
      status('CP-1', 'Preparing'),
      callError(status('CP-LATE', 'Preparing')),
      status('CP-2', 'Charging'),
    ]);
    assert.deepEqual([one.status, two.status], ['fulfilled', 'fulfilled']);
    assert.deepEqual(
      late,
      { status: 'fulfilled', value: 'InternalError' },
      'not stored, so not acknowledged: the charger sends it again',
    );
    assert.equal((await t.app.repos.chargers.connectors('CP-LATE')).length, 0);
    assert.equal(
      (await t.app.repos.chargers.get('CP-LATE'))!.state,
      'BootUp',
      'its boot stands; the status is not there',
    );
    assert.equal((await t.app.repos.chargers.connectors('CP-1'))[0]!.status, 'Preparing');
    const event = await published;
    assert.equal(event.type === 'status' && event.state, 'Charging', 'the event carries the state the write returned');
  });

  it('a charger sending again after the refusal is stored once it commits', async () => {
    await t.database.db.execute(sql.raw('drop trigger late_refusal on connectors'));
    assert.deepEqual(await status('CP-LATE', 'Preparing'), {});
    assert.equal((await t.app.repos.chargers.connectors('CP-LATE'))[0]!.status, 'Preparing');
  });
});

describe(`a stopping server on ${engineName}`, () => {
  it('writes its connected chargers offline before it lets the database close', async () => {
    const database = await createTestDatabase();
    try {
      const t = await createOcppTestApp({ database });
      for (const id of ['CP-X', 'CP-Y', 'CP-Z']) await bootedCharger(t, id);
      assert.deepEqual(
        (await t.app.repos.chargers.list()).map((r) => r.online),
        [true, true, true],
      );
      await t.close(); // the database stays open: it was lent
      const rows = await createRepositories(database.db).chargers.list();
      assert.deepEqual(
        rows.map((r) => [r.id, r.online]),
        [
          ['CP-X', false],
          ['CP-Y', false],
          ['CP-Z', false],
        ],
      );
    } finally {
      await database.close();
    }
  });
});
