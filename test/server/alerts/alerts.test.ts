import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Alert } from '../../../contracts/alerts.ts';
import type { ChargerEvent } from '../../../contracts/events.ts';
import { raiseCondition } from '../../../server/alerts/conditions.ts';
import type { ManualClock } from '../../../server/clock.ts';
import { NOREPLY, createRPCError, type RPCClient } from '../../../server/ocpp/rpc.ts';
import { engineName } from '../../helpers/db.ts';
import { bootedCharger, chargePoint, createOcppTestApp, nextEvent, type OcppTestApp } from '../../helpers/ocpp.ts';

type Announced = Extract<ChargerEvent, { type: 'alert.raised' | 'alert.cleared' }>;

describe(`alerts raised and cleared by the system, on ${engineName}`, () => {
  let t: OcppTestApp;
  let cp: RPCClient;
  let viewer: Record<string, string>;
  let operator: Record<string, string>;
  const announced: Announced[] = [];
  before(async () => {
    t = await createOcppTestApp({ config: { ocppCommandTimeoutMs: 300, ocppHeartbeatInterval: 60 } });
    viewer = await t.as('viewer');
    operator = await t.as('operator');
    t.app.events.subscribe((e) => {
      if (e.type === 'alert.raised' || e.type === 'alert.cleared') announced.push(e);
    });
    cp = await bootedCharger(t, 'CP-A');
  });
  after(() => t.close());

  const list = async (query = 'state=open') => {
    const res = await t.app.inject({ url: `/api/alerts?pageSize=200&${query}`, headers: viewer });
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as { total: number; unacknowledged: number; items: Alert[] };
  };
  const open = async (kind: string) => (await list()).items.filter((a) => a.kind === kind);
  /** The announcements since the last call. */
  const since = (() => {
    let seen = 0;
    return () => announced.slice(seen, (seen = announced.length)).map((e) => `${e.type} ${e.alert.kind}`);
  })();
  const status = async (connectorId: number, s: string, errorCode = 'NoError') => {
    await cp.call('StatusNotification', { connectorId, status: s, errorCode });
    await t.app.alerts.flush();
  };

  it('a Faulted connector raises charger.faulted with its error code, once, and Available clears it', async () => {
    since();
    await status(1, 'Faulted', 'GroundFailure');
    await status(1, 'Faulted', 'GroundFailure'); // resent: still the one alert
    const [a, more] = await open('charger.faulted');
    assert.ok(a);
    assert.equal(more, undefined, 'one open alert per cause');
    assert.equal(a.chargerId, 'CP-A');
    assert.equal(a.connectorId, 1);
    assert.equal(a.severity, 'critical');
    assert.equal(a.details.errorCode, 'GroundFailure');
    assert.match(a.message, /Faulted \(GroundFailure\)/);
    assert.equal(a.at, t.clock.now().toISOString());
    assert.deepEqual(since(), ['alert.raised charger.faulted']);

    (t.clock as ManualClock).advance(5_000);
    await status(1, 'Available');
    assert.deepEqual(await open('charger.faulted'), []);
    const [cleared] = (await list('state=all')).items.filter((x) => x.id === a.id);
    assert.equal(cleared!.clearedAt, t.clock.now().toISOString());
    assert.deepEqual(since(), ['alert.cleared charger.faulted']);

    await status(1, 'Faulted', 'GroundFailure');
    const [again] = await open('charger.faulted');
    assert.notEqual(again!.id, a.id, 'a new episode is a new alert');
    await status(1, 'Available');
  });

  it('an error code other than NoError raises connector.error; a new code replaces it, NoError clears it', async () => {
    since();
    await status(2, 'Charging', 'HighTemperature');
    let [a] = await open('connector.error');
    assert.equal(a!.details.errorCode, 'HighTemperature');
    assert.equal(a!.severity, 'warning');
    await status(2, 'Charging', 'OverCurrentFailure');
    const now = await open('connector.error');
    assert.deepEqual(
      now.map((x) => x.details.errorCode),
      ['OverCurrentFailure'],
    );
    [a] = now;
    await status(2, 'Available');
    assert.deepEqual(await open('connector.error'), []);
    assert.deepEqual(since(), [
      'alert.raised connector.error',
      'alert.cleared connector.error',
      'alert.raised connector.error',
      'alert.cleared connector.error',
    ]);
    assert.equal(a!.connectorId, 2);
  });

  it('a command answered with a CALLERROR or not at all raises command.failed; its next answer clears it', async () => {
    const send = () =>
      t.app.inject({ method: 'POST', url: '/api/chargers/CP-A/commands/ClearCache', headers: operator, payload: {} });
    cp.handle('ClearCache', () => {
      throw createRPCError('NotSupported', 'no cache here');
    });
    assert.equal((await send()).statusCode, 502);
    await t.app.alerts.flush();
    let [a] = await open('command.failed');
    assert.match(a!.message, /ClearCache to charger CP-A was answered with NotSupported/);
    cp.handle('ClearCache', async () => NOREPLY as never);
    assert.equal((await send()).statusCode, 504);
    await t.app.alerts.flush();
    const still = await open('command.failed');
    assert.equal(still.length, 1, 'the same cause: still one open');
    assert.equal(still[0]!.id, a!.id);
    cp.handle('ClearCache', async () => ({ status: 'Accepted' }));
    assert.equal((await send()).statusCode, 200);
    await t.app.alerts.flush();
    assert.deepEqual(await open('command.failed'), []);
    [a] = (await list('state=all')).items.filter((x) => x.kind === 'command.failed');
    assert.ok(a!.clearedAt);
  });

  it('a failed firmware download or diagnostics upload raises its alert; Installed and Uploaded clear them', async () => {
    await cp.call('FirmwareStatusNotification', { status: 'DownloadFailed' });
    await cp.call('DiagnosticsStatusNotification', { status: 'UploadFailed' });
    await t.app.alerts.flush();
    assert.equal((await open('firmware.failed')).length, 1);
    assert.equal((await open('diagnostics.failed')).length, 1);
    await cp.call('FirmwareStatusNotification', { status: 'Downloading' });
    await t.app.alerts.flush();
    assert.equal((await open('firmware.failed')).length, 1, 'a new attempt has not fixed it yet');
    await cp.call('FirmwareStatusNotification', { status: 'Installed' });
    await cp.call('DiagnosticsStatusNotification', { status: 'Uploaded' });
    await t.app.alerts.flush();
    assert.deepEqual(await open('firmware.failed'), []);
    assert.deepEqual(await open('diagnostics.failed'), []);
  });

  it('a charger silent for the missed heartbeats raises charger.offline; its next message clears it', async () => {
    const clock = t.clock as ManualClock;
    await cp.call('Heartbeat', {});
    clock.advance(181_000);
    await t.app.ocpp.checkOffline();
    await t.app.alerts.flush();
    const [a] = await open('charger.offline');
    assert.equal(a!.chargerId, 'CP-A');
    assert.match(a!.message, /has sent nothing since/);
    await cp.call('Heartbeat', {});
    await t.app.ocpp.seen.flush(); // heartbeats are written in batches (server/ocpp/seen-buffer.ts)
    await t.app.alerts.flush();
    assert.deepEqual(await open('charger.offline'), []);
  });

  it('a charger whose socket closed raises charger.offline once the threshold passes, and reconnecting clears it', async () => {
    const clock = t.clock as ManualClock;
    const other = await bootedCharger(t, 'CP-GONE');
    const gone = nextEvent(t, (e) => e.type === 'disconnected' && e.chargerId === 'CP-GONE');
    await other.close({ force: true });
    await gone;
    await t.app.alerts.checkOffline();
    assert.deepEqual(
      (await open('charger.offline')).map((a) => a.chargerId),
      [],
      'gone for less than the threshold',
    );
    clock.advance(3 * 300_000 + 1_000);
    await t.app.alerts.checkOffline();
    assert.deepEqual(
      (await open('charger.offline')).map((a) => a.chargerId),
      ['CP-GONE'],
    );
    const back = chargePoint(t, 'CP-GONE');
    await back.connect();
    await back.call('Heartbeat', {});
    await t.app.ocpp.seen.flush();
    await t.app.ocpp.live.settled(); // the connect is a batched write, published after it commits
    await t.app.alerts.flush();
    assert.deepEqual(await open('charger.offline'), []);
    await cp.call('Heartbeat', {}); // CP-A is seen again too
  });

  it('a session with an implausible meter reading raises meter_anomaly, announced live', async () => {
    since();
    await cp.call('StatusNotification', { connectorId: 3, status: 'Preparing', errorCode: 'NoError' });
    await cp.call('StartTransaction', {
      connectorId: 3,
      idTag: 'ANY',
      meterStart: -5,
      timestamp: t.clock.now().toISOString(),
    });
    await t.app.alerts.flush();
    const [a] = await open('meter_anomaly');
    assert.equal(a!.chargerId, 'CP-A');
    assert.ok(since().includes('alert.raised meter_anomaly'));
  });

  it('concurrent raises of one cause leave one open alert', async () => {
    const rows = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        raiseCondition(t.app, {
          kind: 'charger.faulted',
          cause: 'CP-A:9:OtherError',
          chargerId: 'CP-A',
          connectorId: 9,
          message: `try ${i}`,
        }),
      ),
    );
    assert.equal(rows.filter(Boolean).length, 1);
    assert.equal((await open('charger.faulted')).filter((a) => a.connectorId === 9).length, 1);
    await status(9, 'Available');
    assert.equal((await open('charger.faulted')).filter((a) => a.connectorId === 9).length, 0);
  });

  it('POST /api/alerts/<id>/ack: operators only, the first acknowledgement kept, unknown ids and fields refused', async () => {
    await status(1, 'Faulted', 'EVCommunicationError');
    const [a] = await open('charger.faulted');
    const before = (await list()).unacknowledged;
    const ack = (headers: Record<string, string>, id = a!.id, payload?: object) =>
      t.app.inject({ method: 'POST', url: `/api/alerts/${id}/ack`, headers, ...(payload ? { payload } : {}) });
    assert.equal((await ack(viewer)).statusCode, 403);
    const first = await ack(operator);
    assert.equal(first.statusCode, 200, first.body);
    assert.equal(first.json().acknowledgedBy, 'user:operator-user');
    assert.equal(first.json().acknowledgedAt, t.clock.now().toISOString());
    assert.equal(first.json().clearedAt, null, 'acknowledged is not over: the system clears it');
    (t.clock as ManualClock).advance(60_000);
    const second = await ack(await t.as('admin'));
    assert.equal(second.statusCode, 200);
    assert.equal(second.json().acknowledgedBy, 'user:operator-user', 'repeating changes nothing');
    assert.equal(second.json().acknowledgedAt, first.json().acknowledgedAt);
    assert.equal((await list()).unacknowledged, before - 1, 'the bell counts open and unacknowledged');
    assert.equal((await ack(operator, 999_999)).statusCode, 404);
    const extra = await ack(operator, a!.id, { note: 'x' });
    assert.equal(extra.statusCode, 400);
    assert.equal(extra.json().fields.note, 'is not an accepted field');
  });

  it('acknowledging a one-time notice (nothing will clear it) clears it too', async () => {
    const [row] = await t.app.repos.alerts.raise([
      {
        at: t.clock.now(),
        kind: 'clock_skew',
        severity: 'warning',
        chargerId: 'CP-A',
        message: 'clock',
        dedupKey: 'x:1',
      },
    ]);
    const res = await t.app.inject({ method: 'POST', url: `/api/alerts/${row!.id}/ack`, headers: operator });
    assert.equal(res.json().clearedAt, t.clock.now().toISOString());
    assert.ok(!(await list()).items.some((x) => x.id === row!.id));
  });

  it('GET /api/alerts?state=open|all pages, and refuses unknown fields and states', async () => {
    const all = await list('state=all');
    const openOnes = await list('state=open');
    assert.ok(all.total > openOnes.total);
    assert.ok(openOnes.items.every((a) => a.clearedAt === null));
    const page = (await t.app.inject({ url: '/api/alerts?state=all&pageSize=2&page=2', headers: viewer })).json();
    assert.deepEqual(
      page.items.map((a: Alert) => a.id),
      all.items.slice(2, 4).map((a) => a.id),
    );
    assert.deepEqual((await list('')).total, all.total, 'all by default, as before');
    const unknown = await t.app.inject({ url: '/api/alerts?stat=open', headers: viewer });
    assert.equal(unknown.statusCode, 400);
    assert.match(unknown.body, /stat/);
    assert.equal((await t.app.inject({ url: '/api/alerts?state=closed', headers: viewer })).statusCode, 400);
  });
});
