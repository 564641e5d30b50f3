import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { ENGINE_NAMES, startFullServer, type Engine } from './full-server.ts';
import { Generators, total } from './generators.ts';
import { quantile } from './histogram.ts';
import type { Measured } from './load-generator.ts';
import { plannedRate, type SessionOptions } from './session-plan.ts';
import { serverFigures } from './storm/report.ts';
import { startBare, type RunningServer } from './storm/processes.ts';

/**
 * `npm run bench:ocpp [-- --chargers 10000 --window 300 --warmup 30 --session 160
 *  --meter-interval 25 --heartbeat 150 --engine pg|pglite|both --no-bare]`
 *
 * The fixed-rate bench with whole sessions (issue #13): N chargers booted,
 * a warm-up, then a measured window in which every charger runs one whole
 * session on its own schedule (session-plan.ts) and its Heartbeats; the
 * defaults make about 500 calls/s at 10,000 chargers. The bare ocpp-rpc
 * server takes the same plan first, as the same-run baseline. Latency counts
 * from each call's planned time, so a call held behind its charger's slow
 * previous one counts its wait too.
 */
const PREFIX = 'SES';
const P99_TARGET_MS = 200;

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

export async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      chargers: { type: 'string', default: '10000' },
      window: { type: 'string', default: '300' },
      warmup: { type: 'string', default: '30' },
      session: { type: 'string', default: '160' },
      'meter-interval': { type: 'string', default: '25' },
      heartbeat: { type: 'string', default: '150' },
      engine: { type: 'string', default: 'pg' },
      'no-bare': { type: 'boolean', default: false },
      generators: { type: 'string', default: '1' },
      // The OCPP message log (docs/OPERATIONS.md): on, off, or both in this run (off first).
      'message-log': { type: 'string', default: 'on' },
      seed: { type: 'string', default: '1' },
      pg: { type: 'string', default: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
    },
  });
  const chargers = Number(values.chargers);
  const options: SessionOptions = {
    warmupS: Number(values.warmup),
    windowS: Number(values.window),
    sessionS: Number(values.session),
    meterIntervalS: Number(values['meter-interval']),
    heartbeatS: Number(values.heartbeat),
  };
  const engines: Engine[] = values.engine === 'both' ? ['pg', 'pglite'] : [values.engine as Engine];
  if (!engines.every((e) => e in ENGINE_NAMES)) throw new Error('--engine must be pg, pglite or both');

  console.log(`${new Date().toISOString()}, node ${process.version}, ${cpus().length} cores, load average ${load()}`);
  console.log(
    `OCPP fixed rate with whole sessions: ${chargers} chargers; ${options.warmupS} s warm-up, then a ${options.windowS} s window in which each ` +
      `charger runs one ${options.sessionS} s session (MeterValues every ${options.meterIntervalS} s) starting at a uniformly random time, ` +
      `and a Heartbeat every ${options.heartbeatS} s: about ${plannedRate(options, chargers).toFixed(0)} calls/s planned`,
  );
  const run = async (name: string, server: RunningServer, secret: string | undefined, openSessions: boolean) => {
    const gens = await Generators.start(Number(values.generators));
    try {
      const c = await gens.connect(server.url, secret, chargers, PREFIX, openSessions);
      console.log(
        `  ${name}: ${c.connected} booted in ${c.seconds.toFixed(1)} s (${c.failures} failed) [load ${load()}]`,
      );
      gens.onProgress((m) =>
        console.log(
          `    … ${m.secondsIntoWindow!.toFixed(0)} s into the window: ${m.answered} answered, ${m.errors} errors`,
        ),
      );
      const cpu0 = serverFigures(undefined, server.pid).cpuSeconds;
      const t0 = performance.now();
      const m = await gens.measure({
        type: 'sessions',
        options,
        seed: Number(values.seed),
        windowStartMs: Date.now() + 1000 + options.warmupS * 1000,
      });
      const cpu = (serverFigures(undefined, server.pid).cpuSeconds - cpu0) / ((performance.now() - t0) / 1000);
      console.log(report(name, m, options.windowS, chargers, cpu));
      return m;
    } finally {
      await gens.stop();
    }
  };

  if (!values['no-bare']) {
    const bare = await startBare();
    try {
      await run('bare ocpp-rpc (answers from memory)', bare, undefined, false);
    } finally {
      await bare.stop();
    }
  }
  const logModes = values['message-log'] === 'both' ? ['off', 'on'] : [values['message-log']!];
  if (!logModes.every((m) => m === 'on' || m === 'off')) throw new Error('--message-log must be on, off or both');
  for (const engine of engines)
    for (const logMode of logModes) {
      console.log(`  seeding ${chargers} chargers (with idTags) in a throwaway ${ENGINE_NAMES[engine]} database…`);
      const full = await startFullServer(engine, values.pg, chargers, PREFIX, {
        MESSAGE_LOG: String(logMode === 'on'),
      });
      try {
        const m = await run(`chargeops on ${ENGINE_NAMES[engine]}, message log ${logMode}`, full, full.secret, false);
        // An action with no answer at all has no p99: that misses the target too.
        const actions = [
          'Heartbeat',
          'StatusNotification',
          'Authorize',
          'StartTransaction',
          'MeterValues',
          'StopTransaction',
        ];
        const p99s = actions.map((a) => [a, m.byAction[a] ? quantile(m.byAction[a], 0.99) : Infinity] as const);
        const worst = p99s.reduce((w, x) => (x[1] > w[1] ? x : w));
        const errors = Object.values(m.errors).reduce((a, b) => a + b, 0);
        const stops = m.byAction.StopTransaction?.n ?? 0;
        console.log(
          `    target: p99 < ${P99_TARGET_MS} ms for every action (${worst[1] < P99_TARGET_MS ? 'met' : 'MISSED'}: worst ${worst[0]} ${Number.isFinite(worst[1]) ? `${worst[1].toFixed(0)} ms` : 'never answered'}); ` +
            `no errors (${errors === 0 ? 'met' : 'MISSED'}: ${errors}); ` +
            `every charger's session whole in the window (${stops === chargers ? 'met' : 'MISSED'}: ${stops}/${chargers} stopped)`,
        );
        const logged = Object.entries(full.logSummary()).sort((a, b) => b[1] - a[1]);
        if (logged.length)
          console.log(
            `    server log: ${logged
              .slice(0, 6)
              .map(([k, n]) => `${n}× ${k}`)
              .join('; ')}`,
          );
      } finally {
        await full.stop();
      }
    }
  console.log(`load average after: ${load()}`);
}

function report(name: string, m: Measured, windowS: number, chargers: number, cpu: number): string {
  const all = total(m);
  const lines = [
    `  ${name}: ${(all.n / windowS).toFixed(0)} calls/s over the window (${all.n} calls from ${chargers} chargers), ` +
      `p50 ${quantile(all, 0.5).toFixed(1)} ms, p99 ${quantile(all, 0.99).toFixed(1)} ms; ${m.queued} calls waited behind their charger's previous one; server CPU ${cpu.toFixed(2)} cores`,
    `    | action | calls | p50 ms | p99 ms | max ms |`,
    `    | --- | --- | --- | --- | --- |`,
  ];
  for (const [action, h] of Object.entries(m.byAction).sort((a, b) => b[1].n - a[1].n))
    lines.push(
      `    | ${action} | ${h.n} | ${quantile(h, 0.5).toFixed(1)} | ${quantile(h, 0.99).toFixed(1)} | ${h.max.toFixed(0)} |`,
    );
  const errors = Object.entries(m.errors);
  lines.push(`    errors: ${errors.length ? errors.map(([k, v]) => `${v}× ${k}`).join('; ') : 'none'}`);
  return lines.join('\n');
}
