import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ScaledClock } from '../../sim/clock.ts';
import { Fleet } from '../../sim/fleet.ts';
import { startRecordingServer, type RecordingServer } from '../helpers/ocpp-server.ts';

// OCPP 1.6 §4.8/§4.10: transaction-related messages are delivered even when the
// connection drops before the answer; the charger repeats them after reconnecting.
let server: RecordingServer;
let fleet: Fleet;
const ID = 'RSD0001';

before(async () => {
  server = await startRecordingServer({ heartbeatInterval: 3600 });
  fleet = new Fleet({
    url: server.url,
    count: 1,
    prefix: 'RSD',
    seed: 3,
    clock: new ScaledClock(600),
    phases: 1,
    liveSessions: false,
    reconnectDelayMs: 50,
  });
  await fleet.start();
  await server.waitFor((r) => r.identity === ID && r.action === 'StatusNotification' && r.params.connectorId === 1);
});
after(async () => {
  await fleet.stop();
  await server.close();
});

/** Drops the connection the first time `action` arrives, without answering. */
function dropFirst(action: string) {
  let dropped = false;
  server.intercept.set(action, (_r, client) => {
    if (dropped) return undefined;
    dropped = true;
    void client.close({ force: true });
    return server.NOREPLY;
  });
}

test('a StartTransaction lost with the connection is resent, and later messages carry its transactionId', async () => {
  dropFirst('StartTransaction');
  assert.deepEqual(await server.command(ID, 'RemoteStartTransaction', { idTag: 'T1', connectorId: 1 }), {
    status: 'Accepted',
  });
  await server.waitFor(() => server.calls(ID, 'StartTransaction').length === 2);
  const [first, second] = server.calls(ID, 'StartTransaction');
  assert.deepEqual(second!.params, first!.params, 'the very same message');
  assert.equal(second!.connection, first!.connection + 1);
  await server.waitFor(() => server.calls(ID, 'MeterValues').length >= 2);
  assert.ok(server.calls(ID, 'MeterValues').every((m) => m.params.transactionId === 1));
  server.intercept.delete('StartTransaction');
});

test('a StopTransaction lost mid-call is resent after reconnecting, identical', async () => {
  dropFirst('StopTransaction');
  assert.deepEqual(await server.command(ID, 'RemoteStopTransaction', { transactionId: 1 }), { status: 'Accepted' });
  await server.waitFor(() => server.calls(ID, 'StopTransaction').length === 2);
  const [first, second] = server.calls(ID, 'StopTransaction');
  assert.deepEqual(second!.params, first!.params);
  assert.equal(second!.params.transactionId, 1);
  assert.equal(second!.params.reason, 'Remote');
  assert.ok(second!.connection > first!.connection);
  // the charger is back to normal afterwards
  await server.waitFor(
    (r) =>
      r.identity === ID &&
      r.action === 'StatusNotification' &&
      r.params.status === 'Available' &&
      r.connection === second!.connection,
  );
  assert.equal(server.calls(ID, 'BootNotification').length, 1, 'a reconnect is not a reboot');
});
