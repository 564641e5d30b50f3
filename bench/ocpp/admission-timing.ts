/**
 * How long a refusal takes, per way of being refused, for the OCPP handshake
 * and for POST /api/auth/login: `npx tsx bench/ocpp/admission-timing.ts`
 * (N=… attempts per path, default 15). The real app (buildApp) on an
 * embedded in-memory database, listening on loopback; raw `ws` handshakes
 * and real HTTP logins, each attempt from a fresh 127.x.y.z address so the
 * guessing throttle never steps in. Run twice in the same process: with the
 * refusal floor (as shipped) and with its sleep replaced by nothing, which
 * shows what the work alone would give away. A benchmark, not a test: it
 * prints times and the ratio of the slowest path's median to the fastest's.
 */
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { openDatabase } from '../../db/client.ts';
import { buildApp } from '../../server/app.ts';
import { hashSecret } from '../../server/auth/password.ts';
import { createUser } from '../../server/auth/user-service.ts';
import { systemClock } from '../../server/clock.ts';
import { testConfig } from '../../server/config.ts';

const N = Number(process.env.N ?? 15);
const SECRET = 'charger-secret-1';
let addressCounter = 0;
/** A loopback address not used before in this run (Linux answers on all of 127/8). */
function freshAddress(): string {
  const n = ++addressCounter;
  return `127.${1 + ((n >> 16) & 0xff)}.${(n >> 8) & 0xff}.${n & 0xff || 1}`;
}

function handshake(endpoint: string, id: string, secret: string | null): Promise<{ status: number; ms: number }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> =
      secret === null ? {} : { authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}` };
    const t0 = performance.now();
    const ws = new WebSocket(`${endpoint}/${id}`, ['ocpp1.6'], { headers, localAddress: freshAddress() });
    ws.once('open', () => {
      const ms = performance.now() - t0;
      ws.once('close', () => resolve({ status: 101, ms }));
      ws.close(1000);
    });
    ws.once('unexpected-response', (req, res) => {
      const ms = performance.now() - t0;
      res.resume();
      req.destroy();
      resolve({ status: res.statusCode ?? 0, ms });
    });
    ws.once('error', reject);
  });
}

function login(port: number, username: string, password: string): Promise<{ status: number; ms: number }> {
  const body = JSON.stringify({ username, password });
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/api/auth/login',
        method: 'POST',
        localAddress: freshAddress(),
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.once('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - t0 }));
      },
    );
    req.once('error', reject);
    req.end(body);
  });
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function measure(
  name: string,
  expected: number,
  attempt: () => Promise<{ status: number; ms: number }>,
): Promise<{ name: string; median: number }> {
  const times: number[] = [];
  for (let i = 0; i < N; i++) {
    const { status, ms } = await attempt();
    if (status !== expected) throw new Error(`${name}: answered ${status}, expected ${expected}`);
    times.push(ms);
  }
  times.sort((a, b) => a - b);
  const median = pct(times, 50);
  console.log(
    `  ${name.padEnd(44)} ${String(expected).padEnd(4)} min ${times[0]!.toFixed(0).padStart(5)}  p50 ${median.toFixed(0).padStart(5)}  p90 ${pct(times, 90).toFixed(0).padStart(5)}  max ${times.at(-1)!.toFixed(0).padStart(5)} ms`,
  );
  return { name, median };
}

function ratio(label: string, rows: { name: string; median: number }[]): void {
  const medians = rows.map((r) => r.median);
  console.log(`  ${label}: slowest / fastest median = ${(Math.max(...medians) / Math.min(...medians)).toFixed(2)}`);
}

async function run(floor: boolean): Promise<void> {
  const database = await openDatabase({});
  const app = await buildApp(testConfig({ ocppAutoRegister: false, logLevel: 'silent' }), {
    database,
    clock: systemClock,
    logger: false,
    ...(floor ? {} : { sleep: async () => undefined }),
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as AddressInfo).port;
  const endpoint = `ws://127.0.0.1:${port}/ocpp`;
  const secretHash = await hashSecret(SECRET);
  const now = new Date();
  for (const id of ['CP-SEEN', 'CP-FRESH']) await app.repos.chargers.create({ id, secretHash }, now);
  await app.repos.chargers.create({ id: 'CP-REJ', secretHash, registration: 'Rejected' }, now);
  await handshake(endpoint, 'CP-SEEN', SECRET); // into the verified-secret cache
  await createUser(app.repos.users, { username: 'root', password: 'root-password', role: 'admin' });

  console.log(
    floor
      ? '\nwith the refusal floor (as shipped):'
      : '\nwithout the floor (its sleep replaced by nothing): the work alone',
  );
  const ocpp = [
    await measure('ocpp unknown id', 401, () => handshake(endpoint, `CP-NOBODY-${addressCounter}`, 'guess')),
    await measure('ocpp known id, wrong secret, hash cached', 401, () => handshake(endpoint, 'CP-SEEN', 'guess')),
    await measure('ocpp known id, wrong secret, not cached', 401, () => handshake(endpoint, 'CP-FRESH', 'guess')),
    await measure('ocpp no secret', 401, () => handshake(endpoint, 'CP-SEEN', null)),
    await measure('ocpp rejected charger', 403, () => handshake(endpoint, 'CP-REJ', SECRET)),
  ];
  await measure('ocpp success, cached secret (not a refusal)', 101, () => handshake(endpoint, 'CP-SEEN', SECRET));
  ratio('ocpp refusals', ocpp);
  const logins = [
    await measure('login unknown user', 401, () => login(port, `nobody-${addressCounter++}`, 'whatever')),
    await measure('login wrong password', 401, () => login(port, 'root', `wrong-${addressCounter++}`)),
  ];
  ratio('login refusals', logins);
  await app.close();
  await database.close();
}

console.log(`refusal timing, ${N} attempts per path, sequential, loopback`);
await run(true);
await run(false);
