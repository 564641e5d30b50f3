import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { NOREPLY, createRPCError, type RPCClient } from '../../../server/ocpp/rpc.ts';
import { engineName } from '../../helpers/db.ts';
import { BOOT, bootedCharger, createOcppTestApp, registerCharger, type OcppTestApp } from '../../helpers/ocpp.ts';

/** Every OCPP 1.6 §5 command with a valid request and a valid answer from the charger. */
const COMMANDS: Record<string, [Record<string, unknown>, Record<string, unknown>]> = {
  RemoteStartTransaction: [{ idTag: 'GOOD', connectorId: 1 }, { status: 'Accepted' }],
  RemoteStopTransaction: [{ transactionId: 1 }, { status: 'Accepted' }],
  Reset: [{ type: 'Soft' }, { status: 'Accepted' }],
  UnlockConnector: [{ connectorId: 1 }, { status: 'Unlocked' }],
  ChangeAvailability: [{ connectorId: 0, type: 'Inoperative' }, { status: 'Scheduled' }],
  GetConfiguration: [
    { key: ['HeartbeatInterval', 'Nope'] },
    { configurationKey: [{ key: 'HeartbeatInterval', readonly: false, value: '300' }], unknownKey: ['Nope'] },
  ],
  ChangeConfiguration: [{ key: 'HeartbeatInterval', value: '120' }, { status: 'Accepted' }],
  ClearCache: [{}, { status: 'Accepted' }],
  TriggerMessage: [{ requestedMessage: 'StatusNotification', connectorId: 1 }, { status: 'Accepted' }],
  UpdateFirmware: [
    { location: 'https://fw.example.com/evg-3.bin', retrieveDate: '2026-03-15T09:00:00Z', retries: 2 },
    {},
  ],
  GetDiagnostics: [{ location: 'ftp://diag.example.com/upload/' }, { fileName: 'diag-CP1.zip' }],
  DataTransfer: [
    { vendorId: 'evpower', messageId: 'display', data: 'hello' },
    { status: 'Accepted', data: 'ok' },
  ],
  ReserveNow: [
    { connectorId: 1, expiryDate: '2026-03-15T10:00:00Z', idTag: 'GOOD', reservationId: 7 },
    { status: 'Accepted' },
  ],
  CancelReservation: [{ reservationId: 7 }, { status: 'Accepted' }],
  SetChargingProfile: [
    {
      connectorId: 1,
      csChargingProfiles: {
        chargingProfileId: 1,
        stackLevel: 0,
        chargingProfilePurpose: 'TxDefaultProfile',
        chargingProfileKind: 'Absolute',
        chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }] },
      },
    },
    { status: 'Accepted' },
  ],
  ClearChargingProfile: [{ id: 1 }, { status: 'Accepted' }],
  GetCompositeSchedule: [
    { connectorId: 1, duration: 3600, chargingRateUnit: 'A' },
    { status: 'Accepted', connectorId: 1, scheduleStart: '2026-03-15T08:00:00Z' },
  ],
  SendLocalList: [
    {
      listVersion: 2,
      updateType: 'Full',
      localAuthorizationList: [{ idTag: 'GOOD', idTagInfo: { status: 'Accepted' } }],
    },
    { status: 'Accepted' },
  ],
  GetLocalListVersion: [{}, { listVersion: 2 }],
};

