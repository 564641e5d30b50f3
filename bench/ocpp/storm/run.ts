import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { StormJob, StormResult } from './generator.ts';
import { openFileLimit } from './limits.ts';
import {
  message,
  onInterrupt,
  spawnNode,
  startBare,
  startChargeops,
  stopProcess,
  type RunningServer,
} from './processes.ts';
import { formatResult, serverFigures, verdict, type ServerFigures } from './report.ts';
import { seedSite, type Engine } from './seed.ts';

/**
 * `npm run bench:ocpp -- --storm [--chargers N] [--spread 10] [--engine pg|pglite|both]`
 *
 * A reconnect storm after a restart: N chargers registered in a throwaway
 * database, the real server started fresh on it (nothing cached in memory),
 * then every charger reconnects within `spread` seconds from a separate
 * load-generator process and runs a rebooting charger's sequence (storm/charger.ts).
 * The bare ocpp-rpc server takes the same storm in the same run as the baseline.
 * Without --chargers: 10,000 on PostgreSQL, 5,000 on PGlite (the targets).
 */
const { values } = parseArgs({
  options: {
    storm: { type: 'boolean', default: false },
    chargers: { type: 'string' },
    spread: { type: 'string', default: '10' },
    engine: { type: 'string', default: 'both' },
    pg: { type: 'string', default: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
    addresses: { type: 'string', default: '100' },
    'give-up': { type: 'string', default: '300' },
    bare: { type: 'boolean', default: true },
    'no-bare': { type: 'boolean', default: false },
    'cpu-prof': { type: 'string' },
    seed: { type: 'string', default: '1' },
    cold: { type: 'boolean', default: false },
  },
});

const engines: Engine[] = values.engine === 'both' ? ['pg', 'pglite'] : [values.engine as Engine];
if (!engines.every((e) => e === 'pg' || e === 'pglite')) throw new Error('--engine must be pg, pglite or both');
const countFor = (e: Engine) => (values.chargers ? Number(values.chargers) : e === 'pg' ? 10_000 : 5_000);
const spreadS = Number(values.spread);
const addressCount = Math.max(1, Math.min(250, Number(values.addresses)));
// 127.0.0.2 … : Linux answers the whole 127/8 on lo; each address stands for a site behind one NAT address.
const addresses = Array.from({ length: addressCount }, (_, i) => `127.0.${Math.floor((i + 2) / 256)}.${(i + 2) % 256}`);
const PREFIX = 'STORM';
const HANDSHAKE_TIMEOUT_MS = 30_000;
const CALL_TIMEOUT_MS = 30_000;
/** The issue's target: 10,000 chargers on PostgreSQL, 5,000 on PGlite, all accepted within a minute. */
const TARGET_S = 60;

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

async function storm(server: RunningServer, chargers: number, secret: string): Promise<StormResult> {
  const gen = spawnNode(new URL('./generator.ts', import.meta.url).pathname, [], {});
  try {
    const { fileLimit } = await message<{ fileLimit: number }>(gen, 'ready');
    if (fileLimit < chargers + 100)
      console.log(
        `  WARNING: the load generator may open ${fileLimit} files (ulimit -n), below ${chargers} chargers + 100`,
      );
    const job: StormJob = {
      url: server.url,
      chargers,
      prefix: PREFIX,
      secret,
      spreadS,
      addresses,
      handshakeTimeoutMs: HANDSHAKE_TIMEOUT_MS,
      callTimeoutMs: CALL_TIMEOUT_MS,
      giveUpS: Number(values['give-up']),
      seed: Number(values.seed),
    };
    gen.on('message', (m: { type: string; seconds?: number; accepted?: number; done?: number }) => {
      if (m.type === 'progress')
        console.log(`    … ${m.seconds!.toFixed(0)} s: ${m.accepted} accepted, ${m.done} done`);
    });
    const result = message<{ result: StormResult }>(gen, 'result');
    gen.send(job);
    return (await result).result;
  } finally {
    await stopProcess(gen);
  }
}

async function runEngine(engine: Engine): Promise<void> {
  const chargers = countFor(engine);
  const name = engine === 'pg' ? 'PostgreSQL' : 'PGlite';
  console.log(`\n== ${name}: ${chargers} chargers reconnecting within ${spreadS} s (load average ${load()})`);
  if (values.bare && !values['no-bare']) {
    const bare = await startBare();
    try {
      const r = await storm(bare, chargers, 'unused');
      console.log(formatResult('bare ocpp-rpc (no storage, no auth)', r, serverFigures(undefined, bare.pid), false));
    } finally {
      await bare.stop();
    }
  }
  console.log(
    `  seeding ${chargers} chargers in a throwaway ${name} database${values.cold ? ', none with a fast secret check (--cold)' : ', each with the fast secret check of its last handshake'}…`,
  );
  const site = await seedSite(engine, values.pg!, chargers, PREFIX, values.cold);
  const forget = onInterrupt(() => site.drop());
  let figures: ServerFigures | undefined;
  try {
    const server = await startChargeops(site.env, values['cpu-prof']);
    try {
      const r = await storm(server, chargers, site.secret);
      figures = serverFigures(await server.metrics(), server.pid);
      console.log(formatResult(`chargeops on ${name}`, r, figures));
      console.log(verdict(r, TARGET_S));
      const logged = Object.entries(server.logSummary()).sort((a, b) => b[1] - a[1]);
      if (logged.length)
        console.log(
          `    server log: ${logged
            .slice(0, 6)
            .map(([m, n]) => `${n}× ${m}`)
            .join('; ')}`,
        );
    } finally {
      await server.stop();
    }
  } finally {
    forget();
    await site.drop();
  }
  console.log(`  load average after: ${load()}`);
}

export async function main(): Promise<void> {
  console.log(`${new Date().toISOString()}, node ${process.version}, ${cpus().length} cores, load average ${load()}`);
  console.log(
    `OCPP reconnect storm: each charger handshakes with Basic auth, then BootNotification, StatusNotification ×2, Heartbeat; ` +
      `on 503/429 it waits Retry-After (+0-1 s), on a ${HANDSHAKE_TIMEOUT_MS / 1000} s handshake or CALL timeout, a reset or anything else it backs off 1-30 s and retries.`,
  );
  console.log(
    `Chargers connect from ${addresses.length} loopback source addresses (${addresses[0]} … ${addresses.at(-1)}, one per simulated site); ` +
      `the server keeps its default caps (OCPP_MAX_PENDING_HANDSHAKES, WS_MAX_PENDING_PER_ADDRESS). ulimit -n here ${openFileLimit()} (raised to the hard limit in each child).`,
  );
  for (const engine of engines) await runEngine(engine);
}
