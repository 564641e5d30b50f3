import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { testConfig } from '../../../server/config.ts';
import { engineName } from '../../helpers/db.ts';
import { gate } from '../../helpers/gate.ts';
import { SECRET, chargePoint, createOcppTestApp, registerCharger, type OcppTestApp } from '../../helpers/ocpp.ts';
import { heldRequest, rawRequest, upgradeRequest } from '../../helpers/raw-http.ts';
import { scrape } from '../../helpers/metrics.ts';

const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
const LIMITS = { ...testConfig().limits, maxPendingHandshakesPerAddress: 3, maxPendingOcppHandshakes: 5 };
const value = (text: string, line: string) =>
  Number(
    text
      .split('\n')
      .find((l) => l.startsWith(line))
      ?.split(' ')
      .pop() ?? 0,
  );

const WRONG_SECRET = 'not-the-secret-0';

/**
 * The real app on a loopback port, where admission of ids starting SLOW-
 * waits for the test (as behind a slow database read), so handshakes stay
 * in progress exactly as long as a test needs.
 */
function boundedServer(limits: typeof LIMITS) {
  const s = {
    t: undefined as unknown as OcppTestApp,
    port: 0,
    slow: gate(),
    arrived: 0,
    onArrival: undefined as (() => void) | undefined,
    async start() {
      s.t = await createOcppTestApp({ config: { ocppAutoRegister: false, limits } });
      s.port = (s.t.app.server.address() as AddressInfo).port;
      await registerCharger(s.t, 'CP-A');
      // Held at the secret check, not at the database: the row look-ups of many
      // handshakes go as one batch (server/ocpp/live-writes.ts), so holding one
      // there would hold every handshake behind it.
      const secrets = s.t.app.ocpp.secrets;
      const verify = secrets.verify.bind(secrets);
      secrets.verify = async (secret, row) => {
        if (row?.id.startsWith('SLOW-')) {
          s.arrived++;
          s.onArrival?.();
          await s.slow.promise;
        }
        return verify(secret, row);
      };
    },
    /** Starts `n` handshakes from `from` that stay in admission; resolves once all have reached it. */
    async hold(n: number, from: string) {
      // Registered, so the secret check sees their rows (an unknown id is checked against no row);
      // a wrong secret, so each is refused (and its socket closed) once released.
      for (let i = 0; i < n; i++) await registerCharger(s.t, `SLOW-${from}-${i}`);
      const target = s.arrived + n;
      const reached = new Promise<void>((resolve) => {
        s.onArrival = () => s.arrived >= target && resolve();
      });
      const held = Array.from({ length: n }, (_, i) =>
        heldRequest(
          s.port,
          upgradeRequest(`/ocpp/SLOW-${from}-${i}`, {
            'Sec-WebSocket-Protocol': 'ocpp1.6',
            Authorization: basic(`SLOW-${from}-${i}`, WRONG_SECRET),
          }),
          from,
        ),
      );
      // A handshake answered before it reached admission would leave this waiting: fail at once instead.
      const early = Promise.race(held.map((h) => h.closed)).then((text) =>
        Promise.reject(new Error(`a held handshake was answered early: ${text.slice(0, 200)}`)),
      );
      early.catch(() => undefined);
      await Promise.race([reached, early]);
      return held;
    },
    async metrics(): Promise<string> {
      return scrape(s.t);
    },
    /** Lets the held admissions finish, then waits until the server has freed every slot. */
    async release() {
      s.slow.open();
      for (let i = 0; value(await s.metrics(), 'websocket_handshakes_pending{endpoint="/ocpp/"}') !== 0; i++) {
        assert.ok(i < 10_000, 'the pending handshakes were never freed');
        await new Promise((r) => setImmediate(r));
      }
      s.slow = gate();
    },
    validCharger: (from: string) =>
      rawRequest(
        s.port,
        upgradeRequest('/ocpp/CP-A', { 'Sec-WebSocket-Protocol': 'ocpp1.6', Authorization: basic('CP-A', SECRET) }),
        from,
      ),
  };
  return s;
}

