import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { runSite, type RunResult } from './site-run.ts';
import { DEFAULT_PLAN, type SitePlan } from './site-plan.ts';

/**
 * The site benchmark (issue #12 (b)): a simulated site of 100 chargers with
 * Poisson arrivals and limits that bind, on an accelerated clock, measured
 * from the simulated chargers' own draw; the same site without distribution
 * in the same run as the baseline.
 *
 *   npx tsx bench/load/site.ts [--duration 3600] [--speed 10] [--pg] ...
 *
 * bench/load/run.ts (`npm run bench:load -- --part site`) calls `run(args)`.
 */
export interface SiteBenchOptions extends Partial<SitePlan> {
  /** Simulated seconds per real second (default 10). */
  speed?: number;
  /** A PostgreSQL admin URL: each run on a throwaway database there instead of PGlite. */
  pgUrl?: string | undefined;
  log?: (line: string) => void;
}

export interface SiteBenchResult {
  plan: SitePlan;
  speed: number;
  off: RunResult;
  on: RunResult;
  report: string;
}

export async function runSiteBench(opts: SiteBenchOptions = {}): Promise<SiteBenchResult> {
  const { speed = 10, pgUrl, log = (l: string) => console.log(l), ...overrides } = opts;
  const plan: SitePlan = {
    ...DEFAULT_PLAN,
    ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)),
  };
  log(header(plan, speed, pgUrl));
  const results: RunResult[] = [];
  for (const distribution of [0, 1] as const) {
    log(`run: distribution ${distribution ? 'on' : 'off (baseline)'}`);
    results.push(await runSite({ plan, distribution, speed, pgUrl, log }));
  }
  const [off, on] = results as [RunResult, RunResult];
  const report = table(off, on, speed);
  log(report);
  return { plan, speed, off, on, report };
}

function header(plan: SitePlan, speed: number, pgUrl: string | undefined): string {
  const three = Math.round(plan.chargers * plan.threePhaseShare);
  return [
    `site benchmark: ${plan.chargers} chargers (${three} three-phase on all rotations, ${plan.chargers - three} single-phase on A/B/C), 6–32 A each,`,
    `  limits ${plan.limitA} A on each of A, B, C; ${plan.openingCars} cars in the first 2 min, then Poisson ${plan.arrivalsPerHour}/h, mean stay ${plan.meanPlugMin} min;`,
    `  ${plan.durationS} s simulated per run at ${speed}× (server and chargers on one clock), MeterValues every ${plan.meterIntervalS} s, seed ${plan.seed}, ${pgUrl ? 'PostgreSQL' : 'PGlite'}`,
  ].join('\n');
}

const pct = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(1)} %`);
const num = (x: number | null, digits = 1) => (x === null ? 'n/a' : x.toFixed(digits));

function quantile(xs: number[], q: number): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

function table(off: RunResult, on: RunResult, speed: number): string {
  const rows: [string, (r: RunResult) => string][] = [
    ['sessions started / turned away', (r) => `${r.sessions} / ${r.turnedAway}`],
    ['stops', (r) => String(r.stops)],
    ['mean sessions drawing', (r) => num(r.meanDrawing)],
    ['seconds sampled', (r) => String(r.sampledSeconds)],
    ['seconds above any limit (target 0)', (r) => String(r.secondsAboveLimit)],
    ['  same, exact from every draw change, s', (r) => num(r.exactSecondsAboveLimit)],
    ['  worst excess, A', (r) => num(r.maxExcessA)],
    ['capacity used while demand exceeds it (≥ 95 %)', (r) => pct(r.capacityShare)],
    ['  phase-seconds with demand above the limit', (r) => String(r.bindingPhaseSeconds)],
    ['  on the most demanded phase of each second', (r) => pct(r.bottleneckShare)],
    ["  seconds with that phase's demand above its limit", (r) => String(r.bottleneckSeconds)],
    ['Jain fairness, equal sessions (≥ 0.99)', (r) => num(r.jain, 4)],
    ['  session-samples in groups of equals', (r) => String(r.jainSamples)],
    [
      "stop → others' raise, median, simulated s",
      (r) =>
        num(
          quantile(
            r.raises.map((x) => x.simS),
            0.5,
          ),
          2,
        ),
    ],
    [
      '  same, real ms (target < 2 s)',
      (r) =>
        num(
          quantile(
            r.raises.map((x) => x.realMs),
            0.5,
          ),
          0,
        ),
    ],
    [
      '  p90 real ms',
      (r) =>
        num(
          quantile(
            r.raises.map((x) => x.realMs),
            0.9,
          ),
          0,
        ),
    ],
    ['  stops measured / not raised within 120 s', (r) => `${r.raises.length} / ${r.notRaised}`],
    ['real time of the run, s', (r) => num(r.realSeconds, 0)],
  ];
  const w = Math.max(...rows.map(([l]) => l.length)) + 2;
  const lines = [`${''.padEnd(w)}${'off (baseline)'.padEnd(18)}on`];
  for (const [label, f] of rows) lines.push(`${label.padEnd(w)}${f(off).padEnd(18)}${f(on)}`);
  lines.push(
    `Reaction times are measured in real time as well: the server's own waits (debounce, command round trips) run on real timers,`,
    `so in simulated seconds they are stretched ${speed}×; the target is about the real reaction.`,
  );
  return lines.join('\n');
}

/** The command line: bench/load/run.ts (`--part site`) calls this with its arguments; options it does not know (`--part`) are ignored. */
export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    strict: false,
    options: {
      chargers: { type: 'string' },
      limit: { type: 'string' },
      arrivals: { type: 'string' },
      opening: { type: 'string' },
      stay: { type: 'string' },
      duration: { type: 'string' },
      'meter-interval': { type: 'string' },
      seed: { type: 'string' },
      speed: { type: 'string' },
      pg: { type: 'boolean', default: false },
    },
  });
  const n = (v: string | boolean | undefined) => (typeof v === 'string' ? Number(v) : undefined);
  await runSiteBench({
    chargers: n(values.chargers),
    limitA: n(values.limit),
    arrivalsPerHour: n(values.arrivals),
    openingCars: n(values.opening),
    meanPlugMin: n(values.stay),
    durationS: n(values.duration),
    meterIntervalS: n(values['meter-interval']),
    seed: n(values.seed),
    speed: n(values.speed),
    pgUrl:
      values.pg === true
        ? (process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres')
        : undefined,
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  run(process.argv.slice(2)).then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
