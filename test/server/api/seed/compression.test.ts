import assert from 'node:assert/strict';
import http from 'node:http';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { DEFAULT_DIST_DIR } from '../../../../server/web/plugin.ts';
import { engineName } from '../../../helpers/db.ts';
import { siteWithHistory } from '../../../helpers/site-history.ts';

interface Got {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The bytes as they came over the wire. */
  raw: Buffer;
}

/** A GET over real HTTP, sending exactly the headers given (node adds no Accept-Encoding of its own). */
function get(port: number, path: string, headers: Record<string, string>): Promise<Got> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, raw: Buffer.concat(chunks) }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

function decoded(r: Got): string {
  const coding = r.headers['content-encoding'];
  if (coding === 'br') return brotliDecompressSync(r.raw).toString('utf8');
  if (coding === 'gzip') return gunzipSync(r.raw).toString('utf8');
  return r.raw.toString('utf8');
}

/** Seed answers of each kind: kept per charger (2.11, 3.2), cached whole (2.14, 3.1), read per request (2.1, 2.2). */
const SEED = [
  '/api/monthly/energy/list/',
  '/bmw/chart/getRecentChargerRecords/?mode=3&offset=30',
  '/api/charger/list/',
  '/bmw/chart/getAllRecentChargerRecords/?mode=3&offset=366',
  '/api/charging/record/list/?date=2026-03-15',
];

describe(`answers compressed by Accept-Encoding, seed clients that ask for none get the same bytes, on ${engineName}`, () => {
  let s: Awaited<ReturnType<typeof siteWithHistory>>;
  let h: Record<string, string>;
  let port: number;
  before(async () => {
    s = await siteWithHistory();
    h = await s.as('viewer');
    await s.app.listen({ port: 0, host: '127.0.0.1' });
    port = (s.app.server.address() as { port: number }).port;
  });
  after(() => s.close());

  it('without Accept-Encoding a seed answer is uncompressed and byte for byte what the serialiser writes; br and gzip decode to the same bytes', async () => {
    let compressed = 0;
    for (const path of SEED) {
      const plain = await get(port, path, h);
      assert.equal(plain.status, 200, `${path}: ${plain.raw.toString()}`);
      assert.equal(plain.headers['content-encoding'], undefined, path);
      const text = plain.raw.toString('utf8');
      // The JSON as JSON.stringify writes it, keys in the schema's (the seed's) order: what fast-json-stringify writes.
      assert.equal(text, JSON.stringify(JSON.parse(text)), path);
      assert.equal(Number(plain.headers['content-length']), plain.raw.length, path);
      const big = plain.raw.length >= 1024; // smaller answers go as they are
      if (big) compressed += 1;
      for (const coding of ['br', 'gzip'] as const) {
        // Twice: the second from the compressed form the first made (cached answers).
        for (let i = 0; i < 2; i++) {
          const packed = await get(port, path, { ...h, 'accept-encoding': coding });
          assert.equal(packed.headers['content-encoding'], big ? coding : undefined, `${path} ${coding}`);
          if (big) assert.ok(packed.raw.length < plain.raw.length, `${path} ${coding} is smaller`);
          assert.equal(decoded(packed), text, `${path} ${coding} decodes to the uncompressed bytes`);
        }
      }
    }
    assert.ok(compressed >= 3, `most of these answers are over 1 KB: ${compressed}`);
  });

  it('follows the weights: identity or q=0 means none, brotli preferred, gzip when brotli is refused, * for any', async () => {
    const path = SEED[0]!;
    const coding = async (ae: string) =>
      (await get(port, path, { ...h, 'accept-encoding': ae })).headers['content-encoding'];
    assert.equal(await coding('identity'), undefined);
    assert.equal(await coding('br;q=0, gzip;q=0'), undefined);
    assert.equal(await coding('deflate'), undefined);
    assert.equal(await coding('gzip, deflate, br'), 'br');
    assert.equal(await coding('br;q=0, gzip'), 'gzip');
    assert.equal(await coding('gzip;q=1, br;q=0.5'), 'gzip');
    assert.equal(await coding('*'), 'br');
  });

  it('does not compress a tiny body', async () => {
    const tiny = await get(port, '/api/charger/id/list/', { ...h, 'accept-encoding': 'br, gzip' });
    assert.equal(tiny.status, 200);
    assert.ok(tiny.raw.length < 1024, `a small answer: ${tiny.raw.length} bytes`);
    assert.equal(tiny.headers['content-encoding'], undefined);
  });

  it('compresses the dashboard page and its hashed scripts for a browser, which keep their year-long cache', async () => {
    const page = await get(port, '/overview/', { 'accept-encoding': 'gzip, deflate, br, zstd' });
    assert.equal(page.status, 200);
    assert.equal(page.headers['content-encoding'], page.raw.length < 1024 ? undefined : 'br');
    const script = readdirSync(join(DEFAULT_DIST_DIR, 'assets')).find((f) => f.endsWith('.js'))!;
    const asset = await get(port, `/assets/${script}`, { 'accept-encoding': 'gzip, deflate, br' });
    const plain = await get(port, `/assets/${script}`, {});
    assert.equal(asset.status, 200);
    assert.match(String(asset.headers['cache-control']), /max-age=31536000/);
    if (plain.raw.length >= 1024) assert.equal(asset.headers['content-encoding'], 'br');
    assert.equal(decoded(asset), plain.raw.toString('utf8'));
    assert.equal(plain.headers['content-encoding'], undefined);
  });
});
