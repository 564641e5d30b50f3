import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { testConfig } from '../../../server/config.ts';
import { engineName } from '../../helpers/db.ts';
import { gate } from '../../helpers/gate.ts';
import { SECRET, createOcppTestApp, registerCharger, type OcppTestApp } from '../../helpers/ocpp.ts';
import { heldRequest, rawRequest, upgradeRequest } from '../../helpers/raw-http.ts';

const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
const LIMITS = { ...testConfig().limits, maxPendingHandshakesPerAddress: 3, maxPendingOcppHandshakes: 5, handshakeTimeoutMs: 1_000 };

describe(`WebSocket handshakes in progress are bounded on ${engineName}`, () => {
  let t: OcppTestApp;
  let port: number;
  /** Admission of ids starting SLOW- waits here, as behind a slow database read. */
  let slow = gate();
  let arrived = 0;
  let onArrival: (() => void) | undefined;
  before(async () => {
    t = await createOcppTestApp({ config: { ocppAutoRegister: false, limits: LIMITS } });
    port = (t.app.server.address() as AddressInfo).port;
    await registerCharger(t, 'CP-A');
    const chargers = t.app.repos.chargers;
    const get = chargers.get.bind(chargers);
    chargers.get = async (id: string) => {
      if (id.startsWith('SLOW-')) {
        arrived++;
        onArrival?.();
        await slow.promise;
      }
      return get(id);
    };
  });
  after(() => t.close());

  /** Starts `n` handshakes from `from` that stay pending in admission; resolves once all have reached it. */
  async function hold(n: number, from: string) {
    const target = arrived + n;
    const reached = new Promise<void>((resolve) => {
      onArrival = () => arrived >= target && resolve();
    });
    const held = Array.from({ length: n }, (_, i) => heldRequest(port, upgradeRequest(`/ocpp/SLOW-${from}-${i}`, { 'Sec-WebSocket-Protocol': 'ocpp1.6' }), from));
    await reached;
    return held;
  }

  async function metrics(): Promise<string> {
    return (await t.app.inject('/metrics')).body;
  }
  const value = (text: string, line: string) => Number(text.split('\n').find((l) => l.startsWith(line))?.split(' ').pop() ?? 0);

  /** Lets the held admissions finish, then waits until the server has freed every slot. */
  async function release() {
    slow.open();
    for (let i = 0; value(await metrics(), 'websocket_handshakes_pending{endpoint="/ocpp/"}') !== 0; i++) {
      assert.ok(i < 10_000, 'the pending handshakes were never freed');
      await new Promise((r) => setImmediate(r));
    }
    slow = gate();
  }

  const validCharger = (from: string) => rawRequest(port, upgradeRequest('/ocpp/CP-A', { 'Sec-WebSocket-Protocol': 'ocpp1.6', Authorization: basic('CP-A', SECRET) }), from);

  it('beyond the per-address cap a handshake is refused 429 with Retry-After; another address still connects', { timeout: 30_000 }, async () => {
    const held = await hold(3, '127.0.0.1');
    const m = await metrics();
    assert.equal(value(m, 'websocket_handshakes_pending{endpoint="/ocpp/"}'), 3);

    const beyond = await validCharger('127.0.0.1');
    assert.equal(beyond.status, 429);
    assert.match(beyond.text, /\r\nRetry-After: \d+\r\n/);
    // The cap is per address and covers every WebSocket endpoint.
    assert.equal((await rawRequest(port, upgradeRequest('/api/live'), '127.0.0.1')).status, 429);

    assert.equal((await validCharger('127.0.0.2')).status, 101, 'another address is not held up');
    assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200, 'plain HTTP from the busy address is served');
    assert.ok(value(await metrics(), 'websocket_handshakes_refused_total{endpoint="/ocpp/",reason="address_busy"}') >= 1);

    await release();
    await Promise.all(held.map((h) => h.closed));
    assert.equal((await validCharger('127.0.0.1')).status, 101, 'the address gets in again once its handshakes are answered');
  });

  it('beyond the bound on OCPP handshakes in progress a handshake is refused 503 with Retry-After; the live push is not bounded by it', { timeout: 30_000 }, async () => {
    const held = [...(await hold(3, '127.0.0.3')), ...(await hold(2, '127.0.0.4'))];
    const busy = await validCharger('127.0.0.5');
    assert.equal(busy.status, 503);
    assert.match(busy.text, /\r\nRetry-After: \d+\r\n/);
    assert.equal((await rawRequest(port, upgradeRequest('/api/live'), '127.0.0.5')).status, 401, 'reaches the live endpoint, which wants credentials');
    assert.ok(value(await metrics(), 'websocket_handshakes_refused_total{endpoint="/ocpp/",reason="server_busy"}') >= 1);
    await release();
    await Promise.all(held.map((h) => h.closed));
    assert.equal((await validCharger('127.0.0.5')).status, 101);
  });

  it('a handshake not answered within WS_HANDSHAKE_TIMEOUT_MS is answered 503 and closed; its slot is freed when the work ends', { timeout: 30_000 }, async () => {
    const timedOut = value(await metrics(), 'http_requests_timed_out_total{phase="handshake"}');
    const [held] = await hold(1, '127.0.0.6');
    const text = await held!.closed;
    assert.match(text, /^HTTP\/1\.1 503 /);
    assert.match(text, /Handshake not answered in time/);
    const m = await metrics();
    assert.equal(value(m, 'http_requests_timed_out_total{phase="handshake"}'), timedOut + 1);
    assert.equal(value(m, 'websocket_handshakes_pending{endpoint="/ocpp/"}'), 1, 'admission is still working on it');
    await release();
    assert.equal((await validCharger('127.0.0.6')).status, 101);
  });
});
