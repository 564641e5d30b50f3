import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { rawRows } from '../../../db/raw.ts';
import type { RPCClient } from '../../../server/ocpp/rpc.ts';
import { engineName } from '../../helpers/db.ts';
import { BOOT, bootedCharger, createOcppTestApp, type OcppTestApp } from '../../helpers/ocpp.ts';
import { scrape } from '../../helpers/metrics.ts';

/**
 * Poison frames: values the official OCPP 1.6 schema accepts (so ocpp-rpc's
 * strict mode lets them through, and a strict client sends them) but our
 * columns cannot hold. Each must get a permanent CALLERROR naming the field,
 * never InternalError (which tells an obedient charger to send it again,
 * forever), store nothing, and leave the charger's queue free for the next
 * frame.
 */

interface CallFailure {
  code: string;
  message: string;
  details: Record<string, unknown>;
}

async function failure(p: Promise<unknown>): Promise<CallFailure> {
  try {
    await p;
  } catch (err) {
    const e = err as { rpcErrorCode?: string; message: string; details?: Record<string, unknown> };
    return { code: e.rpcErrorCode ?? `not an RPC error: ${e.message}`, message: e.message, details: e.details ?? {} };
  }
  throw new Error('the call succeeded');
}

const NUL = 'A\u0000B';
const LEAP_SECOND = '2016-12-31T23:59:60Z'; // the schema's date-time accepts it; no Date can hold it
const YEAR_ZERO = '0000-06-01T00:00:00Z'; // the schema accepts it; PostgreSQL has no year 0
const T0 = '2026-03-15T07:00:00Z';

/** `params` may be a function: the stop cases need the id of the session opened in `before`. */
type Case = {
  action: string;
  field: string;
  params: Record<string, unknown> | (() => Record<string, unknown>);
  message?: RegExp;
};

