import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Rng } from '../../../sim/random.ts';
import { engineName } from '../../helpers/db.ts';
import { SECRET, chargePoint, createOcppTestApp, registerCharger, type OcppTestApp } from '../../helpers/ocpp.ts';
import { rawRequest, upgradeRequest } from '../../helpers/raw-http.ts';

const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

/** Paths a hostile or broken client may send; every one must be refused with a 4xx, never crash the process. */
const HOSTILE_IDENTITIES = [
  '%',
  '%ZZ',
  '%00',
  '%2F',
  '%2f..%2f',
  'CP%',
  'CP-A%',
  '%E0%A4%A',
  '%C0%AF',
  '%FF',
  'x'.repeat(65),
  'x'.repeat(10_000),
  '..',
  '%2E%2E',
  '.',
  '',
  ' ',
  '%20',
  'Ünïcødé',
  '%E2%82%AC',
  '充电桩',
  'a/b',
  'CP-A/',
  'CP-A/extra',
  '../api/live',
  '..%2Fapi%2Flive',
  'CP-A?x=%',
  'CP-A?%=%&&',
  'CP-A#frag',
  '?',
  '??',
  'CP-A;x',
  "CP-A'--",
  '<script>',
];
const PREFIXES = [
  '/ocpp/',
  '/ocpp//',
  '//ocpp/',
  '/api/live',
  '/api/live/',
  '/api/live?charger_id=',
  '/nope/',
  '/',
  '/ocpp',
  '/OCPP/',
];

