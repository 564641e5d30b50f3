import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { SUPPORTED_COMMANDS } from '../../sim/commands.ts';
import { ScaledClock } from '../../sim/clock.ts';
import { Fleet } from '../../sim/fleet.ts';
import { startRecordingServer, type RecordingServer } from '../helpers/ocpp-server.ts';

// Every answer below passed the strict server's schema validation, or command() would have rejected.
let server: RecordingServer;
let fleet: Fleet;
const ID = 'CMD0001';
const cmd = (action: string, params: Record<string, unknown>) => server.command(ID, action, params);
const after_ = (action: string, pred: (p: Record<string, unknown>) => boolean = () => true) => {
  const from = server.received.length;
  return server.waitFor(
    (r) => server.received.indexOf(r) >= from && r.identity === ID && r.action === action && pred(r.params),
  );
};

before(async () => {
  server = await startRecordingServer({ heartbeatInterval: 3600 });
  fleet = new Fleet({
    url: server.url,
    count: 1,
    prefix: 'CMD',
    seed: 1,
    clock: new ScaledClock(600),
    phases: 1,
    liveSessions: false,
    rebootDelayMs: 10_000,
    reconnectDelayMs: 50,
  });
  await fleet.start();
  await server.waitFor((r) => r.identity === ID && r.action === 'StatusNotification' && r.params.connectorId === 1);
});
after(async () => {
  await fleet.stop();
  await server.close();
});

test('the simulator handles all 19 OCPP 1.6 central-system commands', () => {
  assert.equal(SUPPORTED_COMMANDS.length, 19);
});

test('configuration: read, change, read-only and unknown keys', async () => {
  const all = (await cmd('GetConfiguration', {})) as { configurationKey: { key: string }[] };
  assert.ok(all.configurationKey.some((k) => k.key === 'MeterValueSampleInterval'));
  assert.deepEqual(await cmd('GetConfiguration', { key: ['HeartbeatInterval', 'Nope'] }), {
    configurationKey: [{ key: 'HeartbeatInterval', readonly: false, value: '3600' }],
    unknownKey: ['Nope'],
  });
  assert.deepEqual(await cmd('ChangeConfiguration', { key: 'MeterValueSampleInterval', value: '30' }), {
    status: 'Accepted',
  });
  assert.deepEqual(await cmd('ChangeConfiguration', { key: 'NumberOfConnectors', value: '4' }), { status: 'Rejected' });
  assert.deepEqual(await cmd('ChangeConfiguration', { key: 'HeartbeatInterval', value: 'soon' }), {
    status: 'Rejected',
  });
  assert.deepEqual(await cmd('ChangeConfiguration', { key: 'Bogus', value: '1' }), { status: 'NotSupported' });
  assert.deepEqual(await cmd('GetConfiguration', { key: ['MeterValueSampleInterval'] }), {
    configurationKey: [{ key: 'MeterValueSampleInterval', readonly: false, value: '30' }],
  });
});

test('cache, local list, data transfer', async () => {
  assert.deepEqual(await cmd('ClearCache', {}), { status: 'Accepted' });
  assert.deepEqual(await cmd('GetLocalListVersion', {}), { listVersion: 0 });
  assert.deepEqual(
    await cmd('SendLocalList', {
      listVersion: 3,
      updateType: 'Full',
      localAuthorizationList: [{ idTag: 'A1', idTagInfo: { status: 'Accepted' } }],
    }),
    { status: 'Accepted' },
  );
  assert.deepEqual(
    await cmd('SendLocalList', { listVersion: 2, updateType: 'Differential', localAuthorizationList: [] }),
    { status: 'VersionMismatch' },
  );
  assert.deepEqual(await cmd('GetLocalListVersion', {}), { listVersion: 3 });
  assert.deepEqual(await cmd('DataTransfer', { vendorId: 'evpower', messageId: 'echo', data: 'hi' }), {
    status: 'Accepted',
    data: 'hi',
  });
  assert.deepEqual(await cmd('DataTransfer', { vendorId: 'other' }), { status: 'UnknownVendorId' });
});

