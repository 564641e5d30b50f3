import http from 'node:http';
import { createScratchDatabase } from '../../db/scratch-database.ts';
import { openDatabase } from '../../db/client.ts';
import { generate } from './generate.ts';
import { ask, createBenchToken, load, startServer } from './harness.ts';

/**
 * npm run bench:api -- --charts: the per-charger chart answers (seed 2.11,
 * 3.2), which grow with the site, at BENCH_CHART_SIZES chargers (default
 * 100, 1,000, 5,000), each over a throwaway PostgreSQL database with
 * BENCH_CHART_SESSIONS_PER sessions per charger over two years (the charts
 * read only the rollups, so no meter values). For each: the bare Fastify
 * route of the same run; the first read; bytes uncompressed, gzip and br;
 * p99 kept (no events) and under BENCH_CHURN events/s (status changes and
 * real stops: a rollup write, then the event), without Accept-Encoding (a
 * seed client) and with br (a browser); and the time of one request right
 * after a real stop (median and worst of BENCH_AFTER_STOP).
 */
const env = (k: string, d: number) => (process.env[k] ? Number(process.env[k]) : d);
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const TZ = 'Asia/Shanghai';
const SIZES = (process.env.BENCH_CHART_SIZES ?? '100,1000,5000').split(',').map(Number);
const PER = env('BENCH_CHART_SESSIONS_PER', 40);
const DURATION = env('BENCH_DURATION', 3);
const CONNECTIONS = env('BENCH_CONNECTIONS', 10);
const CHURN = env('BENCH_CHURN', 3);
const AFTER_STOP = env('BENCH_AFTER_STOP', 10);
const log = (s: string) => process.stdout.write(`${s}\n`);

const CHARTS = [
  { name: '2.11 monthly energy list', path: '/api/monthly/energy/list/', target: 50 },
  { name: '3.2 monthly x12', path: '/bmw/chart/getRecentChargerRecords/?mode=2&offset=12', target: 100 },
  { name: '3.2 daily x30', path: '/bmw/chart/getRecentChargerRecords/?mode=3&offset=30', target: 100 },
];

