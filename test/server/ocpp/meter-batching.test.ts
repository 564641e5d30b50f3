import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { rawRows } from '../../../db/raw.ts';
import { createMeterIngestRepository, type MeterWrite } from '../../../db/repositories/meter-ingest.ts';
import type { ManualClock } from '../../../server/clock.ts';
import { createMeterWrites } from '../../../server/ocpp/meter-writes.ts';
import type { RPCClient } from '../../../server/ocpp/rpc.ts';
import { engineName } from '../../helpers/db.ts';
import {
  bootedCharger,
  callError,
  chargePoint,
  createOcppTestApp,
  registerCharger,
  BOOT,
  type OcppTestApp,
} from '../../helpers/ocpp.ts';

const T = (min: number) => new Date(Date.parse('2026-03-15T08:00:00Z') + min * 60_000).toISOString();
const IDS = ['CP-A', 'CP-BAD', 'CP-B'];

/**
 * Group-committed MeterValues (server/ocpp/meter-writes.ts,
 * db/repositories/meter-ingest.ts) through real chargers: a batch is stored
 * whole or not at all, and a charger is answered only for what committed.
 * The batch window is widened so the chosen messages share one batch.
 */
describe(`group-committed MeterValues on ${engineName}`, () => {
  let t: OcppTestApp;
  const cps = new Map<string, RPCClient>();
  const tx = new Map<string, number>();
  /** Sizes of the statements the repository ran, in order. */
  let batches: number[] = [];

  before(async () => {
    t = await createOcppTestApp();
    for (const id of IDS) {
      const cp = await bootedCharger(t, id);
      cps.set(id, cp);
      const started = (await cp.call('StartTransaction', {
        connectorId: 1,
        idTag: 'ANY',
        meterStart: 1000,
        timestamp: T(0),
      })) as { transactionId: number };
      tx.set(id, started.transactionId);
    }
    t.app.ocpp.meters = createMeterWrites(t.app, t.app.ocpp.metrics, { windowMs: 1000 });
    const repo = t.app.repos.meterIngest;
    const apply = repo.apply.bind(repo);
    repo.apply = (ws: MeterWrite[]) => {
      batches.push(ws.length);
      return apply(ws);
    };
  });
  after(() => t.close());

  const mv = (id: string, min: number, wh: number) =>
    cps.get(id)!.call('MeterValues', {
      connectorId: 1,
      transactionId: tx.get(id),
      meterValue: [{ timestamp: T(min), sampledValue: [{ value: String(wh) }] }],
    });
  const stored = async (id: string) =>
    (
      await rawRows<{ n: number }>(
        t.database.db,
        sql`select count(*)::int as n from meter_values where charger_id = ${id}`,
      )
    )[0]!.n;
  const liveWh = async (id: string) => (await t.app.repos.transactions.get(tx.get(id)!))!.liveEnergyWh;

  it('one message refused at commit in the middle of a batch fails alone; its neighbours are stored and answered', async () => {
    await t.database.db.execute(
      sql.raw(`create function refuse_at_commit() returns trigger language plpgsql as $$
        begin raise exception 'refused at commit' using errcode = '40001'; end $$`),
    );
    await t.database.db.execute(
      sql.raw(`create constraint trigger bad_sample after insert on meter_values deferrable initially deferred
        for each row when (new.charger_id = 'CP-BAD') execute function refuse_at_commit()`),
    );
    batches = [];
    const [a, bad, b] = await Promise.allSettled([
      mv('CP-A', 1, 1100),
      callError(mv('CP-BAD', 1, 1100)),
      mv('CP-B', 1, 1100),
    ]);
    assert.deepEqual(batches, [3, 1, 1, 1], 'one statement for the three, then each again on its own');
    assert.deepEqual([a.status, b.status], ['fulfilled', 'fulfilled']);
    assert.deepEqual(bad, { status: 'fulfilled', value: 'InternalError' }, 'not stored, so not acknowledged');
    assert.deepEqual([await stored('CP-A'), await stored('CP-BAD'), await stored('CP-B')], [1, 0, 1]);
    assert.deepEqual([await liveWh('CP-A'), await liveWh('CP-BAD'), await liveWh('CP-B')], [100, 0, 100]);
    await t.database.db.execute(sql.raw('drop trigger bad_sample on meter_values'));
    assert.deepEqual(await mv('CP-BAD', 1, 1100), {}, 'its resend is stored once the fault is gone');
    assert.equal(await stored('CP-BAD'), 1);
  });

  it('a batch whose database transaction fails after its statement ran acknowledges none of its messages and stores none', async () => {
    const repo = t.app.repos.meterIngest;
    const apply = repo.apply;
    // Every statement runs and then its transaction is lost, as when the connection drops before COMMIT.
    repo.apply = async (ws) => {
      batches.push(ws.length);
      await t.database.db.transaction(async (trx) => {
        await createMeterIngestRepository(trx).apply(ws);
        throw new Error('connection terminated unexpectedly');
      });
      return [];
    };
    batches = [];
    const before = await Promise.all(IDS.map(stored));
    try {
      const codes = await Promise.all(IDS.map((id) => callError(mv(id, 2, 1200))));
      assert.deepEqual(codes, ['InternalError', 'InternalError', 'InternalError']);
    } finally {
      repo.apply = apply;
    }
    assert.equal(batches[0], 3, 'they shared a batch');
    assert.deepEqual(await Promise.all(IDS.map(stored)), before, 'nothing of the batch is stored');
    // The chargers send again (OCPP 1.6 §4.10 keeps what was not answered): stored once each.
    await Promise.all(IDS.map((id) => mv(id, 2, 1200)));
    await Promise.all(IDS.map((id) => mv(id, 2, 1200)));
    assert.deepEqual(
      await Promise.all(IDS.map(stored)),
      before.map((n) => n + 1),
    );
    assert.deepEqual(await Promise.all(IDS.map(liveWh)), [200, 200, 200]);
  });

  it('each charger’s messages keep their order while many chargers send at once', async () => {
    // Back to the production window, many chargers each with several messages in flight.
    t.app.ocpp.meters = createMeterWrites(t.app, t.app.ocpp.metrics);
    const many: RPCClient[] = [];
    for (let i = 0; i < 8; i++) {
      const id = `CP-ORD-${i}`;
      await registerCharger(t, id);
      // Several CALLs in flight at once from one charger: the server must still take them in order.
      const cp = chargePoint(t, id, undefined, { callConcurrency: 10 });
      await cp.connect();
      await cp.call('BootNotification', BOOT);
      const s = (await cp.call('StartTransaction', {
        connectorId: 1,
        idTag: 'ANY',
        meterStart: 0,
        timestamp: T(0),
      })) as {
        transactionId: number;
      };
      tx.set(id, s.transactionId);
      cps.set(id, cp);
      many.push(cp);
    }
    batches = [];
    const ids = many.map((_, i) => `CP-ORD-${i}`);
    await Promise.all(ids.flatMap((id) => Array.from({ length: 10 }, (_, k) => mv(id, 10 + k, (k + 1) * 100))));
    assert.ok(
      batches.some((n) => n > 1),
      `messages of several chargers shared statements: ${batches.join(',')}`,
    );
    for (const id of ids) {
      const rows = await rawRows<{ value: string }>(
        t.database.db,
        sql`select value from meter_values where charger_id = ${id} order by id`,
      );
      assert.deepEqual(
        rows.map((r) => Number(r.value)),
        Array.from({ length: 10 }, (_, k) => (k + 1) * 100),
        `${id} stored in the order sent`,
      );
      assert.equal(await liveWh(id), 1000, `${id}: the live figure is the last reading`);
      const session = (await t.app.repos.transactions.get(tx.get(id)!))!;
      assert.equal(session.meterAnomaly, false, `${id}: no reading overtook another (register_backwards)`);
    }
  });
});