test('trigger message sends the requested message after answering', async () => {
  const hb = after_('Heartbeat');
  assert.deepEqual(await cmd('TriggerMessage', { requestedMessage: 'Heartbeat' }), { status: 'Accepted' });
  await hb;
  const mv = after_('MeterValues', (p) => p.connectorId === 1);
  assert.deepEqual(await cmd('TriggerMessage', { requestedMessage: 'MeterValues', connectorId: 1 }), {
    status: 'Accepted',
  });
  await mv;
  const st = after_('StatusNotification', (p) => p.connectorId === 1);
  assert.deepEqual(await cmd('TriggerMessage', { requestedMessage: 'StatusNotification', connectorId: 1 }), {
    status: 'Accepted',
  });
  await st;
  assert.deepEqual(await cmd('TriggerMessage', { requestedMessage: 'StatusNotification', connectorId: 9 }), {
    status: 'Rejected',
  });
});

test('reservations: Reserved status, cancel, occupied', async () => {
  const reserved = after_('StatusNotification', (p) => p.status === 'Reserved');
  const expiryDate = new Date(Date.now() + 864e5 * 30).toISOString();
  assert.deepEqual(await cmd('ReserveNow', { connectorId: 1, expiryDate, idTag: 'R1', reservationId: 11 }), {
    status: 'Accepted',
  });
  await reserved;
  assert.deepEqual(await cmd('ReserveNow', { connectorId: 1, expiryDate, idTag: 'R2', reservationId: 12 }), {
    status: 'Occupied',
  });
  assert.deepEqual(await cmd('ReserveNow', { connectorId: 0, expiryDate, idTag: 'R2', reservationId: 13 }), {
    status: 'Rejected',
  });
  const available = after_('StatusNotification', (p) => p.status === 'Available');
  assert.deepEqual(await cmd('CancelReservation', { reservationId: 11 }), { status: 'Accepted' });
  await available;
  assert.deepEqual(await cmd('CancelReservation', { reservationId: 11 }), { status: 'Rejected' });
});

test('availability: Inoperative makes the connector Unavailable; during a session it is Scheduled', async () => {
  const unavailable = after_('StatusNotification', (p) => p.connectorId === 1 && p.status === 'Unavailable');
  assert.deepEqual(await cmd('ChangeAvailability', { connectorId: 1, type: 'Inoperative' }), { status: 'Accepted' });
  await unavailable;
  assert.deepEqual(await cmd('RemoteStartTransaction', { idTag: 'T1', connectorId: 1 }), { status: 'Rejected' });
  const available = after_('StatusNotification', (p) => p.connectorId === 1 && p.status === 'Available');
  assert.deepEqual(await cmd('ChangeAvailability', { connectorId: 1, type: 'Operative' }), { status: 'Accepted' });
  await available;

  const started = after_('StartTransaction');
  assert.deepEqual(await cmd('RemoteStartTransaction', { idTag: 'T1', connectorId: 1 }), { status: 'Accepted' });
  const tx = (await started).params;
  assert.equal(tx.idTag, 'T1');
  await server.waitFor((r) => r.identity === ID && r.action === 'StatusNotification' && r.params.status === 'Charging');
  assert.deepEqual(await cmd('ChangeAvailability', { connectorId: 1, type: 'Inoperative' }), { status: 'Scheduled' });
  assert.deepEqual(await cmd('RemoteStopTransaction', { transactionId: 999 }), { status: 'Rejected' });
  // UnlockConnector ends the session (reason UnlockCommand), then the scheduled change applies.
  const stopped = after_('StopTransaction');
  const unavailableAfter = after_('StatusNotification', (p) => p.connectorId === 1 && p.status === 'Unavailable');
  assert.deepEqual(await cmd('UnlockConnector', { connectorId: 1 }), { status: 'Unlocked' });
  assert.equal((await stopped).params.reason, 'UnlockCommand');
  await unavailableAfter;
  assert.deepEqual(await cmd('UnlockConnector', { connectorId: 7 }), { status: 'NotSupported' });
  assert.deepEqual(await cmd('ChangeAvailability', { connectorId: 0, type: 'Operative' }), { status: 'Accepted' });
});

