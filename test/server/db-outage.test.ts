import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { openDatabase, type Database } from '../../db/client.ts';
import { rawRows } from '../../db/raw.ts';
import { createScratchDatabase, type ScratchDatabase } from '../../db/scratch-database.ts';
import type { RPCClient } from '../../server/ocpp/rpc.ts';
import { startFreezableProxy, type FreezableProxy } from '../helpers/freezable-proxy.ts';
import { BOOT, callError, chargePoint, createOcppTestApp, registerCharger, type OcppTestApp } from '../helpers/ocpp.ts';

/**
 * PostgreSQL behind a TCP proxy the test freezes: packets vanish, nothing is
 * closed, as in a fail-over behind a virtual IP. Runs against PostgreSQL in
 * both passes of the suite (TEST_PG_URL), since PGlite has no network.
 */
const PG = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
// Above a login's scrypt on a loaded machine (set-up goes through REST), far below the charger's patience.
const DEADLINE_MS = 5_000;

describe('a black-holed database does not wedge chargers or requests', () => {
  let scratch: ScratchDatabase;
  let proxy: FreezableProxy;
  let database: Database;
  let t: OcppTestApp;
  let cp: RPCClient;
  let viewer: Record<string, string>;
  let token: Record<string, string>;

  before(async () => {
    scratch = await createScratchDatabase(PG, `chargeops_outage_${process.pid}_${randomBytes(4).toString('hex')}`);
    proxy = await startFreezableProxy(scratch.url);
    database = await openDatabase({
      databaseUrl: proxy.url,
      poolSize: 4,
      timeouts: {
        connectMs: 5_000,
        queryMs: 30_000,
        statementMs: 25_000,
        idleInTransactionMs: 25_000,
        idleMs: 30_000,
        keepAliveDelayMs: 1_000,
      },
    });
    t = await createOcppTestApp({
      database,
      config: { ocppHandlerTimeoutMs: DEADLINE_MS, requestTimeoutMs: DEADLINE_MS },
    });
    await registerCharger(t, 'CP-F');
    // The charger's own patience is far above the server's deadline: an answer in between is the server's.
    cp = chargePoint(t, 'CP-F', undefined, { callTimeoutMs: 10 * DEADLINE_MS });
    await cp.connect();
    await cp.call('BootNotification', BOOT);
    viewer = await t.as('viewer');
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: await t.as('admin'),
      payload: { name: 'monitor', role: 'viewer' },
    });
    token = { authorization: `Bearer ${created.json().token}` };
    assert.equal(
      (await t.app.inject({ url: '/healthz', headers: token })).statusCode,
      200,
      'healthy before, and the token is known',
    );
  });
  after(async () => {
    await t?.close();
    await database?.close();
    await proxy?.close();
    await scratch?.drop();
  });

  const start = { connectorId: 1, idTag: 'TAG-F', meterStart: 1_000, timestamp: '2026-03-15T07:00:00Z' };

  it('frozen: InternalError at the deadline, the queue moves on, REST 503, /healthz and /metrics count the stuck work', async () => {
    proxy.freeze();
    assert.equal(await callError(cp.call('StartTransaction', start)), 'InternalError');
    // Behind the stuck StartTransaction in the charger's queue, and answered: a heartbeat is kept
    // in memory and written in batches (server/ocpp/seen-buffer.ts), so a frozen database cannot hold it.
    const beat = (await cp.call('Heartbeat', {})) as { currentTime: string };
    assert.equal(typeof beat.currentTime, 'string');

    const rest = await t.app.inject({ url: '/api/chargers', headers: viewer });
    assert.equal(rest.statusCode, 503, rest.body);
    assert.equal(rest.headers['retry-after'], '5');
    assert.equal(rest.json().code, 'REQUEST_TIMEOUT');

    const anonymous = await t.app.inject({ url: '/healthz' });
    assert.equal(anonymous.statusCode, 503, anonymous.body);
    assert.deepEqual(
      anonymous.json(),
      { status: 'unavailable' },
      'no details, no database address, for anonymous callers',
    );
    const health = await t.app.inject({ url: '/healthz', headers: token });
    assert.equal(health.statusCode, 503, health.body);
    const details = health.json().details;
    assert.ok(details.stuck.ocpp >= 1, `stuck OCPP handlers counted: ${JSON.stringify(details)}`);
    assert.equal(typeof details.error, 'string');

    const metrics = await t.app.inject({ url: '/metrics', headers: token });
    assert.equal(metrics.statusCode, 200);
    assert.match(metrics.body, /stuck_work\{kind="ocpp"\} [1-9]/);
    assert.match(metrics.body, /deadline_exceeded_total\{kind="ocpp"\} [1-9]/);
    assert.match(metrics.body, /deadline_exceeded_total\{kind="http"\} [1-9]/);
  });

  it('thawed: the stuck work drains, the resend is stored once, and /healthz is healthy again', async () => {
    proxy.thaw();
    await t.app.stuck.settled();
    const first = (await cp.call('StartTransaction', start)) as { transactionId: number };
    const again = (await cp.call('StartTransaction', start)) as { transactionId: number };
    assert.equal(again.transactionId, first.transactionId);
    const rows = await rawRows(t.database.db, sql`select id from transactions where charger_id = 'CP-F'`);
    assert.equal(rows.length, 1, 'stored once, whether the stuck write committed late or was rolled back');
    assert.equal(((await cp.call('Heartbeat', {})) as { currentTime: string }).currentTime.length > 0, true);
    const health = await t.app.inject({ url: '/healthz', headers: token });
    assert.equal(health.statusCode, 200, health.body);
    assert.deepEqual(health.json().details.stuck, { ocpp: 0, http: 0 });
  });

  it('refused: REST and the battery API answer 503 with Retry-After and a code, never 500', async () => {
    await proxy.refuse();
    const rest = await t.app.inject({ url: '/api/chargers', headers: viewer });
    assert.equal(rest.statusCode, 503, rest.body);
    assert.equal(rest.json().code, 'DATABASE_UNAVAILABLE');
    assert.equal(rest.headers['retry-after'], '5');
    const battery = await t.app.inject({
      url: '/batteryInfo/getBatteryInfoEsbpByVin/LSVAU2180N2183294',
      headers: viewer,
    });
    assert.equal(battery.statusCode, 503, battery.body);
    assert.equal(battery.json().code, '1500');
    assert.equal(battery.headers['retry-after'], '5');
    assert.equal((await t.app.inject({ url: '/healthz' })).statusCode, 503);
  });
});