describe(`OCPP poison frames on ${engineName}`, () => {
  let t: OcppTestApp;
  let cp: RPCClient;
  let txId: number;

  async function counts() {
    const [row] = await rawRows<{ tx: number; mv: number; ev: number; conn: number }>(
      t.database.db,
      sql`select (select count(*)::int from transactions) as tx, (select count(*)::int from meter_values) as mv,
                 (select count(*)::int from charger_events) as ev, (select count(*)::int from connectors where info is not null or vendor_id is not null or vendor_error_code is not null) as conn`,
    );
    return row!;
  }

  before(async () => {
    t = await createOcppTestApp();
    cp = await bootedCharger(t, 'CP-P');
    txId = (
      (await cp.call('StartTransaction', { connectorId: 1, idTag: 'ANY', meterStart: 100, timestamp: T0 })) as {
        transactionId: number;
      }
    ).transactionId;
    // Its last command is kept in memory (server/ocpp/mark-seen.ts): written now, so the periodic
    // flush cannot land it between a case's two reads of the charger's row.
    await t.app.ocpp.seen.flush();
  });
  after(() => t.close());

  const mv = (over: Record<string, unknown> = {}, sv: Record<string, unknown> = {}) => ({
    connectorId: 1,
    meterValue: [{ timestamp: '2026-03-15T07:05:00Z', sampledValue: [{ value: '900', ...sv }] }],
    ...over,
  });
  const start = (over: Record<string, unknown>) => ({
    connectorId: 2,
    idTag: 'ANY2',
    meterStart: 0,
    timestamp: T0,
    ...over,
  });
  const stop = (over: Record<string, unknown>) => () => ({
    transactionId: txId,
    meterStop: 200,
    timestamp: '2026-03-15T07:30:00Z',
    ...over,
  });
  const status = (over: Record<string, unknown>) => ({
    connectorId: 1,
    errorCode: 'OtherError',
    status: 'Available',
    ...over,
  });

  const cases: Case[] = [
    {
      action: 'StartTransaction',
      field: 'meterStart',
      params: start({ meterStart: 1e19 }),
      message: /^meterStart: 10000000000000000000 exceeds the largest storable value/,
    },
    {
      action: 'StartTransaction',
      field: 'meterStart',
      params: start({ meterStart: -1e19 }),
      message: /below the smallest storable value/,
    },
    {
      action: 'StartTransaction',
      field: 'connectorId',
      params: start({ connectorId: 3e9 }),
      message: /^connectorId: 3000000000 exceeds the largest storable value \(2147483647\)/,
    },
    { action: 'StartTransaction', field: 'reservationId', params: start({ reservationId: -3e9 }) },
    {
      action: 'StartTransaction',
      field: 'idTag',
      params: start({ idTag: NUL }),
      message: /^idTag: must not contain a NUL character/,
    },
    { action: 'StartTransaction', field: 'timestamp', params: start({ timestamp: LEAP_SECOND }) },
    { action: 'StartTransaction', field: 'timestamp', params: start({ timestamp: YEAR_ZERO }) },
    { action: 'StopTransaction', field: 'transactionId', params: stop({ transactionId: 3e9 }) },
    { action: 'StopTransaction', field: 'meterStop', params: stop({ meterStop: 1e19 }) },
    { action: 'StopTransaction', field: 'idTag', params: stop({ idTag: NUL }) },
    { action: 'StopTransaction', field: 'timestamp', params: stop({ timestamp: YEAR_ZERO }) },
    {
      action: 'StopTransaction',
      field: 'transactionData.0.timestamp',
      params: stop({ transactionData: [{ timestamp: LEAP_SECOND, sampledValue: [{ value: '1' }] }] }),
    },
    {
      action: 'StopTransaction',
      field: 'transactionData.0.sampledValue.0.value',
      params: stop({ transactionData: [{ timestamp: T0, sampledValue: [{ value: NUL }] }] }),
    },
    { action: 'MeterValues', field: 'connectorId', params: mv({ connectorId: 3e9 }) },
    { action: 'MeterValues', field: 'transactionId', params: mv({ transactionId: 3e9 }) },
    {
      action: 'MeterValues',
      field: 'meterValue.0.timestamp',
      params: mv({ meterValue: [{ timestamp: YEAR_ZERO, sampledValue: [{ value: '1' }] }] }),
    },
    { action: 'MeterValues', field: 'meterValue.0.sampledValue.0.value', params: mv({}, { value: NUL }) },
    { action: 'StatusNotification', field: 'info', params: status({ info: NUL }) },
    { action: 'StatusNotification', field: 'vendorId', params: status({ vendorId: NUL }) },
    { action: 'StatusNotification', field: 'vendorErrorCode', params: status({ vendorErrorCode: NUL }) },
    { action: 'StatusNotification', field: 'connectorId', params: status({ connectorId: 3e9 }) },
    { action: 'BootNotification', field: 'chargePointVendor', params: { ...BOOT, chargePointVendor: NUL } },
    { action: 'BootNotification', field: 'firmwareVersion', params: { ...BOOT, firmwareVersion: NUL } },
    { action: 'Authorize', field: 'idTag', params: { idTag: NUL } },
    { action: 'DataTransfer', field: 'data', params: { vendorId: 'evpower', data: `{"x":"${NUL}"}` } },
    {
      action: 'DataTransfer',
      field: 'data',
      params: { vendorId: 'evpower', data: 'half a pair: \ud800' },
      message: /^data: must be valid Unicode/,
    },
    { action: 'DataTransfer', field: 'messageId', params: { vendorId: 'evpower', messageId: NUL } },
  ];

  for (const c of cases) {
    it(`${c.action} with an unstorable ${c.field} gets a permanent CALLERROR naming it, stores nothing, and the queue moves on`, async () => {
      const before = await counts();
      const charger = (await t.app.repos.chargers.get('CP-P'))!;
      const f = await failure(cp.call(c.action, typeof c.params === 'function' ? c.params() : c.params));
      assert.equal(f.code, 'PropertyConstraintViolation', f.message);
      assert.ok(f.message.startsWith(`${c.field}: `), `names the field: ${f.message}`);
      if (c.message) assert.match(f.message, c.message);
      assert.equal(
        (f.details.fields as Record<string, string>)?.[c.field] !== undefined,
        true,
        JSON.stringify(f.details),
      );
      assert.deepEqual(await counts(), before, 'nothing stored');
      const after = (await t.app.repos.chargers.get('CP-P'))!;
      assert.equal(after.vendor, charger.vendor);
      assert.equal(after.firmwareVersion, charger.firmwareVersion);
      assert.equal(after.lastCommand, charger.lastCommand, 'not even seen as the last action');
      // The next, valid frame is accepted: nothing is blocked behind the poison one.
      await cp.call('Heartbeat', {});
      // Its last-seen time is kept in memory (server/ocpp/seen-buffer.ts): written now, so the next case reads it.
      await t.app.ocpp.seen.flush();
    });
  }

  it('each action still accepts its valid frame after the poison ones', async () => {
    await cp.call('MeterValues', mv({ transactionId: txId }));
    await cp.call('StatusNotification', status({ info: 'ok', vendorErrorCode: 'E1' }));
    await cp.call('DataTransfer', { vendorId: 'evpower', data: '{"x":"y"}' });
    await cp.call('Authorize', { idTag: 'ANY' });
    await cp.call('BootNotification', { ...BOOT, firmwareVersion: '9' });
    const stopped = (await cp.call(
      'StopTransaction',
      stop({ transactionData: [{ timestamp: '2026-03-15T07:29:00Z', sampledValue: [{ value: '199' }] }] })(),
    )) as object;
    assert.deepEqual(stopped, {});
    assert.equal((await t.app.repos.transactions.get(txId))!.energyWh, 100);
    const [row] = await rawRows<{ n: number }>(t.database.db, sql`select count(*)::int as n from meter_values`);
    assert.equal(row!.n, 2);
  });

  it('a sample whose energy figure no column can hold is kept as text without a live figure', async () => {
    const tx = (
      (await cp.call('StartTransaction', { connectorId: 3, idTag: 'ANY3', meterStart: 0, timestamp: T0 })) as {
        transactionId: number;
      }
    ).transactionId;
    await cp.call('MeterValues', mv({ connectorId: 3, transactionId: tx }, { value: '1e300' }));
    const row = (await t.app.repos.transactions.get(tx))!;
    assert.equal(row.liveEnergyWh, 0, 'the live figure keeps its last storable value');
    const [s] = await rawRows<{ value: string }>(
      t.database.db,
      sql`select value from meter_values where transaction_id = ${tx}`,
    );
    assert.equal(s!.value, '1e300');
  });

  it('poison frames are counted as rejected, not as errors', async () => {
    const calls = (await scrape(t)).split('\n').filter((l) => l.startsWith('ocpp_calls_total{'));
    assert.deepEqual(
      calls.filter((l) => l.includes('outcome="error"')),
      [],
    );
    assert.ok(
      calls.includes('ocpp_calls_total{action="StartTransaction",direction="in",outcome="rejected"} 7'),
      calls.join('\n'),
    );
  });
});
