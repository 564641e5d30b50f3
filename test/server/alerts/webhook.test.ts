import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { AlertWebhookBody } from '../../../contracts/alerts.ts';
import type { Database } from '../../../db/client.ts';
import { ManualClock } from '../../../server/clock.ts';
import { createTestDatabase, engineName } from '../../helpers/db.ts';
import {
  BOOT,
  bootedCharger,
  chargePoint,
  createOcppTestApp,
  registerCharger,
  type OcppTestApp,
} from '../../helpers/ocpp.ts';

interface Received {
  body: AlertWebhookBody;
  contentType: string | undefined;
}

/** A real HTTP receiver on a loopback port that answers each POST with the next status of `statuses` (then 204). */
async function receiver(statuses: number[]): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (raw += c));
    req.on('end', () => {
      received.push({ body: JSON.parse(raw) as AlertWebhookBody, contentType: req.headers['content-type'] });
      res.statusCode = statuses.shift() ?? 204;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received };
}

const closeServer = (s: Server) => new Promise<void>((resolve) => s.close(() => resolve()));

describe(`ALERT_WEBHOOK_URL, on ${engineName}`, () => {
  let database: Database;
  let hook: Awaited<ReturnType<typeof receiver>>;
  let t: OcppTestApp;
  let clock: ManualClock;
  before(async () => {
    database = await createTestDatabase();
    hook = await receiver([500]); // the receiver fails once
    clock = new ManualClock('2026-03-15T08:00:00Z');
    t = await createOcppTestApp({ database, clock, config: { alertWebhookUrl: hook.url } });
  });
  after(async () => {
    await t.close();
    await closeServer(hook.server);
    await database.close();
  });

  it('a raise is POSTed as JSON, tried again after the back-off when the receiver fails, then the clear', async () => {
    const cp = await bootedCharger(t, 'CP-W');
    await cp.call('StatusNotification', { connectorId: 0, status: 'Faulted', errorCode: 'PowerMeterFailure' });
    await t.app.alerts.flush();
    assert.equal(hook.received.length, 1, 'sent at once');
    const [first] = hook.received;
    assert.equal(first!.contentType, 'application/json');
    assert.equal(first!.body.event, 'alert.raised');
    assert.equal(first!.body.alert.kind, 'charger.faulted');
    assert.equal(first!.body.alert.chargerId, 'CP-W');
    assert.equal(first!.body.alert.details.errorCode, 'PowerMeterFailure');
    const [pending] = await t.app.repos.alerts.undelivered(clock.now());
    assert.equal(pending!.attempts, 1);
    assert.equal(pending!.lastError, 'HTTP 500');

    await t.app.alerts.flush();
    assert.equal(hook.received.length, 1, 'not before the back-off');
    clock.advance(1_000);
    await t.app.alerts.flush();
    assert.equal(hook.received.length, 2, 'retried after 1 s');
    assert.deepEqual(hook.received[1]!.body, first!.body, 'the same notice, the same deliveryId');
    assert.deepEqual(await t.app.repos.alerts.undelivered(clock.now()), []);

    await cp.call('StatusNotification', { connectorId: 0, status: 'Available', errorCode: 'NoError' });
    await t.app.alerts.flush();
    assert.equal(hook.received.length, 3);
    assert.equal(hook.received[2]!.body.event, 'alert.cleared');
    assert.equal(hook.received[2]!.body.alert.id, first!.body.alert.id);
    assert.ok(hook.received[2]!.body.alert.clearedAt);
    assert.notEqual(hook.received[2]!.body.deliveryId, first!.body.deliveryId);
  });

  it('a notice not delivered before a restart is delivered by the next process', async () => {
    await registerCharger(t, 'CP-X'); // the next processes share the database and its users
    // This process's receiver is down: the notice stays in the outbox.
    await t.close();
    const down = await receiver([]);
    await closeServer(down.server);
    t = await createOcppTestApp({ database, clock, config: { alertWebhookUrl: down.url } });
    const cp = chargePoint(t, 'CP-X');
    await cp.connect();
    await cp.call('BootNotification', BOOT);
    await cp.call('StatusNotification', { connectorId: 1, status: 'Faulted', errorCode: 'GroundFailure' });
    await t.app.alerts.flush();
    const [left] = await t.app.repos.alerts.undelivered(clock.now());
    assert.equal(left!.attempts, 1);
    assert.match(left!.lastError ?? '', /fetch failed|ECONNREFUSED/);
    await t.close();

    t = await createOcppTestApp({ database, clock, config: { alertWebhookUrl: hook.url } });
    const before = hook.received.length;
    clock.advance(1_000);
    await t.app.alerts.flush();
    const got = hook.received.slice(before);
    assert.equal(got.length, 1);
    assert.equal(got[0]!.body.alert.chargerId, 'CP-X');
    assert.equal(got[0]!.body.event, 'alert.raised');
  });
});
