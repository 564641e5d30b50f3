import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ScaledClock } from '../../sim/clock.ts';
import { Fleet } from '../../sim/fleet.ts';
import { startRecordingServer, type Received, type RecordingServer } from '../helpers/ocpp-server.ts';

// 600× real time: a 60 s meter interval is 0.1 s, a 60 s heartbeat too.
const SPEED = 600;
let server: RecordingServer;
let fleet: Fleet;

before(async () => {
  server = await startRecordingServer({ secrets: { SIM0001: 's3cret', SIM0002: 's3cret' }, heartbeatInterval: 60 });
  fleet = new Fleet({
    url: server.url,
    count: 2,
    prefix: 'SIM',
    secret: 's3cret',
    seed: 7,
    clock: new ScaledClock(SPEED),
    phases: 3,
    liveSessions: false,
  });
  await fleet.start();
});
after(async () => {
  await fleet.stop();
  await server.close();
});

const samples = (r: Received) =>
  (
    r.params.meterValue as { timestamp: string; sampledValue: { measurand: string; value: string; phase?: string }[] }[]
  )[0]!;
const value = (r: Received, measurand: string, phase?: string) =>
  Number(samples(r).sampledValue.find((s) => s.measurand === measurand && s.phase === phase)!.value);

test('the fleet boots with Basic auth as the seed charger model, reports statuses and heartbeats on the given interval', async () => {
  for (const id of ['SIM0001', 'SIM0002']) {
    const boot = await server.waitFor((r) => r.identity === id && r.action === 'BootNotification');
    assert.equal(boot.params.chargePointVendor, 'evpower');
    assert.equal(boot.params.chargePointModel, 'Amos_EVG-32N');
    assert.equal(boot.params.chargePointSerialNumber, id);
    await server.waitFor((r) => r.identity === id && r.action === 'StatusNotification' && r.params.connectorId === 0);
    await server.waitFor(
      (r) =>
        r.identity === id &&
        r.action === 'StatusNotification' &&
        r.params.connectorId === 1 &&
        r.params.status === 'Available',
    );
    await server.waitFor((r) => r.identity === id && r.action === 'Heartbeat');
  }
  assert.deepEqual(server.validationFailures, []);
});

test('a remote-started session authorizes, starts, meters, respects a charging profile and stops with transactionData', async () => {
  const id = 'SIM0001';
  assert.deepEqual(await server.command(id, 'RemoteStartTransaction', { idTag: 'TAG1', connectorId: 1 }), {
    status: 'Accepted',
  });
  assert.deepEqual(
    await server.command(id, 'RemoteStartTransaction', { idTag: 'TAG2', connectorId: 1 }),
    { status: 'Rejected' },
    'busy connector',
  );
  await server.waitFor((r) => r.identity === id && r.action === 'Authorize' && r.params.idTag === 'TAG1');
  const start = await server.waitFor((r) => r.identity === id && r.action === 'StartTransaction');
  await server.waitFor((r) => r.identity === id && r.action === 'StatusNotification' && r.params.status === 'Charging');
  await server.waitFor(() => server.calls(id, 'MeterValues').length >= 4);

  // 10 A cap for this transaction (OCPP 1.6 §3.13 TxProfile)
  const profile = {
    connectorId: 1,
    csChargingProfiles: {
      chargingProfileId: 5,
      transactionId: 1,
      stackLevel: 1,
      chargingProfilePurpose: 'TxProfile',
      chargingProfileKind: 'Relative',
      chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 10 }] },
    },
  };
  assert.deepEqual(await server.command(id, 'SetChargingProfile', profile), { status: 'Accepted' });
  const limitedFrom = server.calls(id, 'MeterValues').length + 1; // the sample in flight may predate the profile
  await server.waitFor(() => server.calls(id, 'MeterValues').length >= limitedFrom + 3);
  const composite = await server.command(id, 'GetCompositeSchedule', {
    connectorId: 1,
    duration: 600,
    chargingRateUnit: 'A',
  });
  assert.equal(composite.status, 'Accepted');
  assert.equal(
    (composite.chargingSchedule as { chargingSchedulePeriod: { limit: number }[] }).chargingSchedulePeriod[0]!.limit,
    10,
  );

  assert.deepEqual(await server.command(id, 'RemoteStopTransaction', { transactionId: 1 }), { status: 'Accepted' });
  const stop = await server.waitFor((r) => r.identity === id && r.action === 'StopTransaction');
  await server.waitFor(
    (r) =>
      r.identity === id &&
      r.action === 'StatusNotification' &&
      r.params.status === 'Available' &&
      server.received.indexOf(r) > server.received.indexOf(stop),
  );

  const meter = server.calls(id, 'MeterValues');
  assert.ok(meter.every((m) => m.params.transactionId === 1));
  const registers = meter.map((m) => value(m, 'Energy.Active.Import.Register'));
  for (let i = 1; i < registers.length; i++)
    assert.ok(registers[i]! >= registers[i - 1]!, `register rises: ${registers.join(',')}`);
  assert.ok(registers.at(-1)! > registers[0]!, 'energy was delivered');
  for (const m of meter.slice(limitedFrom)) {
    for (const phase of ['L1', 'L2', 'L3'])
      assert.ok(value(m, 'Current.Import', phase) <= 10, `current within the 10 A profile on ${phase}`);
  }
  for (const m of meter.slice(0, limitedFrom)) assert.ok(value(m, 'Current.Import', 'L1') <= 32);
  const times = meter.map((m) => Date.parse(samples(m).timestamp));
  assert.ok(
    times.every((t, i) => i === 0 || t > times[i - 1]!),
    'sample timestamps advance',
  );

  assert.equal(stop.params.transactionId, 1);
  assert.equal(stop.params.reason, 'Remote');
  assert.ok((stop.params.meterStop as number) >= (start.params.meterStart as number));
  assert.ok((stop.params.meterStop as number) >= registers.at(-1)!);
  const data = stop.params.transactionData as { sampledValue: { context: string; value: string }[] }[];
  assert.equal(data[0]!.sampledValue[0]!.context, 'Transaction.Begin');
  assert.equal(Number(data[1]!.sampledValue[0]!.value), stop.params.meterStop);
  assert.deepEqual(server.validationFailures, []);
});
