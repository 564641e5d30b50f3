import { fork, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { sql } from 'drizzle-orm';
import { createScratchDatabase, scratchDatabase } from '../../db/scratch-database.ts';
import { openDatabase } from '../../db/client.ts';
import { rawRows } from '../../db/raw.ts';
import { createRepositories } from '../../db/repositories/index.ts';
import { newOpaqueToken, sha256 } from '../../server/auth/opaque-token.ts';
import { createUser } from '../../server/auth/user-service.ts';
import { localDay } from '../../server/time/site-time.ts';
import { endpoints } from './endpoints.ts';
import { generate } from './generate.ts';
import { addLongSession, sessionEndpoints } from './sessions.ts';

/**
 * npm run bench:api — the seed API under load over a large PostgreSQL data set.
 * Creates a throwaway database, fills it (BENCH_CHARGERS, BENCH_SESSIONS,
 * BENCH_SAMPLES per session), starts the real server in a child process, loads
 * every endpoint with autocannon next to a bare Fastify route measured in the
 * same run, loads the targeted ones again while BENCH_CHURN charger events per
 * second empty the read cache, times the 1M-row CSV export with the server's
 * peak RSS, and drops the database (BENCH_KEEP_DB=1 keeps it for
 * BENCH_REUSE_DB). Loopback only.
 */
const env = (k: string, d: number) => (process.env[k] ? Number(process.env[k]) : d);
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const TZ = 'Asia/Shanghai';
const CHARGERS = env('BENCH_CHARGERS', 1000);
const SESSIONS = env('BENCH_SESSIONS', 1_000_000);
const SAMPLES = env('BENCH_SAMPLES', 10);
const DURATION = env('BENCH_DURATION', 5);
const CONNECTIONS = env('BENCH_CONNECTIONS', 10);
/** Seconds allowed for meter-value generation before the bench goes on with what it has. */
const SAMPLE_BUDGET = env('BENCH_SAMPLE_BUDGET', 240);
/**
 * Events per second (status changes and stops, alternating) published in the
 * server during the second pass. A busy 1,000-charger site (10 sessions per
 * charger per day, ~4 status changes each) makes about 0.6/s; the generated
 * history about 0.1/s. The default is 5 times the busy site.
 */
const CHURN = env('BENCH_CHURN', 3);
/** BENCH_SKIP_CSV=1 leaves out the 1M-row export (about 90 s) when only the endpoints are being re-measured. */
const SKIP_CSV = process.env.BENCH_SKIP_CSV === '1';
/** BENCH_ONLY=sessions loads only the sessions list and the 48-hour curve (after the bare baseline). */
const ONLY_SESSIONS = process.env.BENCH_ONLY === 'sessions';
const log = (s: string) => process.stdout.write(`${s}\n`);

async function startServer(dbUrl: string): Promise<{ child: ChildProcess; port: number; barePort: number }> {
  const child = fork(fileURLToPath(new URL('./serve.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, BENCH_DATABASE: dbUrl, BENCH_TZ: TZ },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
  return { child, ...(JSON.parse(line) as { port: number; barePort: number }) };
}

function ask<T>(child: ChildProcess, msg: string | object): Promise<T> {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve(m as T));
    child.send(msg);
  });
}

async function load(url: string, headers: Record<string, string>, connections = CONNECTIONS) {
  const r = await autocannon({ url, connections, duration: DURATION, headers, timeout: 60 });
  return { rps: r.requests.average, p99: r.latency.p99, bad: r.non2xx + r.errors + r.timeouts };
}

async function csvExport(
  port: number,
  headers: Record<string, string>,
): Promise<{ seconds: number; rows: number; bytes: number }> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: '/api/transactions?format=csv', headers }, (res) => {
        let bytes = 0;
        let rows = 0;
        res.on('data', (b: Buffer) => {
          bytes += b.length;
          for (let i = b.indexOf(10); i !== -1; i = b.indexOf(10, i + 1)) rows++;
        });
        res.on('end', () => resolve({ seconds: (performance.now() - start) / 1000, rows: rows - 1, bytes }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

async function main(): Promise<void> {
  // BENCH_REUSE_DB=<name> loads a database an earlier run kept (BENCH_KEEP_DB=1),
  // so query work can be re-measured without regenerating 1M sessions.
  const reuse = process.env.BENCH_REUSE_DB;
  const keep = Boolean(reuse) || process.env.BENCH_KEEP_DB === '1';
  const scratch = reuse
    ? scratchDatabase(ADMIN_URL, reuse)
    : await createScratchDatabase(ADMIN_URL, `chargeops_seedbench_${process.pid}`);
  const { name } = scratch;
  const url = scratch.url;
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    const database = await openDatabase({ databaseUrl: url, poolSize: 2 });
    const now = new Date();
    if (reuse) {
      log(`reusing ${name} as generated by an earlier run`);
    } else {
      log(
        `generating ${CHARGERS} chargers, ${SESSIONS.toLocaleString()} sessions, ${(SESSIONS * SAMPLES).toLocaleString()} meter values in ${name}`,
      );
      const timings = await generate(
        database,
        {
          prefix: 'BENCH',
          chargers: CHARGERS,
          sessions: SESSIONS,
          samplesPerSession: SAMPLES,
          endAt: now,
          days: 730,
          tz: TZ,
        },
        log,
        SAMPLE_BUDGET,
      );
      const { sampleRows, ...secs } = timings;
      log(
        `generation (s): ${Object.entries(secs)
          .map(([k, v]) => `${k} ${v.toFixed(1)}`)
          .join(', ')}; meter values reached: ${sampleRows.toLocaleString()}`,
      );
    }
    const token = newOpaqueToken('co_');
    // A token counts only while the user who made it exists (docs/ARCHITECTURE.md "The path of a request").
    const repos = createRepositories(database.db);
    const owner =
      (await repos.users.findByUsername('bench')) ??
      (await createUser(repos.users, { username: 'bench', password: newOpaqueToken('pw_'), role: 'viewer' }));
    await repos.tokens.create({
      name: 'bench',
      role: 'viewer',
      tokenHash: sha256(token),
      prefix: token.slice(0, 7),
      createdBy: owner.id,
      createdAt: now,
    });
    // The 48-hour session of the curve benchmark (kept with the database for a reuse).
    const [long] = await rawRows<{ id: number }>(
      database.db,
      sql`select id from transactions t where id_tag = 'LONG' and exists (select 1 from meter_values m where m.transaction_id = t.id) limit 1`,
    );
    const longSession = long?.id ?? (await addLongSession(database, 'BENCH00001', now));
    await database.close();

    server = await startServer(url);
    const headers = { authorization: `Bearer ${token}` };
    const yesterday = localDay(new Date(now.getTime() - 86_400_000), TZ);
    log(`\nload: ${CONNECTIONS} connections, ${DURATION} s per endpoint\n`);
    const bare = await load(`http://127.0.0.1:${server.barePort}/bare`, {});
    log(
      `${'endpoint'.padEnd(32)} ${'req/s'.padStart(8)} ${'p99 ms'.padStart(7)} ${'target'.padStart(7)} ${'bare/rps'.padStart(9)}  ok`,
    );
    log(
      `${'bare Fastify route (baseline)'.padEnd(32)} ${bare.rps.toFixed(0).padStart(8)} ${String(bare.p99).padStart(7)} ${'-'.padStart(7)} ${'1.0'.padStart(9)}`,
    );
    const pass = async (list: ReturnType<typeof endpoints>) => {
      for (const e of list) {
        const r = await load(`http://127.0.0.1:${server!.port}${e.path}`, headers, e.connections);
        const ok = r.bad === 0 && r.rps > 0 && (e.targetP99Ms === null || r.p99 <= e.targetP99Ms);
        log(
          `${(e.connections ? `${e.name} [${e.connections} conn]` : e.name).padEnd(32)} ${r.rps.toFixed(0).padStart(8)} ${String(r.p99).padStart(7)} ${String(e.targetP99Ms ?? '-').padStart(7)} ${(bare.rps / Math.max(r.rps, 1)).toFixed(1).padStart(9)}  ${ok ? 'yes' : `NO${r.bad ? ` (${r.bad} failed)` : ''}`}`,
        );
      }
    };
    const monthAgo = localDay(new Date(now.getTime() - 30 * 86_400_000), TZ);
    const sessions = await sessionEndpoints(
      `http://127.0.0.1:${server.port}`,
      headers,
      'BENCH00001',
      longSession,
      monthAgo,
    );
    if (ONLY_SESSIONS) {
      await pass(sessions);
      return;
    }
    await pass(endpoints('BENCH00001', yesterday));
    await pass(sessions);
    if (CHURN > 0) {
      // The same targeted endpoints while charger events keep emptying the read cache.
      log(`\nunder churn: ${CHURN} charger events/s (status changes and stops) published in the server\n`);
      await ask(server.child, { churn: CHURN });
      await pass(endpoints('BENCH00001', yesterday).filter((e) => e.targetP99Ms !== null));
      await ask(server.child, { churn: 0 });
    }
    if (SKIP_CSV) return;
    await ask(server.child, 'reset-rss');
    const before = await ask<{ rss: number }>(server.child, 'rss');
    const csv = await csvExport(server.port, headers);
    const after = await ask<{ rss: number; peakRss: number }>(server.child, 'rss');
    const mb = (b: number) => `${(b / 1048576).toFixed(0)} MB`;
    log(
      `\nCSV export: ${csv.rows.toLocaleString()} rows, ${mb(csv.bytes)} in ${csv.seconds.toFixed(1)} s; server RSS ${mb(before.rss)} before, peak ${mb(after.peakRss)}`,
    );
  } finally {
    if (server) {
      server.child.kill('SIGTERM');
      await new Promise((r) => server!.child.once('exit', r));
    }
    if (keep) log(`kept database ${name} (BENCH_REUSE_DB=${name} to load it again)`);
    else await scratch.drop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
