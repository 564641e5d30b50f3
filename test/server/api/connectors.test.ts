import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ManualClock } from '../../../server/clock.ts';
import type { RPCClient } from '../../../server/ocpp/rpc.ts';
import { engineName } from '../../helpers/db.ts';
import { bootedCharger, createOcppTestApp, type OcppTestApp } from '../../helpers/ocpp.ts';

/** Devices and Overview show each connector's status, error, vendor error and since when (OCPP 1.6 §4.9). */
describe(`connector status and since when on ${engineName}`, () => {
  let t: OcppTestApp;
  let cp: RPCClient;
  before(async () => {
    t = await createOcppTestApp();
    cp = await bootedCharger(t, 'CP1');
  });
  after(() => t.close());

  const connectors = async () => {
    const res = await t.app.inject({ url: '/api/chargers/CP1', headers: await t.as('viewer') });
    assert.equal(res.statusCode, 200, res.body);
    return res.json().connectors as Record<string, unknown>[];
  };
  const clock = () => t.clock as ManualClock;

  it('keeps the moment a status began while the charger repeats it, and moves it when status or error changes', async () => {
    const t0 = clock().now().toISOString();
    await cp.call('StatusNotification', { connectorId: 0, status: 'Available', errorCode: 'NoError' });
    await cp.call('StatusNotification', { connectorId: 1, status: 'Available', errorCode: 'NoError' });
    clock().advance(60_000);
    const t1 = clock().now().toISOString();
    await cp.call('StatusNotification', { connectorId: 1, status: 'Available', errorCode: 'NoError' });
    const [c0, first] = await connectors();
    let c1 = first;
    assert.deepEqual(
      { id: c0!.connectorId, status: c0!.status, since: c0!.statusSince },
      { id: 0, status: 'Available', since: t0 },
    );
    assert.deepEqual({ at: c1!.statusAt, since: c1!.statusSince }, { at: t1, since: t0 }, 'a repeat is no change');

    clock().advance(60_000);
    const t2 = clock().now().toISOString();
    await cp.call('StatusNotification', {
      connectorId: 1,
      status: 'Faulted',
      errorCode: 'GroundFailure',
      info: 'RCD tripped',
      vendorId: 'evpower',
      vendorErrorCode: 'E42',
    });
    [, c1] = await connectors();
    assert.deepEqual(
      {
        status: c1!.status,
        errorCode: c1!.errorCode,
        info: c1!.info,
        vendorId: c1!.vendorId,
        vendorErrorCode: c1!.vendorErrorCode,
        since: c1!.statusSince,
      },
      {
        status: 'Faulted',
        errorCode: 'GroundFailure',
        info: 'RCD tripped',
        vendorId: 'evpower',
        vendorErrorCode: 'E42',
        since: t2,
      },
    );

    clock().advance(60_000);
    const t3 = clock().now().toISOString();
    await cp.call('StatusNotification', { connectorId: 1, status: 'Faulted', errorCode: 'OverCurrentFailure' });
    [, c1] = await connectors();
    assert.equal(c1!.statusSince, t3, 'the same status with another error code is a change');
  });
});