test('smart charging: profiles set, cleared, composite schedule', async () => {
  const profile = {
    chargingProfileId: 1,
    stackLevel: 0,
    chargingProfilePurpose: 'ChargePointMaxProfile',
    chargingProfileKind: 'Absolute',
    chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }] },
  };
  assert.deepEqual(await cmd('SetChargingProfile', { connectorId: 0, csChargingProfiles: profile }), {
    status: 'Accepted',
  });
  assert.deepEqual(
    await cmd('SetChargingProfile', {
      connectorId: 1,
      csChargingProfiles: { ...profile, chargingProfilePurpose: 'TxProfile' },
    }),
    { status: 'Rejected' },
    'no transaction',
  );
  const composite = await cmd('GetCompositeSchedule', { connectorId: 1, duration: 300 });
  assert.equal(composite.status, 'Accepted');
  assert.deepEqual((composite.chargingSchedule as { chargingSchedulePeriod: unknown[] }).chargingSchedulePeriod, [
    { startPeriod: 0, limit: 16, numberPhases: 1 },
  ]);
  assert.deepEqual(await cmd('ClearChargingProfile', { id: 1 }), { status: 'Accepted' });
  assert.deepEqual(await cmd('ClearChargingProfile', { id: 1 }), { status: 'Unknown' });
});

test('diagnostics upload and firmware update report each step; the update reboots into the new version', async () => {
  const diag = await cmd('GetDiagnostics', { location: 'ftp://example.com/diag/' });
  assert.match(diag.fileName as string, /^diagnostics-CMD0001-/);
  await server.waitFor(
    (r) => r.identity === ID && r.action === 'DiagnosticsStatusNotification' && r.params.status === 'Uploaded',
  );
  assert.deepEqual(
    server.calls(ID, 'DiagnosticsStatusNotification').map((r) => r.params.status),
    ['Uploading', 'Uploaded'],
  );

  const boots = server.calls(ID, 'BootNotification').length;
  assert.deepEqual(
    await cmd('UpdateFirmware', {
      location: 'https://example.com/fw/amos-3.1.bin',
      retrieveDate: new Date().toISOString(),
    }),
    {},
  );
  const reboot = await server.waitFor(
    (r) => r.identity === ID && r.action === 'BootNotification' && r.params.firmwareVersion === '3.1',
  );
  assert.equal(server.calls(ID, 'BootNotification').length, boots + 1);
  assert.ok(reboot.connection > 1, 'a new connection after the reboot');
  assert.deepEqual(
    server.calls(ID, 'FirmwareStatusNotification').map((r) => r.params.status),
    ['Downloading', 'Downloaded', 'Installing', 'Installed'],
  );
});

test('Reset ends the session with reason SoftReset, reconnects and boots again', async () => {
  await server.waitFor(
    (r) =>
      r.identity === ID &&
      r.action === 'StatusNotification' &&
      r.params.connectorId === 1 &&
      r.connection === server.calls(ID, 'BootNotification').at(-1)!.connection,
  );
  const started = after_('StartTransaction');
  assert.deepEqual(await cmd('RemoteStartTransaction', { idTag: 'T2' }), { status: 'Accepted' });
  await started;
  const connectionBefore = server.calls(ID, 'BootNotification').at(-1)!.connection;
  const stopped = after_('StopTransaction');
  const booted = after_('BootNotification');
  assert.deepEqual(await cmd('Reset', { type: 'Soft' }), { status: 'Accepted' });
  assert.equal((await stopped).params.reason, 'SoftReset');
  const boot = await booted;
  assert.equal(boot.connection, connectionBefore + 1);
  await server.waitFor(
    (r) =>
      r.identity === ID &&
      r.connection === boot.connection &&
      r.action === 'StatusNotification' &&
      r.params.connectorId === 1,
  );
  assert.deepEqual(server.validationFailures, []);
});
