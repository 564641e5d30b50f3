import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { testConfig } from '../../../server/config.ts';
import { createTestApp, type TestApp } from '../../helpers/app.ts';
import { engineName } from '../../helpers/db.ts';
import { heldRequest } from '../../helpers/raw-http.ts';
import { scrape } from '../../helpers/metrics.ts';

/** Short bounds so a test sees them pass; the defaults are for a real site. */
const LIMITS = { ...testConfig().limits, headersTimeoutMs: 300, requestTimeoutMs: 800 };
/** Far beyond every bound above: only a server that never closes the connection fails this. */
const NEVER = 20_000;

function closedWithin<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>(
      (_, reject) => (timer = setTimeout(() => reject(new Error(`${what} still held after ${NEVER} ms`)), NEVER)),
    ),
  ]);
}

async function metric(t: TestApp, line: RegExp): Promise<number> {
  const text = await scrape(t);
  const m = text.split('\n').find((l) => line.test(l));
  return m ? Number(m.split(' ').pop()) : 0;
}
const TIMED_OUT = /^http_requests_timed_out_total\{phase="request"\}/;

describe(`slow HTTP clients are cut off on ${engineName}`, () => {
  let t: TestApp;
  let port: number;
  before(async () => {
    t = await createTestApp({ config: { limits: LIMITS } });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as AddressInfo).port;
  });
  after(() => t.close());

  const healthy = async () => assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200);

  it('a login whose headers never finish is answered 408 and closed', async () => {
    const before = await metric(t, TIMED_OUT);
    const held = heldRequest(
      port,
      'POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n',
    );
    await held.opened;
    await healthy(); // the server serves others meanwhile
    const text = await closedWithin(held.closed, 'a half-sent header');
    assert.match(text, /^HTTP\/1\.1 408 /);
    assert.equal(await metric(t, TIMED_OUT), before + 1);
  });

  it('a login whose body trickles in a byte at a time is closed at the request timeout', async () => {
    const held = heldRequest(
      port,
      'POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{',
    );
    await held.opened;
    // Each byte keeps the connection from being idle; only the whole-request bound ends it.
    const trickle = setInterval(() => held.socket.write(' '), 50);
    try {
      const text = await closedWithin(held.closed, 'a trickled body');
      assert.match(text, /^HTTP\/1\.1 408 /);
    } finally {
      clearInterval(trickle);
    }
    await healthy();
  });

  it('a hundred half-sent logins at once are all closed, and the server answers throughout', async () => {
    const held = Array.from({ length: 100 }, (_, i) =>
      heldRequest(
        port,
        i % 2
          ? 'POST /api/auth/login HTTP/1.1\r\nHost: x\r\n'
          : 'POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 50\r\n\r\n{"user',
      ),
    );
    await Promise.all(held.map((h) => h.opened));
    await healthy();
    const answers = await closedWithin(Promise.all(held.map((h) => h.closed)), 'a half-sent login');
    const untold = answers.filter((a) => !a.startsWith('HTTP/1.1 408 '));
    assert.deepEqual(untold, [], 'each was told why');
    await healthy();
  });

  it('a complete request is answered as before the limits', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'nobody', password: 'nothing-here' }),
    });
    assert.equal(res.status, 401);
  });
});

describe(`the connection cap on ${engineName}`, () => {
  let t: TestApp;
  let port: number;
  const sockets: Socket[] = [];
  before(async () => {
    // Timeouts long enough that the idle sockets below stay open for the whole test.
    t = await createTestApp({ config: { limits: { ...testConfig().limits, maxConnections: 5 } } });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as AddressInfo).port;
  });
  after(async () => {
    for (const s of sockets) s.destroy();
    await t.close();
  });

  it('beyond HTTP_MAX_CONNECTIONS a new connection is closed at once and counted; freed room is used again', async () => {
    // Each is awaited on the server's side, so all five are held before the sixth arrives.
    const held: Socket[] = [];
    for (let i = 0; i < 5; i++) {
      const accepted = once(t.app.server, 'connection') as Promise<[Socket]>;
      const s = connect(port, '127.0.0.1');
      s.on('error', () => undefined);
      sockets.push(s);
      held.push((await accepted)[0]);
    }
    const extra = connect(port, '127.0.0.1');
    extra.on('error', () => undefined);
    let got = '';
    extra.on('data', (b) => (got += b.toString()));
    extra.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    await closedWithin(once(extra, 'close'), 'the connection beyond the cap');
    assert.equal(got, '', 'dropped unanswered');
    assert.equal(await metric(t, /^http_connections_dropped_total /), 1);
    assert.equal(await metric(t, /^http_open_connections /), 5);

    const freed = once(held.pop()!, 'close');
    sockets.pop()!.destroy();
    await freed;
    assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`, { headers: { connection: 'close' } })).status, 200);
  });
});
