import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { ENGINE_NAMES, startFullServer, type Engine } from './full-server.ts';
import { Generators, total } from './generators.ts';
import { quantile } from './histogram.ts';
import { MIXES } from './mix.ts';
import { serverFigures } from './storm/report.ts';
import { startBare, type RunningServer } from './storm/processes.ts';
import { P99_TARGET_CHARGERS, P99_TARGET_MS, ratioTarget, verdict } from './targets.ts';

/**
 * `npm run bench:ocpp -- --saturate [--chargers 20,200,1000] [--mixes Heartbeat,MeterValues,realistic]
 *  [--window 20] [--warmup 3] [--reps 2] [--engine pg|pglite|both] [--generators 1]`
 *
 * The closed loop of issue #13: every charger keeps one call in flight and
 * sends the next as soon as the last is answered, so calls/s is the
 * server's ceiling. The bare ocpp-rpc server (answers from memory) and the
 * real server on each engine run in the same process tree, interleaved:
 * for each charger count and repetition, every server takes every mix.
 * Chargers are registered, booted and charging (an open transaction, so
 * MeterValues belong to a session) before the warm-up.
 */
const PREFIX = 'SAT';

interface Cell {
  callsPerS: number;
  p50: number;
  p99: number;
  errors: number;
  /** The server process's CPU use over the window, in cores. */
  cpu: number;
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const cpuSeconds = (pid: number) => serverFigures(undefined, pid).cpuSeconds;

export async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      saturate: { type: 'boolean' },
      chargers: { type: 'string', default: '20,200,1000' },
      mixes: { type: 'string', default: 'Heartbeat,MeterValues,realistic' },
      window: { type: 'string', default: '20' },
      warmup: { type: 'string', default: '3' },
      reps: { type: 'string', default: '2' },
      engine: { type: 'string', default: 'both' },
      generators: { type: 'string', default: '1' },
      pg: { type: 'string', default: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
    },
  });
  const counts = values.chargers.split(',').map(Number);
  const mixes = values.mixes.split(',');
  for (const m of mixes) if (!MIXES[m]) throw new Error(`--mixes: unknown mix ${m} (${Object.keys(MIXES).join(', ')})`);
  const engines: Engine[] = values.engine === 'both' ? ['pg', 'pglite'] : [values.engine as Engine];
  if (!engines.every((e) => e in ENGINE_NAMES)) throw new Error('--engine must be pg, pglite or both');
  const windowS = Number(values.window);
  const warmupS = Number(values.warmup);
  const reps = Number(values.reps);
  const generatorCount = Number(values.generators);

  console.log(`${new Date().toISOString()}, node ${process.version}, ${cpus().length} cores, load average ${load()}`);
  console.log(
    `OCPP saturation (closed loop, one call in flight per charger): ${counts.join(' / ')} chargers; mixes ${mixes.join(', ')}; ` +
      `${warmupS} s warm-up + ${windowS} s window; ${reps} repetitions; ${generatorCount} load-generator process(es)`,
  );

  const servers: { name: string; engine?: Engine; server: RunningServer; secret?: string }[] = [];
  try {
    servers.push({ name: 'bare', server: await startBare() });
    const most = Math.max(...counts);
    for (const engine of engines) {
      console.log(`  seeding ${most} chargers (with idTags) in a throwaway ${ENGINE_NAMES[engine]} database…`);
      const full = await startFullServer(engine, values.pg, most, PREFIX);
      servers.push({ name: engine, engine, server: full, secret: full.secret });
    }
    const cells = new Map<string, Cell[]>(); // `${mix}|${chargers}|${server}` → one per repetition
    for (const chargers of counts) {
      for (let rep = 1; rep <= reps; rep++) {
        for (const s of servers) {
          const gens = await Generators.start(generatorCount);
          try {
            const c = await gens.connect(s.server.url, s.secret, chargers, PREFIX, true);
            const errs = Object.entries(c.errors).map(([k, v]) => `${v}× ${k}`);
            console.log(
              `  ${chargers} chargers, rep ${rep}, ${s.name}: ${c.connected} booted, ${c.sessionsOpen} charging in ${c.seconds.toFixed(1)} s${errs.length ? ` (${errs.join('; ')})` : ''}`,
            );
            for (const mix of mixes) {
              const cpu0 = cpuSeconds(s.server.pid);
              const t0 = performance.now();
              const m = await gens.measure({ type: 'saturate', mix: MIXES[mix]!, warmupS, windowS });
              const cpu = (cpuSeconds(s.server.pid) - cpu0) / ((performance.now() - t0) / 1000);
              const h = total(m);
              const cell: Cell = {
                callsPerS: h.n / windowS,
                p50: quantile(h, 0.5),
                p99: quantile(h, 0.99),
                errors: Object.values(m.errors).reduce((a, b) => a + b, 0),
                cpu,
              };
              const key = `${mix}|${chargers}|${s.name}`;
              cells.set(key, [...(cells.get(key) ?? []), cell]);
              console.log(
                `    ${mix.padEnd(11)} ${cell.callsPerS.toFixed(0).padStart(6)} calls/s  p50 ${cell.p50.toFixed(1)} ms  p99 ${cell.p99.toFixed(1)} ms  server CPU ${cell.cpu.toFixed(2)} cores  errors ${cell.errors}` +
                  (cell.errors
                    ? ` (${Object.entries(m.errors)
                        .map(([k, v]) => `${v}× ${k}`)
                        .join('; ')})`
                    : '') +
                  `  [load ${load()}]`,
              );
            }
          } finally {
            await gens.stop();
          }
        }
      }
    }
    console.log(table(cells, counts, mixes, engines));
  } finally {
    for (const s of servers) await s.server.stop();
  }
  console.log(`load average after: ${load()}`);
}

