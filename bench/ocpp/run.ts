import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startFullServer } from './full-server.ts';
import { message } from './storm/processes.ts';

// `--storm`: the reconnect storm after a restart (storm/run.ts has its own flags).
if (process.argv.includes('--storm')) {
  const { main } = await import('./storm/run.ts');
  await main().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}

/**
 * `npm run bench:ocpp -- --chargers 10000 --rate 500 --duration 30`
 * Holds M charger connections from a separate load-generator process against
 * (1) a bare ocpp-rpc server that stores nothing and (2) the real chargeops
 * server on a throwaway PostgreSQL database, in the same run, and prints
 * connections held, calls/s, p50/p99 latency (and per action), server RSS and the ratio.
 * `--message-log on|off|both`: the real server with the OCPP message log
 * (docs/OPERATIONS.md) on, off, or both one after the other in the same run
 * (`--rounds N`: off, on, N times, so a busy host's drift shows in the figures).
 */
const { values } = parseArgs({
  options: {
    chargers: { type: 'string', default: '10000' },
    rate: { type: 'string', default: '500' },
    duration: { type: 'string', default: '30' },
    target: { type: 'string', default: 'both' }, // bare | full | both
    pg: { type: 'string', default: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
    'connect-concurrency': { type: 'string', default: '500' },
    'message-log': { type: 'string', default: 'on' }, // on | off | both
    rounds: { type: 'string', default: '1' }, // with --message-log both: off, on repeated, so drift on a busy host shows
  },
});
const job = {
  chargers: Number(values.chargers),
  rate: Number(values.rate),
  durationS: Number(values.duration),
  prefix: 'BENCH',
  connectConcurrency: Number(values['connect-concurrency']),
};

interface Result {
  held: number;
  answered: number;
  errors: number;
  callsPerSecond: number;
  p50: number;
  p99: number;
  max: number;
  actions: Record<string, { n: number; p50: number; p99: number }>;
  connectSeconds: number;
  failures: number;
  rssBaseMb: number;
  rssIdleMb: number;
  rssLoadMb: number;
}

const tsxArgs = { execArgv: ['--import', 'tsx'] };

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

async function measure(url: string, serverPid: number, secret?: string): Promise<Result> {
  const rssBaseMb = rssMb(serverPid);
  const gen = fork(new URL('./load-generator.ts', import.meta.url).pathname, [], tsxArgs);
  const connected = message<{ connected: number; failures: number; seconds: number }>(gen, 'connected');
  const done = message<Omit<Result, 'connectSeconds' | 'failures' | 'rssBaseMb' | 'rssIdleMb' | 'rssLoadMb'>>(
    gen,
    'result',
  );
  gen.send({ ...job, url, secret });
  const c = await connected;
  if (c.connected === 0) {
    gen.kill('SIGTERM');
    throw new Error(`no charger could connect (${c.failures} refused): is the OCPP endpoint /ocpp/<id> served?`);
  }
  const rssIdleMb = rssMb(serverPid);
  console.log(
    `  ${c.connected} connected in ${c.seconds.toFixed(1)} s (${c.failures} failed); server RSS ${rssIdleMb.toFixed(0)} MB`,
  );
  let rssLoadMb = 0;
  const sampler = setInterval(() => (rssLoadMb = Math.max(rssLoadMb, rssMb(serverPid))), 1000);
  const r = await done;
  clearInterval(sampler);
  return { ...r, connectSeconds: c.seconds, failures: c.failures, rssBaseMb, rssIdleMb, rssLoadMb };
}

function report(name: string, r: Result): void {
  console.log(
    `${name.padEnd(6)} held ${r.held} (connect ${r.connectSeconds.toFixed(0)} s, ${r.failures} failed)  calls/s ${r.callsPerSecond.toFixed(0)}  p50 ${r.p50.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms  max ${r.max.toFixed(0)} ms  errors ${r.errors}  ` +
      `server RSS ${r.rssLoadMb.toFixed(0)} MB (${(((r.rssIdleMb - r.rssBaseMb) * 1024) / Math.max(1, r.held)).toFixed(1)} KB per connection over the ${r.rssBaseMb.toFixed(0)} MB empty process)`,
  );
  for (const [action, a] of Object.entries(r.actions).sort(([x], [y]) => x.localeCompare(y)))
    console.log(
      `         ${action.padEnd(18)} n ${String(a.n).padStart(6)}  p50 ${a.p50.toFixed(1)} ms  p99 ${a.p99.toFixed(1)} ms`,
    );
}

async function main(): Promise<void> {
  console.log(
    `OCPP bench: ${job.chargers} chargers, ${job.rate} calls/s for ${job.durationS} s; ulimit -n must exceed the charger count in each process`,
  );
  const results: Record<string, Result> = {};
  if (values.target !== 'full') {
    console.log('bare ocpp-rpc server (no storage):');
    const bare = fork(new URL('./bare-server.ts', import.meta.url).pathname, [], tsxArgs);
    const { port } = await message<{ port: number }>(bare, 'ready');
    try {
      results.bare = await measure(`ws://127.0.0.1:${port}/ocpp`, bare.pid!);
      report('bare', results.bare);
    } finally {
      bare.kill('SIGTERM');
    }
  }
  const rounds = Math.max(1, Number(values.rounds));
  const logModes =
    values['message-log'] === 'both'
      ? Array.from({ length: rounds }, () => ['off', 'on']).flat()
      : [values['message-log']!];
  if (values.target !== 'bare') {
    for (const [i, mode] of logModes.entries()) {
      const name = logModes.length === 1 ? 'full' : `log ${mode}${rounds > 1 ? ` #${Math.floor(i / 2) + 1}` : ''}`;
      console.log(`chargeops server on a throwaway PostgreSQL database, message log ${mode}:`);
      const full = await startFullServer(values.pg!, job.chargers, job.prefix, {
        MESSAGE_LOG: mode === 'off' ? 'false' : 'true',
      });
      try {
        results[name] = await measure(full.url, full.pid, full.secret);
        report(name, results[name]);
      } catch (err) {
        console.log(`  full-path run failed: ${(err as Error).message}`);
      } finally {
        await full.stop();
      }
    }
  }
  for (const [name, r] of Object.entries(results)) {
    if (name === 'bare' || !results.bare?.held || !r.held) continue;
    console.log(
      `ratio ${name}/bare throughput ${(r.callsPerSecond / results.bare.callsPerSecond).toFixed(2)} (target >= 0.3); ${name} p99 ${r.p99.toFixed(0)} ms (target < 200)`,
    );
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
