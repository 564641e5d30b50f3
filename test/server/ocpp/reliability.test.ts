import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { rawRows } from '../../../db/raw.ts';
import type { ManualClock } from '../../../server/clock.ts';
import type { RPCClient } from '../../../server/ocpp/rpc.ts';
import { engineName } from '../../helpers/db.ts';
import {
  BOOT,
  SECRET,
  bootedCharger,
  callError,
  chargePoint,
  createOcppTestApp,
  nextEvent,
  registerCharger,
  type OcppTestApp,
} from '../../helpers/ocpp.ts';
import { scrape } from '../../helpers/metrics.ts';

/** Runs `fn` while one repository method throws as a failed database write would. */
async function whileFailing<T>(obj: Record<string, unknown>, method: string, fn: () => Promise<T>): Promise<T> {
  const original = obj[method];
  obj[method] = async () => {
    throw new Error('connection terminated unexpectedly');
  };
  try {
    return await fn();
  } finally {
    obj[method] = original;
  }
}

describe(`OCPP nothing lost, nothing doubled on ${engineName}`, () => {
  let t: OcppTestApp;
  let cp: RPCClient;
  before(async () => {
    t = await createOcppTestApp({ config: { ocppHeartbeatInterval: 60, ocppOfflineAfterIntervals: 3 } });
    cp = await bootedCharger(t, 'CP-R');
  });
  after(() => t.close());

  it('a failed database write is a CALLERROR InternalError, and the retry after recovery is stored once', async () => {
    const req = { connectorId: 1, idTag: 'ANY', meterStart: 500, timestamp: '2026-03-15T07:00:00Z' };
    const repo = t.app.repos.transactions as unknown as Record<string, unknown>;
    assert.equal(await whileFailing(repo, 'start', () => callError(cp.call('StartTransaction', req))), 'InternalError');
    assert.equal(
      (await rawRows(t.database.db, sql`select id from transactions`)).length,
      0,
      'nothing acknowledged, nothing stored',
    );
    const ok = (await cp.call('StartTransaction', req)) as { transactionId: number };
    const again = (await cp.call('StartTransaction', req)) as { transactionId: number };
    assert.equal(again.transactionId, ok.transactionId);

    const mv = {
      connectorId: 1,
      transactionId: ok.transactionId,
      meterValue: [{ timestamp: '2026-03-15T07:05:00Z', sampledValue: [{ value: '900' }] }],
    };
    // MeterValues are written through the group-committed statement (db/repositories/meter-ingest.ts).
    const meters = t.app.repos.meterIngest as unknown as Record<string, unknown>;
    assert.equal(await whileFailing(meters, 'apply', () => callError(cp.call('MeterValues', mv))), 'InternalError');
    await cp.call('MeterValues', mv);
    await cp.call('MeterValues', mv);
    assert.equal((await rawRows(t.database.db, sql`select id from meter_values`)).length, 1);

    const stop = { transactionId: ok.transactionId, meterStop: 1500, timestamp: '2026-03-15T07:30:00Z' };
    assert.equal(await whileFailing(repo, 'stop', () => callError(cp.call('StopTransaction', stop))), 'InternalError');
    assert.equal((await t.app.repos.transactions.get(ok.transactionId))!.stoppedAt, null);
    await cp.call('StopTransaction', stop);
    await cp.call('StopTransaction', stop);
    assert.equal((await t.app.repos.chargers.get('CP-R'))!.energyWhTotal, 1000, 'counted once');
  });

  it('failed writes are counted as errors', async () => {
    assert.match(await scrape(t), /ocpp_calls_total\{action="StartTransaction",direction="in",outcome="error"\} 1/);
  });

  it('a silent charger is marked offline after the missed heartbeats and is back with its next message', async () => {
    const clock = t.clock as ManualClock;
    await cp.call('Heartbeat', {});
    clock.advance(179_000);
    assert.deepEqual(await t.app.ocpp.checkOffline(), [], 'three 60 s intervals have not passed');
    clock.advance(2_000);
    const offline = nextEvent(t, (e) => e.type === 'offline' && e.chargerId === 'CP-R');
    assert.deepEqual(await t.app.ocpp.checkOffline(), ['CP-R']);
    await offline;
    let view = await t.app.inject({ url: '/api/chargers/CP-R', headers: await t.as('viewer') });
    assert.equal(view.json().online, false);
    assert.equal(view.json().connected, true, 'the socket is still open; the charger is silent');
    const back = nextEvent(t, (e) => e.type === 'connected' && e.chargerId === 'CP-R');
    await cp.call('Heartbeat', {});
    await back;
    view = await t.app.inject({ url: '/api/chargers/CP-R', headers: await t.as('viewer') });
    assert.equal(view.json().online, true);
    assert.deepEqual(await t.app.ocpp.checkOffline(), []);
  });

  it('a remote start whose transaction never comes stops showing RemoteCharging after its expiry', async () => {
    const clock = t.clock as ManualClock;
    await t.app.repos.chargers.setTransitional('CP-R', 'RemoteCharging', clock.now());
    clock.advance(60_000);
    await cp.call('Heartbeat', {});
    await t.app.ocpp.checkOffline();
    assert.equal((await t.app.repos.chargers.get('CP-R'))!.transitionalState, 'RemoteCharging');
    clock.advance(2 * 60_000 + 1);
    await cp.call('Heartbeat', {});
    const state = nextEvent(t, (e) => e.type === 'state' && e.chargerId === 'CP-R');
    await t.app.ocpp.checkOffline();
    assert.equal(((await state) as { state: string }).state, 'BootUp');
    assert.equal((await t.app.repos.chargers.get('CP-R'))!.transitionalState, null);
  });
});

describe(`OCPP dead connections on ${engineName}`, () => {
  let t: OcppTestApp;
  before(async () => {
    t = await createOcppTestApp({ config: { ocppPingIntervalMs: 150 } });
  });
  after(() => t.close());

  it('a charger that stops answering pings is dropped and marked offline', async () => {
    await registerCharger(t, 'CP-DEAD');
    // autoPong off: the socket stays open but never answers the server's ping, like a dead TCP peer.
    const cp = chargePoint(t, 'CP-DEAD', SECRET, { wsOpts: { autoPong: false } });
    await cp.connect();
    await cp.call('BootNotification', BOOT);
    await nextEvent(t, (e) => e.type === 'offline' && e.chargerId === 'CP-DEAD');
    assert.equal(t.app.ocpp.connections.isConnected('CP-DEAD'), false);
    assert.equal((await t.app.repos.chargers.get('CP-DEAD'))!.online, false);
  });
});