describe(`heartbeats kept in memory on ${engineName}`, () => {
  let t: OcppTestApp;
  let cp: RPCClient;
  before(async () => {
    t = await createOcppTestApp({ config: { ocppHeartbeatInterval: 60, ocppOfflineAfterIntervals: 3 } });
    // Only the flushes the test asks for: the timer would make "not yet written" a race.
    t.app.ocpp.seen.stop();
    cp = await bootedCharger(t, 'CP-HB');
  });
  after(() => t.close());

  it('offline detection counts the heartbeat still in memory, and fires once it is three intervals old', async () => {
    const clock = t.clock as ManualClock;
    const booted = (await t.app.repos.chargers.get('CP-HB'))!.lastSeenAt!.toISOString();
    clock.advance(170_000);
    await cp.call('Heartbeat', {});
    const heartbeatAt = clock.now().toISOString();
    assert.equal(t.app.ocpp.seen.size, 1);
    assert.equal(
      (await t.app.repos.chargers.get('CP-HB'))!.lastSeenAt!.toISOString(),
      booted,
      'answered without a write: the time is in memory',
    );
    clock.advance(170_000); // 340 s after the boot, 170 s after the heartbeat
    assert.deepEqual(await t.app.ocpp.checkOffline(), [], 'the sweep wrote the heartbeat first');
    const row = (await t.app.repos.chargers.get('CP-HB'))!;
    assert.equal(row.lastSeenAt!.toISOString(), heartbeatAt);
    assert.equal(row.lastCommand, 'Heartbeat');
    clock.advance(11_000); // 181 s after the heartbeat
    assert.deepEqual(await t.app.ocpp.checkOffline(), ['CP-HB']);
  });

  it('a flush never moves last-seen back behind a later message written at once', async () => {
    const clock = t.clock as ManualClock;
    clock.advance(1000);
    await cp.call('Heartbeat', {}); // in memory, and the charger was silent: written at once
    clock.advance(1000);
    await cp.call('Heartbeat', {});
    const hb = clock.now().toISOString();
    clock.advance(1000);
    await cp.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available' });
    const status = clock.now().toISOString();
    await t.app.ocpp.seen.flush();
    const row = (await t.app.repos.chargers.get('CP-HB'))!;
    assert.notEqual(hb, status);
    assert.equal(row.lastSeenAt!.toISOString(), status);
    assert.equal(row.lastCommand, 'StatusNotification');
  });

  it('a charger whose socket closes has its heartbeat written before it is marked offline', async () => {
    const clock = t.clock as ManualClock;
    clock.advance(1000);
    await cp.call('Heartbeat', {});
    const hb = clock.now().toISOString();
    assert.equal(t.app.ocpp.seen.size, 1);
    const gone = new Promise<void>((resolve) => {
      const off = t.app.events.subscribe((e) => {
        if (e.type === 'offline' && e.chargerId === 'CP-HB') {
          off();
          resolve();
        }
      });
    });
    await cp.close();
    await gone;
    const row = (await t.app.repos.chargers.get('CP-HB'))!;
    assert.equal(row.lastSeenAt!.toISOString(), hb);
    assert.equal(row.online, false, 'the flush did not set it online again');
    assert.equal(t.app.ocpp.seen.size, 0);
  });
});
