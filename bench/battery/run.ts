/**
 * Battery look-up benchmark (issue 5): starts the real server (bench/battery/server.ts)
 * on loopback over a throwaway PostgreSQL database (DATABASE_URL, default the local
 * one) or PGlite (BENCH_ENGINE=pglite), seeds it through the import API, then drives
 * it with autocannon: each look-up against a bare route behind the same auth in
 * the same process, at increasing concurrency, at half the peak rate, and a
 * 95/5 read/write mix. Prints req/s, p99 and the ratio to the bare route.
 *
 *   npm run bench:battery                      # PostgreSQL, 10,000 vehicles × 12 packs
 *   BENCH_ENGINE=pglite BENCH_VEHICLES=2000 npm run bench:battery
 *   BENCH_DURATION=5 BENCH_CONNECTIONS=1,16,64 (seconds per run, concurrency steps)
 *   BATTERY_LOOKUP_CACHE=0 (measure without the in-process look-up cache)
 */
import autocannon from 'autocannon';
import { execFileSync, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { createScratchDatabase } from '../../db/scratch-database.ts';

const ENGINE = process.env.BENCH_ENGINE === 'pglite' ? 'pglite' : 'postgres';
const VEHICLES = Number(process.env.BENCH_VEHICLES ?? (ENGINE === 'pglite' ? 2000 : 10_000));
const PACKS = 12;
const DURATION = Number(process.env.BENCH_DURATION ?? 5);
const CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? '1,16,64').split(',').map(Number);
const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const vin = (n: number) => `LBV${String(n).padStart(14, '0')}`;
const batteryNo = (n: number, k: number) => `BN${n}-${k}`;
const bmsNo = (n: number, k: number) => `BM${(n * PACKS + k).toString(16).toUpperCase().padStart(10, '0')}`;
const rand = (n: number) => Math.floor(Math.random() * n);

async function withDatabase<T>(fn: (url: string | undefined) => Promise<T>): Promise<T> {
  if (ENGINE === 'pglite') return fn(undefined);
  const scratch = await createScratchDatabase(ADMIN_URL, `chargeops_bench_${process.pid}`);
  try {
    return await fn(scratch.url);
  } finally {
    await scratch.drop();
  }
}

async function startServer(databaseUrl: string | undefined) {
  // One server process, so the in-process look-up cache is safe; BATTERY_LOOKUP_CACHE=0 measures without it.
  const env = {
    ...process.env,
    LOG_LEVEL: 'warn',
    DATABASE_URL: databaseUrl ?? '',
    NODE_ENV: 'production',
    BATTERY_LOOKUP_CACHE: process.env.BATTERY_LOOKUP_CACHE ?? '1',
  };
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/battery/server.ts'], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // The server's own log lines share stdout; the ready line is the one with a port.
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (l) => {
      if (l.includes('"port"')) resolve(l);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  const info = JSON.parse(line) as {
    port: number;
    token: string;
    engine: string;
    warmed: number;
    warmMs: number;
    rssMb: number;
  };
  return {
    ...info,
    stop: () =>
      new Promise<void>((r) => {
        child.once('exit', () => r());
        child.kill('SIGTERM');
      }),
  };
}

async function seed(base: string, auth: Record<string, string>) {
  const started = Date.now();
  for (let from = 0; from < VEHICLES; from += 500) {
    const chunk = [];
    for (let n = from; n < Math.min(VEHICLES, from + 500); n++) {
      chunk.push({
        vinCode: vin(n),
        batteryGroupNo: `G-${n}`,
        batteryInfo: Array.from({ length: PACKS }, (_, k) => ({
          batteryNo: batteryNo(n, k),
          bmsNo: bmsNo(n, k),
          batteryType: 2,
        })),
      });
    }
    const res = await fetch(`${base}/api/batteries/import`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify(chunk),
    });
    if (res.status !== 200) throw new Error(`import failed: ${res.status} ${await res.text()}`);
  }
  return (Date.now() - started) / 1000;
}

type Pick = () => { method?: 'GET' | 'POST'; path: string; body?: string };
const targets: Record<string, Pick> = {
  bare: () => ({ path: '/api/bench/bare' }),
  byVin: () => ({ path: `/batteryInfo/getBatteryInfoEsbpByVin/${vin(rand(VEHICLES))}` }),
  byBmsNo: () => ({ path: `/batteryInfo/getBatteryInfoEsbpBmsNo/${bmsNo(rand(VEHICLES), rand(PACKS))}` }),
  byBatteryNo: () => ({ path: `/batteryInfo/getBatteryInfoEsbpByBatteryNo/${batteryNo(rand(VEHICLES), rand(PACKS))}` }),
};
const lookups = ['byVin', 'byBmsNo', 'byBatteryNo'];
/** 95 % look-ups by any key, 5 % swaps (a pack moved to another vehicle). */
const mix: Pick = () => {
  if (Math.random() >= 0.05) return targets[lookups[rand(3)]!]!();
  return {
    method: 'POST',
    path: `/batteryInfo/updateBatteryInfoBybatteryNo/${batteryNo(rand(VEHICLES), rand(PACKS))}`,
    body: JSON.stringify({ vinCode: vin(rand(VEHICLES)) }),
  };
};