const range = (cells: Cell[], f: (c: Cell) => number, digits = 0) => {
  const v = cells.map(f);
  const lo = Math.min(...v).toFixed(digits);
  const hi = Math.max(...v).toFixed(digits);
  return lo === hi ? lo : `${lo}–${hi}`;
};
const mean = (cells: Cell[]) => cells.reduce((s, c) => s + c.callsPerS, 0) / cells.length;

function table(cells: Map<string, Cell[]>, counts: number[], mixes: string[], engines: Engine[]): string {
  const head = ['mix', 'chargers', 'bare calls/s', 'bare p50/p99 ms'];
  for (const e of engines) head.push(`${ENGINE_NAMES[e]} calls/s`, 'p50/p99 ms', 'CPU', 'ratio');
  const lines = [
    '',
    `Calls/s per repetition (min–max), p50/p99 of the repetitions (min–max), server CPU in cores; ratio = mean full / mean bare.`,
    `Targets: ratio ≥ ${ratioTarget('MeterValues', 'pg')} on PostgreSQL and ≥ ${ratioTarget('MeterValues', 'pglite')} on PGlite for MeterValues and the realistic mix, ≥ ${ratioTarget('Heartbeat', 'pg')} for Heartbeat; p99 < ${P99_TARGET_MS} ms at ${P99_TARGET_CHARGERS} chargers.`,
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
  ];
  const verdicts: string[] = [];
  for (const mix of mixes)
    for (const n of counts) {
      const bare = cells.get(`${mix}|${n}|bare`) ?? [];
      const row = [
        mix,
        String(n),
        range(bare, (c) => c.callsPerS),
        `${range(bare, (c) => c.p50, 1)} / ${range(bare, (c) => c.p99, 1)}`,
      ];
      for (const e of engines) {
        const full = cells.get(`${mix}|${n}|${e}`) ?? [];
        const worstP99 = Math.max(...full.map((c) => c.p99));
        const v = verdict(mix, e, n, mean(bare), mean(full), worstP99);
        row.push(
          range(full, (c) => c.callsPerS),
          `${range(full, (c) => c.p50, 1)} / ${range(full, (c) => c.p99, 1)}`,
          range(full, (c) => c.cpu, 2),
          v.ratio.toFixed(2),
        );
        verdicts.push(
          `  ${mix}, ${n} chargers, ${ENGINE_NAMES[e]}: ratio ${v.ratio.toFixed(2)} (target ≥ ${ratioTarget(mix, e)}: ${v.ratioMet ? 'met' : 'MISSED'})` +
            (v.p99Met === undefined
              ? ''
              : `; p99 ${worstP99.toFixed(0)} ms (target < ${P99_TARGET_MS}: ${v.p99Met ? 'met' : 'MISSED'})`),
        );
      }
      lines.push(`| ${row.join(' | ')} |`);
    }
  return [...lines, '', 'Verdict:', ...verdicts].join('\n');
}
