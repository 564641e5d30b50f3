import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import type { ChargerEvent } from '../../../contracts/events.ts';
import { createTestApp, type TestApp } from '../../helpers/app.ts';
import { engineName } from '../../helpers/db.ts';

/** The handshake's HTTP status when the server refuses the upgrade. */
function refusal(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('open', () => reject(new Error('the handshake was accepted')));
    ws.on('error', () => {});
  });
}

async function open(
  url: string,
  headers: Record<string, string>,
  opts: WebSocket.ClientOptions = {},
): Promise<WebSocket> {
  const ws = new WebSocket(url, { headers, ...opts });
  await once(ws, 'open');
  return ws;
}

function nextMessage(ws: WebSocket): Promise<ChargerEvent> {
  return new Promise((resolve) => ws.once('message', (data) => resolve(JSON.parse(String(data)) as ChargerEvent)));
}

const status = (chargerId: string, s = 'Charging'): ChargerEvent => ({
  type: 'status',
  chargerId,
  at: new Date().toISOString(),
  connectorId: 1,
  status: s,
  errorCode: 'NoError',
  state: s,
});

describe(`live push at /api/live on ${engineName}`, () => {
  let t: TestApp;
  let base: string;
  let viewer: Record<string, string>;
  before(async () => {
    t = await createTestApp({ config: { livePingMs: 600_000, liveMaxBufferBytes: 64 * 1024 } });
    await t.app.repos.chargers.create({ id: 'CP1' }, new Date());
    await t.app.repos.chargers.create({ id: 'CP2' }, new Date());
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (t.app.server.address() as AddressInfo).port;
    base = `ws://127.0.0.1:${port}/api/live`;
    // What a browser sends from the dashboard at http://127.0.0.1:<port>/.
    viewer = { ...(await t.as('viewer')), origin: `http://127.0.0.1:${port}` };
  });
  after(() => t.close());

  it('refuses a handshake without valid credentials, and an unknown charger filter', async () => {
    assert.equal(await refusal(base), 401);
    assert.equal(await refusal(base, { authorization: 'Bearer co_nope' }), 401);
    assert.equal(await refusal(`${base}?charger_id=NOPE`, viewer), 404);
    assert.equal(await refusal(`${base}/other`, viewer), 404);
    assert.equal(await refusal(`${base}?scope=charger`, viewer), 400, 'an unknown scope');
    assert.equal(await refusal(`${base}?scope=site&charger_id=CP1`, viewer), 400, 'a scope with a charger');
  });

  it('refuses the session cookie from a page of another origin, even of the same site (403)', async () => {
    const port = new URL(base).port;
    const { cookie } = viewer;
    assert.equal(
      await refusal(base, { cookie: cookie!, origin: `http://127.0.0.1:${Number(port) + 1}` }),
      403,
      'another port of the host',
    );
    assert.equal(
      await refusal(base, { cookie: cookie!, origin: `http://localhost:${port}` }),
      403,
      'another host name',
    );
    assert.equal(await refusal(base, { cookie: cookie!, origin: 'https://evil.example' }), 403);
    assert.equal(await refusal(base, { cookie: cookie!, origin: 'null' }), 403);
    assert.equal(await refusal(base, { cookie: cookie! }), 403, 'neither Origin nor Referer');
  });

  it('a bearer token opens the stream whatever the Origin (a page cannot add one)', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: await t.as('admin'),
      payload: { name: 'kiosk', role: 'viewer' },
    });
    const ws = await open(base, {
      authorization: `Bearer ${created.json().token}`,
      origin: 'https://wallboard.example',
    });
    ws.close();
  });

  it('forwards bus events as JSON within a second, with a cookie or a bearer token', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: await t.as('admin'),
      payload: { name: 'wall', role: 'viewer' },
    });
    const byToken = await open(base, { authorization: `Bearer ${created.json().token}` });
    const byCookie = await open(`${base}/`, viewer);
    const event = status('CP1');
    const sent = Date.now();
    const got = Promise.all([nextMessage(byToken), nextMessage(byCookie)]);
    t.app.events.publish(event);
    const [a, b] = await got;
    assert.ok(Date.now() - sent < 1000);
    assert.deepEqual(a, event);
    assert.deepEqual(b, event);
    byToken.close();
    byCookie.close();
  });

  it("?charger_id= sends only that charger's events", async () => {
    const ws = await open(`${base}?charger_id=CP2`, viewer);
    const got = nextMessage(ws);
    t.app.events.publish(status('CP1'));
    t.app.events.publish({
      type: 'transaction.stopped',
      chargerId: 'CP2',
      at: new Date().toISOString(),
      transactionId: 7,
      energyWh: 1200,
      reason: null,
      cause: 'charger',
    });
    const msg = await got;
    assert.equal('chargerId' in msg && msg.chargerId, 'CP2');
    assert.equal(msg.type, 'transaction.stopped');
    ws.close();
  });

  it('?scope=site sends only the events that name no charger', async () => {
    const ws = await open(`${base}?scope=site`, viewer);
    const got = nextMessage(ws);
    t.app.events.publish(status('CP1'));
    const settings: ChargerEvent = { type: 'settings.changed', at: new Date().toISOString() };
    t.app.events.publish(settings);
    assert.deepEqual(await got, settings);
    ws.close();
  });

  it('drops a consumer that does not read instead of buffering without bound', async () => {
    const bus = t.app.events as unknown as { listeners: Set<unknown> };
    const slow = await open(base, viewer);
    const fast = await open(base, viewer);
    let fastCount = 0;
    fast.on('message', () => fastCount++);
    // Stop reading: the kernel buffers fill, then the server-side backlog grows past the bound.
    (slow as unknown as { _socket: { pause(): void } })._socket.pause();
    const subscribed = bus.listeners.size;
    const value = { measurand: 'Power.Active.Import', value: 1, unit: 'x'.repeat(1024) };
    let sent = 0;
    // Batches well under the bound, with a turn of the event loop between them, so
    // the reader that keeps up (same process) reads; bounded so a bug cannot hang.
    while (sent < 50_000 && bus.listeners.size === subscribed) {
      for (let i = 0; i < 20; i++, sent++) {
        t.app.events.publish({
          type: 'meter',
          chargerId: 'CP1',
          at: new Date().toISOString(),
          connectorId: 1,
          transactionId: null,
          timestamp: new Date().toISOString(),
          values: [value],
        });
      }
      await new Promise((r) => setImmediate(r));
    }
    assert.equal(bus.listeners.size, subscribed - 1, 'the slow client was dropped');
    const closed = once(slow, 'close');
    (slow as unknown as { _socket: { resume(): void } })._socket.resume();
    await closed;
    assert.equal(fast.readyState, WebSocket.OPEN, 'the reader that keeps up stays connected');
    while (fastCount < sent) await once(fast, 'message');
    assert.equal(fastCount, sent, 'and got every event');
    fast.close();
  });
});

describe('live push heartbeat', () => {
  let t: TestApp;
  let base: string;
  let origin: string;
  before(async () => {
    t = await createTestApp({ config: { livePingMs: 200 } });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    origin = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    base = `ws${origin.slice(4)}/api/live`;
  });
  after(() => t.close());

  it('pings, and drops a client that stops answering them', async () => {
    const viewer = { ...(await t.as('viewer')), origin };
    const healthy = await open(base, viewer);
    await once(healthy, 'ping');
    const mute = await open(base, viewer, { autoPong: false });
    const [code] = (await once(mute, 'close')) as [number];
    assert.equal(code, 1006, 'terminated without a close frame');
    assert.equal(healthy.readyState, WebSocket.OPEN);
    healthy.close();
  });
});