describe(`commands to chargers on ${engineName}`, () => {
  let t: OcppTestApp;
  let cp: RPCClient;
  const received: Record<string, unknown> = {};
  let operator: Record<string, string>;
  before(async () => {
    t = await createOcppTestApp({ config: { ocppCommandTimeoutMs: 1500 } });
    operator = await t.as('operator');
    cp = await bootedCharger(t, 'CP1');
    for (const [action, [, answer]] of Object.entries(COMMANDS)) {
      cp.handle(action, async ({ params }: { params?: unknown }) => {
        received[action] = params;
        return answer;
      });
    }
  });
  after(() => t.close());

  const send = (action: string, payload: unknown, charger = 'CP1', headers?: Record<string, string>) =>
    t.app.inject({
      method: 'POST',
      url: `/api/chargers/${charger}/commands/${action}`,
      headers: headers ?? operator,
      payload: payload as object,
    });

  it('all 19 commands reach the charger and answer its response, each audited', async () => {
    assert.equal(Object.keys(COMMANDS).length, 19);
    for (const [action, [payload, answer]] of Object.entries(COMMANDS)) {
      const res = await send(action, payload);
      assert.equal(res.statusCode, 200, `${action}: ${res.body}`);
      const body = res.json();
      assert.deepEqual(body.response, answer, action);
      assert.equal(body.action, action);
      assert.deepEqual(received[action], payload, `${action} payload arrived as sent`);
    }
    const log = await t.app.inject({ url: '/api/chargers/CP1/commands?limit=500', headers: await t.as('viewer') });
    assert.equal(log.statusCode, 200);
    const rows = log.json() as {
      action: string;
      outcome: string;
      requestedBy: string;
      payload: unknown;
      response: unknown;
      durationMs: number;
    }[];
    assert.equal(rows.length, 19);
    const reset = rows.find((r) => r.action === 'Reset')!;
    assert.deepEqual(
      { ...reset, durationMs: typeof reset.durationMs },
      {
        ...reset,
        outcome: 'answered',
        requestedBy: 'user:operator-user',
        payload: { type: 'Soft' },
        response: { status: 'Accepted' },
        durationMs: 'number',
      },
    );
    const all = await t.app.inject({ url: '/api/commands?charger_id=CP1&limit=2', headers: await t.as('viewer') });
    assert.deepEqual(
      all.json().map((r: { action: string }) => r.action),
      ['GetLocalListVersion', 'SendLocalList'],
    );
  });

  it('a payload that breaks the OCPP schema is 400 naming the reason, and is not sent', async () => {
    const res = await send('Reset', { type: 'Warm' });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().code, 'VALIDATION_FAILED');
    assert.match(res.json().message, /Reset payload breaks the OCPP 1.6 schema/);
    assert.ok(res.json().fields.type, JSON.stringify(res.json()));
    const missing = await send('RemoteStartTransaction', { connectorId: 1 });
    assert.equal(missing.statusCode, 400);
    assert.equal(missing.json().fields.idTag, 'is required');
  });

  it('an unknown action is 404, an unknown charger 404, a charger not connected 409', async () => {
    assert.equal((await send('MakeCoffee', {})).statusCode, 404);
    assert.equal((await send('Reset', { type: 'Hard' }, 'CP-NONE')).statusCode, 404);
    await registerCharger(t, 'CP-OFF');
    const res = await send('Reset', { type: 'Hard' }, 'CP-OFF');
    assert.equal(res.statusCode, 409);
    assert.equal(res.json().code, 'CHARGER_NOT_CONNECTED');
    const [row] = (await t.app.inject({ url: '/api/commands?charger_id=CP-OFF', headers: operator })).json();
    assert.equal(row.outcome, 'not_connected');
  });

  it('a viewer may read the audit but not send', async () => {
    assert.equal((await send('ClearCache', {}, 'CP1', await t.as('viewer'))).statusCode, 403);
  });

  it('a CALLERROR from the charger is 502 with its code', async () => {
    cp.handle('ClearCache', () => {
      throw createRPCError('NotSupported', 'no cache here');
    });
    const res = await send('ClearCache', {});
    assert.equal(res.statusCode, 502);
    assert.equal(res.json().details.errorCode, 'NotSupported');
    const [row] = (await t.app.inject({ url: '/api/commands?charger_id=CP1&limit=1', headers: operator })).json();
    assert.equal(row.outcome, 'error');
    assert.equal(row.errorCode, 'NotSupported');
  });

  it("a 1.6 charger's error reaches REST under its OCPP 1.6 name, not OCPP 2.0's", async () => {
    const code = async () => {
      const res = await send('ClearCache', {});
      assert.equal(res.statusCode, 502, res.body);
      const [row] = (await t.app.inject({ url: '/api/commands?charger_id=CP1&limit=1', headers: operator })).json();
      assert.equal(row.errorCode, res.json().details.errorCode, 'audited under the same name');
      return res.json().details.errorCode as string;
    };
    // An answer that breaks the ClearCache.conf schema (written raw, past the charger's own strict mode):
    // ocpp-rpc's validator calls that FormatViolation, OCPP 2.0's name.
    cp.handle('ClearCache', ({ messageId }: { messageId?: string }) => {
      cp.sendRaw(JSON.stringify([3, messageId, { status: 'Maybe' }]));
      return NOREPLY as never;
    });
    assert.equal(await code(), 'FormationViolation');
    // A charger that names the 2.0 code itself.
    cp.handle('ClearCache', ({ messageId }: { messageId?: string }) => {
      cp.sendRaw(JSON.stringify([4, messageId, 'FormatViolation', 'bad request', {}]));
      return NOREPLY as never;
    });
    assert.equal(await code(), 'FormationViolation');
    // ocpp-rpc on a 1.6 charger "corrects" the errata's one-r spelling on the wire.
    cp.handle('ClearCache', () => {
      throw createRPCError('OccurenceConstraintViolation', 'a field is missing');
    });
    assert.equal(await code(), 'OccurenceConstraintViolation');
    cp.handle('ClearCache', async () => ({ status: 'Accepted' }));
  });

  it('no answer in time is 504; the next command still goes through', async () => {
    cp.handle('ClearCache', async () => NOREPLY as never);
    const res = await send('ClearCache', {});
    assert.equal(res.statusCode, 504);
    const [row] = (await t.app.inject({ url: '/api/commands?charger_id=CP1&limit=1', headers: operator })).json();
    assert.equal(row.outcome, 'timeout');
    cp.handle('ClearCache', async () => ({ status: 'Accepted' }));
    assert.equal((await send('ClearCache', {})).statusCode, 200);
  });

  it('remote start shows RemoteCharging until the StartTransaction; a rejection ends it at once', async () => {
    const view = async () => (await t.app.inject({ url: '/api/chargers/CP1', headers: operator })).json();
    assert.equal((await send('RemoteStartTransaction', { idTag: 'GOOD', connectorId: 1 })).statusCode, 200);
    assert.equal((await view()).transitionalState, 'RemoteCharging');
    assert.equal((await view()).effectiveState, 'RemoteCharging');
    const start = (await cp.call('StartTransaction', {
      connectorId: 1,
      idTag: 'GOOD',
      meterStart: 0,
      timestamp: '2026-03-15T08:00:00Z',
    })) as { transactionId: number };
    assert.equal((await view()).transitionalState, null);

    assert.equal((await send('RemoteStopTransaction', { transactionId: start.transactionId })).statusCode, 200);
    assert.equal((await view()).transitionalState, 'RemoteStopCharging');
    await cp.call('StopTransaction', {
      transactionId: start.transactionId,
      meterStop: 10,
      timestamp: '2026-03-15T08:10:00Z',
      reason: 'Remote',
    });
    assert.equal((await view()).transitionalState, null);

    cp.handle('RemoteStartTransaction', async () => ({ status: 'Rejected' }));
    assert.equal((await send('RemoteStartTransaction', { idTag: 'GOOD' })).json().response.status, 'Rejected');
    assert.equal((await view()).transitionalState, null);
  });

  it('Reset shows Reboot until the charger boots; UpdateFirmware shows Updating until Installed; DataTransfer shows SendMessage while outstanding', async () => {
    const state = async () => (await t.app.repos.chargers.get('CP1'))!.transitionalState;
    await send('Reset', { type: 'Hard' });
    assert.equal(await state(), 'Reboot');
    await cp.call('BootNotification', BOOT);
    assert.equal(await state(), null);

    await send('UpdateFirmware', COMMANDS.UpdateFirmware![0]);
    assert.equal(await state(), 'Updating');
    await cp.call('FirmwareStatusNotification', { status: 'Downloading' });
    assert.equal(await state(), 'Updating');
    await cp.call('FirmwareStatusNotification', { status: 'Installed' });
    assert.equal(await state(), null);

    let during: string | null = null;
    cp.handle('DataTransfer', async () => {
      during = await state();
      return { status: 'Accepted' };
    });
    await send('DataTransfer', { vendorId: 'evpower' });
    assert.equal(during, 'SendMessage');
    assert.equal(await state(), null);
  });
});