/** Header sets that a correct client never sends. `null` removes the header. */
const ODD_HEADERS: Record<string, string | null>[] = [
  { 'Sec-WebSocket-Key': null },
  { 'Sec-WebSocket-Key': '' },
  { 'Sec-WebSocket-Key': 'short' },
  { 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==' },
  { 'Sec-WebSocket-Key': '!!!!!!!!!!!!!!!!!!!!!!==' },
  { 'Sec-WebSocket-Version': null },
  { 'Sec-WebSocket-Version': '12' },
  { 'Sec-WebSocket-Version': 'thirteen' },
  { 'Sec-WebSocket-Version': '13, 13' },
  { Upgrade: 'h2c' },
  { Upgrade: 'WebSocket, junk' },
  { Authorization: 'Basic' },
  { Authorization: 'Basic !!!not-base64!!!' },
  { Authorization: 'Basic ====' },
  { Authorization: `Basic ${Buffer.from([0xff, 0xfe, 0x00, 0x3a]).toString('base64')}` },
  { Authorization: 'Bearer co_nope' },
  { Authorization: basic('CP-A', 'wrong') },
  { Authorization: basic('CP-OTHER', SECRET) },
  { 'Sec-WebSocket-Protocol': '' },
  { 'Sec-WebSocket-Protocol': ',' },
  { 'Sec-WebSocket-Protocol': 'ocpp1.6, ocpp1.6' },
  { 'Sec-WebSocket-Protocol': 'ocpp1.6,,ocpp2.0' },
  { 'Sec-WebSocket-Protocol': 'ocpp1.6 junk' },
  { 'Sec-WebSocket-Protocol': '"ocpp1.6"' },
  { 'Sec-WebSocket-Protocol': Array.from({ length: 500 }, (_, i) => `p${i}`).join(', ') },
  { 'Sec-WebSocket-Protocol': 'ocpp2.0.1' },
  { 'X-Huge': 'h'.repeat(20_000) },
  { 'X-Huge': 'h'.repeat(70_000) },
  { Origin: 'null' },
  { Host: null },
];

// A hung handshake (the socket never answered) fails the test instead of stalling the run.
describe(`WebSocket upgrade path under hostile input on ${engineName}`, { timeout: 240_000 }, () => {
  let t: OcppTestApp;
  let port: number;
  before(async () => {
    t = await createOcppTestApp({ config: { ocppAutoRegister: false } });
    port = (t.app.server.address() as AddressInfo).port;
    await registerCharger(t, 'CP-A');
  });
  after(() => t.close());

  /** The process is alive and serving: a plain request answers, and a real charger still connects. */
  async function stillServing(label: string): Promise<void> {
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    assert.equal(health.status, 200, `after ${label}: /healthz`);
    const cp = chargePoint(t, 'CP-A');
    await cp.connect();
    await cp.close({ force: true });
  }

  /** Sends one upgrade request; the server must answer it with a status line (never a silent drop or a 5xx). */
  async function refusedCleanly(label: string, request: string): Promise<number> {
    const { status, text } = await rawRequest(port, request);
    assert.ok(
      status >= 400 && status < 500,
      `${label}: expected a 4xx, got ${status} ${JSON.stringify(text.slice(0, 120))}`,
    );
    return status;
  }

  it(
    'GET /ocpp/% with upgrade headers and no credentials is a 400, and the process keeps serving',
    { timeout: 30_000 },
    async () => {
      assert.equal(
        await refusedCleanly('/ocpp/%', upgradeRequest('/ocpp/%', { 'Sec-WebSocket-Protocol': 'ocpp1.6' })),
        400,
      );
      assert.equal(await refusedCleanly('/ocpp/%', upgradeRequest('/ocpp/%')), 400);
      await stillServing('/ocpp/%');
    },
  );

  it('every hostile path under every prefix is refused with a 4xx', async () => {
    for (const prefix of PREFIXES) {
      for (const id of HOSTILE_IDENTITIES) {
        const path = `${prefix}${id}`;
        // Raw bytes go out as UTF-8, as a careless client would send them.
        await refusedCleanly(
          path,
          upgradeRequest(path, { 'Sec-WebSocket-Protocol': 'ocpp1.6', Authorization: basic(id, SECRET) }),
        );
      }
      await stillServing(prefix);
    }
  });

  it('odd and missing handshake headers are refused with a 4xx on every endpoint', async () => {
    for (const path of ['/ocpp/CP-A', '/ocpp/%', '/api/live', '/unknown']) {
      for (const headers of ODD_HEADERS) {
        const label = `${path} ${JSON.stringify(headers).slice(0, 80)}`;
        const auth: Record<string, string> =
          path === '/ocpp/CP-A' && !('Authorization' in headers) ? { Authorization: basic('CP-A', 'wrong') } : {};
        await refusedCleanly(label, upgradeRequest(path, { 'Sec-WebSocket-Protocol': 'ocpp1.6', ...auth, ...headers }));
      }
      await stillServing(path);
    }
  });

  it('seeded random mixes of paths and headers are refused with a 4xx (seed 20260315)', async () => {
    const rng = new Rng(20260315);
    const junk = () =>
      Array.from({ length: rng.int(0, 12) }, () =>
        rng.pick(['%', 'Z', '0', '/', '.', '?', '&', '=', 'é', '\u0000', ' ', 'a', '\u202e', '%2', '..']),
      ).join('');
    for (let i = 0; i < 200; i++) {
      const path = `${rng.pick(PREFIXES)}${rng.chance(0.5) ? rng.pick(HOSTILE_IDENTITIES) : ''}${junk()}`;
      const headers: Record<string, string | null> = {
        'Sec-WebSocket-Protocol': rng.pick(['ocpp1.6', 'ocpp1.6, x', null as unknown as string, ', ,', junk()]),
      };
      for (let k = rng.int(0, 3); k > 0; k--) Object.assign(headers, rng.pick(ODD_HEADERS));
      if (!('Authorization' in headers))
        headers.Authorization = rng.chance(0.5) ? basic('CP-A', junk()) : `Basic ${junk()}`;
      // Bytes a client may put on the wire that Node's parser refuses are fine: it answers 400 itself.
      await refusedCleanly(`#${i} ${JSON.stringify(path)}`, upgradeRequest(path.replace(/[\r\n]/g, ''), headers));
      if (i % 20 === 19) await stillServing(`random case ${i}`);
    }
    await stillServing('the random cases');
  });

  it('a well-formed handshake with the right secret is still accepted through the raw path', async () => {
    const res = await rawRequest(
      port,
      upgradeRequest('/ocpp/CP-A', { 'Sec-WebSocket-Protocol': 'ocpp1.6', Authorization: basic('CP-A', SECRET) }),
    );
    assert.equal(res.status, 101);
    assert.match(res.text, /Sec-WebSocket-Protocol: ocpp1\.6/i);
  });
});