async function load(port: number, token: string, pick: Pick, connections: number, overallRate?: number) {
  const r = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    duration: DURATION,
    ...(overallRate ? { overallRate } : {}),
    // A fresh headers object per request: autocannon writes Content-Length into the one it is given.
    requests: [
      {
        setupRequest: (req) => {
          const r = pick();
          const headers: Record<string, string> = {
            authorization: `Bearer ${token}`,
            ...(r.body ? { 'content-type': 'application/json' } : {}),
          };
          return { ...req, method: 'GET', body: undefined, ...r, headers };
        },
      },
    ],
  });
  const bad = r.non2xx + r.errors + r.timeouts;
  if (bad)
    console.log(
      `  (non-2xx by status: ${JSON.stringify(r.statusCodeStats)}, errors ${r.errors}, timeouts ${r.timeouts})`,
    );
  return { rps: r.requests.average, p99: r.latency.p99, bad };
}

const fmt = (n: number, d = 0) => n.toFixed(d).padStart(8);

await withDatabase(async (url) => {
  let server = await startServer(url);
  try {
    const base = `http://127.0.0.1:${server.port}`;
    console.log(
      `engine ${server.engine}, look-up cache ${process.env.BATTERY_LOOKUP_CACHE ?? '1'}; seeding ${VEHICLES} vehicles × ${PACKS} packs through POST /api/batteries/import ...`,
    );
    console.log(`seeded in ${(await seed(base, { authorization: `Bearer ${server.token}` })).toFixed(1)} s`);
    if (ENGINE === 'postgres') {
      // Restart over the seeded registry, as a server is in service: the cache warms at start.
      await server.stop();
      server = await startServer(url);
      console.log(
        `restarted: ${server.warmed.toLocaleString()} look-up answers warmed in ${server.warmMs} ms; server RSS ${server.rssMb} MB`,
      );
    }
    await load(server.port, server.token, targets.byVin!, 8); // JIT warm-up
    console.log(
      `\n${'target'.padEnd(12)} ${'conns'.padStart(5)} ${'req/s'.padStart(8)} ${'p99 ms'.padStart(8)} ${'vs bare'.padStart(8)} ${'errors'.padStart(7)}`,
    );
    let peak = 0;
    for (const c of CONNECTIONS) {
      const bare = await load(server.port, server.token, targets.bare!, c);
      console.log(
        `${'bare'.padEnd(12)} ${String(c).padStart(5)} ${fmt(bare.rps)} ${fmt(bare.p99, 1)} ${fmt(1, 2)} ${String(bare.bad).padStart(7)}`,
      );
      for (const name of lookups) {
        const r = await load(server.port, server.token, targets[name]!, c);
        peak = Math.max(peak, r.rps);
        console.log(
          `${name.padEnd(12)} ${String(c).padStart(5)} ${fmt(r.rps)} ${fmt(r.p99, 1)} ${fmt(r.rps / bare.rps, 2)} ${String(r.bad).padStart(7)}`,
        );
      }
    }
    const half = Math.max(1, Math.round(peak / 2));
    console.log(`\nat half the peak look-up rate (${half} req/s, 16 connections):`);
    for (const name of lookups) {
      const r = await load(server.port, server.token, targets[name]!, 16, half);
      console.log(`${name.padEnd(12)} ${fmt(r.rps)} req/s  p99 ${fmt(r.p99, 1)} ms  errors ${r.bad}`);
    }
    const m = await load(server.port, server.token, mix, 16);
    console.log(
      `\n95/5 read/write mix, 16 connections: ${m.rps.toFixed(0)} req/s, p99 ${m.p99.toFixed(1)} ms, errors ${m.bad}`,
    );
  } finally {
    await server.stop();
  }
});

try {
  const out = execFileSync('redis-benchmark', ['-h', '127.0.0.1', '-q', '-t', 'get', '-n', '50000'], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  console.log(`\nredis-benchmark (same machine, for scale): ${out.trim().split('\r').pop()}`);
} catch {
  console.log('\nredis-benchmark not available');
}