describe(`WebSocket handshakes in progress are bounded on ${engineName}`, () => {
  const s = boundedServer(LIMITS);
  let t: OcppTestApp;
  let port: number;
  const { hold, release, metrics, validCharger } = s;
  before(async () => {
    await s.start();
    ({ t, port } = s);
  });
  after(() => s.t.close());

  it(
    "the per-address cap counts handshakes in progress, not connections: a NAT'ed site keeps more chargers open than the cap",
    { timeout: 60_000 },
    async () => {
      const site = ['NAT-1', 'NAT-2', 'NAT-3', 'NAT-4', 'NAT-5', 'NAT-6'];
      for (const id of site) await registerCharger(t, id);
      const open = [];
      for (const id of site) {
        const cp = chargePoint(t, id); // every one from 127.0.0.1, twice the cap of 3
        await cp.connect();
        open.push(cp);
      }
      assert.equal(t.app.ocpp.connections.size, site.length);
      assert.equal((await validCharger('127.0.0.1')).status, 101, 'and one more still gets in');
      await Promise.all(open.map((cp) => cp.close()));
    },
  );

  it(
    'beyond the per-address cap a handshake is refused 429 with Retry-After; another address still connects',
    { timeout: 30_000 },
    async () => {
      const held = await hold(3, '127.0.0.1');
      const m = await metrics();
      assert.equal(value(m, 'websocket_handshakes_pending{endpoint="/ocpp/"}'), 3);

      const beyond = await validCharger('127.0.0.1');
      assert.equal(beyond.status, 429);
      assert.match(beyond.text, /\r\nRetry-After: \d+\r\n/);
      // The cap is per address and covers every WebSocket endpoint.
      assert.equal((await rawRequest(port, upgradeRequest('/api/live'), '127.0.0.1')).status, 429);

      assert.equal((await validCharger('127.0.0.2')).status, 101, 'another address is not held up');
      assert.equal(
        (await fetch(`http://127.0.0.1:${port}/healthz`)).status,
        200,
        'plain HTTP from the busy address is served',
      );
      assert.ok(
        value(await metrics(), 'websocket_handshakes_refused_total{endpoint="/ocpp/",reason="address_busy"}') >= 1,
      );

      await release();
      await Promise.all(held.map((h) => h.closed));
      assert.equal(
        (await validCharger('127.0.0.1')).status,
        101,
        'the address gets in again once its handshakes are answered',
      );
    },
  );

  it(
    'beyond the bound on OCPP handshakes in progress a handshake is refused 503 with Retry-After; the live push is not bounded by it',
    { timeout: 30_000 },
    async () => {
      const held = [...(await hold(3, '127.0.0.3')), ...(await hold(2, '127.0.0.4'))];
      const busy = await validCharger('127.0.0.5');
      assert.equal(busy.status, 503);
      assert.match(busy.text, /\r\nRetry-After: \d+\r\n/);
      assert.equal(
        (await rawRequest(port, upgradeRequest('/api/live'), '127.0.0.5')).status,
        401,
        'reaches the live endpoint, which wants credentials',
      );
      assert.ok(
        value(await metrics(), 'websocket_handshakes_refused_total{endpoint="/ocpp/",reason="server_busy"}') >= 1,
      );
      await release();
      await Promise.all(held.map((h) => h.closed));
      assert.equal((await validCharger('127.0.0.5')).status, 101);
    },
  );
});

describe(`a WebSocket handshake has a deadline on ${engineName}`, () => {
  // A short deadline of its own: in the suite above a loaded machine could pass it on a real handshake.
  const s = boundedServer({ ...LIMITS, handshakeTimeoutMs: 2_000 });
  const { hold, release, metrics } = s;
  before(() => s.start());
  after(() => s.t.close());

  it(
    'a handshake not answered within WS_HANDSHAKE_TIMEOUT_MS is answered 503 and closed; its slot is freed when the work ends',
    { timeout: 30_000 },
    async () => {
      const timedOut = value(await metrics(), 'http_requests_timed_out_total{phase="handshake"}');
      const [held] = await hold(1, '127.0.0.6');
      const text = await held!.closed;
      assert.match(text, /^HTTP\/1\.1 503 /);
      assert.match(text, /Handshake not answered in time/);
      const m = await metrics();
      assert.equal(value(m, 'http_requests_timed_out_total{phase="handshake"}'), timedOut + 1);
      assert.equal(value(m, 'websocket_handshakes_pending{endpoint="/ocpp/"}'), 1, 'admission is still working on it');
      await release(); // returns once the gauge is back to 0: the slot was freed when admission ended
    },
  );
});