/** One GET: its time and the bytes on the wire. */
function once(port: number, path: string, headers: Record<string, string>): Promise<{ ms: number; bytes: number }> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path, headers }, (res) => {
        let bytes = 0;
        res.on('data', (b: Buffer) => (bytes += b.length));
        let head = '';
        res.on('data', (b: Buffer) => {
          if (head.length < 200) head += b.toString('latin1').slice(0, 200);
        });
        res.on('end', () => {
          if (res.statusCode !== 200) reject(new Error(`${path}: ${res.statusCode} ${head}`));
          else resolve({ ms: performance.now() - start, bytes });
        });
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

/** The server process's CPU time (user + system) spent while `fn` ran: a cost that a loaded machine does not inflate as it does latency. */
async function serverCpuMs(child: Parameters<typeof ask>[0], fn: () => Promise<void>): Promise<number> {
  const before = await ask<{ cpuMs: number }>(child, 'cpu');
  await fn();
  const after = await ask<{ cpuMs: number }>(child, 'cpu');
  return after.cpuMs - before.cpuMs;
}

const kb = (b: number) => `${(b / 1024).toFixed(0)} KB`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function site(chargers: number): Promise<void> {
  const scratch = await createScratchDatabase(ADMIN_URL, `chargeops_chartbench_${process.pid}_${chargers}`);
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    const database = await openDatabase({ databaseUrl: scratch.url, poolSize: 2 });
    const now = new Date();
    const o = {
      prefix: 'BENCH',
      chargers,
      sessions: chargers * PER,
      samplesPerSession: 0,
      endAt: now,
      days: 730,
      tz: TZ,
    };
    const t = await generate(database, o, () => {});
    const token = await createBenchToken(database.db, now);
    await database.close();
    server = await startServer(scratch.url, TZ);
    const plain = { authorization: `Bearer ${token}` };
    const br = { ...plain, 'accept-encoding': 'gzip, deflate, br' };
    const gz = { ...plain, 'accept-encoding': 'gzip' };
    const url = (p: string) => `http://127.0.0.1:${server!.port}${p}`;
    log(
      `\n## ${chargers.toLocaleString()} chargers, ${o.sessions.toLocaleString()} sessions over 730 days (generated in ${(t.sessions! + t.rollups!).toFixed(0)} s)`,
    );
    const bare = await load(`http://127.0.0.1:${server.barePort}/bare`, {}, CONNECTIONS, DURATION);
    log(`bare Fastify route (baseline): ${bare.rps.toFixed(0)} req/s, p99 ${bare.p99} ms`);
    log(
      `${'endpoint'.padEnd(26)} ${'first'.padStart(7)} ${'plain'.padStart(8)} ${'gzip'.padStart(7)} ${'br'.padStart(7)} | p99 ms kept: ${'plain'.padStart(5)} ${'br'.padStart(4)} | churn: ${'plain'.padStart(5)} ${'br'.padStart(4)} | after a stop ms: ${'plain'.padStart(10)} ${'br'.padStart(10)} | target`,
    );
    const kept: Record<string, { plain: number; br: number }> = {};
    const rows: Record<string, string> = {};
    const cpu: Record<string, string> = {};
    for (const c of CHARTS) {
      const first = await once(server.port, c.path, plain);
      const sizes = [
        first.bytes,
        (await once(server.port, c.path, gz)).bytes,
        (await once(server.port, c.path, br)).bytes,
      ];
      const a = await load(url(c.path), plain, CONNECTIONS, DURATION);
      const b = await load(url(c.path), br, CONNECTIONS, DURATION);
      kept[c.name] = { plain: a.p99, br: b.p99 };
      // Server CPU per request, one at a time: kept, and a stop followed by a request.
      const SEQ = 20;
      const cpuKept = { plain: 0, br: 0 };
      for (const [k, h] of [
        ['plain', plain],
        ['br', br],
      ] as const) {
        cpuKept[k] =
          (await serverCpuMs(server.child, async () => {
            for (let i = 0; i < SEQ; i++) await once(server!.port, c.path, h);
          })) / SEQ;
      }
      const after = { plain: [] as number[], br: [] as number[] };
      const cpuAfter = { plain: 0, br: 0 };
      for (let i = 0; i < AFTER_STOP; i++) {
        for (const [k, h] of [
          ['plain', plain],
          ['br', br],
        ] as const) {
          cpuAfter[k] += await serverCpuMs(server.child, async () => {
            await ask(server!.child, { stop: `BENCH${String(1 + (i % chargers)).padStart(5, '0')}` });
            after[k].push((await once(server!.port, c.path, h)).ms);
          });
        }
      }
      const fmt = (xs: number[]) => `${median(xs).toFixed(0)}/${Math.max(...xs).toFixed(0)}`.padStart(10);
      rows[c.name] =
        `${c.name.padEnd(26)} ${`${first.ms.toFixed(0)}ms`.padStart(7)} ${kb(sizes[0]!).padStart(8)} ${kb(sizes[1]!).padStart(7)} ${kb(sizes[2]!).padStart(7)} | ${String(a.p99).padStart(18)} ${String(b.p99).padStart(4)} |`;
      rows[`${c.name}|after`] = `${fmt(after.plain)} ${fmt(after.br)} | ${c.target}`;
      cpu[c.name] =
        `${c.name.padEnd(26)} kept: plain ${cpuKept.plain.toFixed(1)}, br ${cpuKept.br.toFixed(1)} | a stop, then a request: plain ${(cpuAfter.plain / AFTER_STOP).toFixed(1)}, br ${(cpuAfter.br / AFTER_STOP).toFixed(1)}`;
      if (a.bad + b.bad) log(`  ${c.name}: ${a.bad + b.bad} failed requests`);
    }
    const bareCpu =
      (await serverCpuMs(server.child, async () => {
        for (let i = 0; i < 20; i++) await once(server!.barePort, '/bare', {});
      })) / 20;
    await ask(server.child, { churn: CHURN });
    for (const c of CHARTS) {
      const a = await load(url(c.path), plain, CONNECTIONS, DURATION);
      const b = await load(url(c.path), br, CONNECTIONS, DURATION);
      const worst = Math.max(a.p99, b.p99, kept[c.name]!.plain, kept[c.name]!.br);
      log(
        `${rows[c.name]} ${String(a.p99).padStart(12)} ${String(b.p99).padStart(4)} | ${rows[`${c.name}|after`]} ${worst <= c.target ? 'met' : 'MISSED'}`,
      );
      if (a.bad + b.bad) log(`  ${c.name} under churn: ${a.bad + b.bad} failed requests`);
    }
    await ask(server.child, { churn: 0 });
    log(`server CPU ms per request, one request at a time (bare route, same process: ${bareCpu.toFixed(2)}):`);
    for (const c of CHARTS) log(`  ${cpu[c.name]}`);
  } finally {
    if (server) {
      server.child.kill('SIGTERM');
      await new Promise((r) => server!.child.once('exit', r));
    }
    await scratch.drop();
  }
}

export async function chartsBench(): Promise<void> {
  log(
    `charts bench: ${CONNECTIONS} connections, ${DURATION} s per load, churn ${CHURN} events/s; first = the first read`,
  );
  log(`after a stop: one request right after a real stop was committed and published, median/worst of ${AFTER_STOP}`);
  for (const n of SIZES) await site(n);
}
