import { parseArgs } from 'node:util';
import { ScaledClock } from './clock.ts';
import { Fleet } from './fleet.ts';
import type { SimEvent } from './types.ts';

const USAGE = `usage: npm run simulate -- --url ws://127.0.0.1:8000/ocpp [options]
  --chargers N           how many chargers (ids PREFIX0001...)          default 10
  --ids a,b,c            explicit charger ids instead of --chargers/--prefix
  --prefix P             id prefix                                      default SIM
  --secret S             HTTP Basic secret (OCPP security profile 1)
  --speed X              simulated time runs X times faster             default 1
  --seed N               PRNG seed: the same seed replays the same run  default 1
  --history-days D       back-fill D days of past sessions first        default 0
  --history-sample S     seconds between back-filled MeterValues        default 3600
  --history-concurrency K chargers back-filling at once                 default 8
  --phases 1|3|mixed                                                    default mixed
  --tz ZONE              site time zone for the day/night pattern
  --quiet                only the periodic summary`;

export function parseCli(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: 'string', default: 'ws://127.0.0.1:8000/ocpp' },
      chargers: { type: 'string', default: '10' },
      ids: { type: 'string' },
      prefix: { type: 'string', default: 'SIM' },
      secret: { type: 'string' },
      speed: { type: 'string', default: '1' },
      seed: { type: 'string', default: '1' },
      'history-days': { type: 'string', default: '0' },
      'history-sample': { type: 'string', default: '3600' },
      'history-concurrency': { type: 'string', default: '8' },
      phases: { type: 'string', default: 'mixed' },
      tz: { type: 'string' },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  const num = (name: keyof typeof values, min: number) => {
    const n = Number(values[name]);
    if (!Number.isFinite(n) || n < min) throw new Error(`--${name} must be a number >= ${min}`);
    return n;
  };
  if (!['1', '3', 'mixed'].includes(values.phases!)) throw new Error('--phases must be 1, 3 or mixed');
  return {
    help: values.help!,
    quiet: values.quiet!,
    url: values.url!,
    ids: values.ids?.split(',').filter(Boolean),
    count: num('chargers', 1),
    prefix: values.prefix!,
    secret: values.secret,
    speed: num('speed', 0.001),
    seed: values.seed!,
    historyDays: num('history-days', 0),
    historySampleS: num('history-sample', 60),
    historyConcurrency: num('history-concurrency', 1),
    phases: (values.phases === 'mixed' ? 'mixed' : Number(values.phases)) as 1 | 3 | 'mixed',
    timeZone: values.tz,
  };
}

export function formatEvent(e: SimEvent): string {
  return `${e.at.toISOString()} ${e.chargerId} ${e.kind} ${e.detail}`;
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseCli(process.argv.slice(2));
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  if (args.help) {
    console.log(USAGE);
    return;
  }
  const fleet = new Fleet({
    ...args,
    clock: new ScaledClock(args.speed),
    liveSessions: true,
    onEvent: (e) => {
      if (!args.quiet && e.kind !== 'connected') console.log(formatEvent(e));
    },
  });
  const started = Date.now();
  const summary = setInterval(() => {
    const s = fleet.summary();
    console.log(`[${Math.round((Date.now() - started) / 1000)}s] online ${s.online}/${s.chargers} charging ${s.charging} calls ${s.calls} queued ${s.queued} history sessions ${fleet.historySessions}`);
  }, 10_000);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    clearInterval(summary);
    console.log('stopping the simulator');
    await fleet.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  await fleet.start();
  if (args.historyDays > 0) console.log(`history back-fill done: ${fleet.historySessions} sessions in ${Math.round((Date.now() - started) / 1000)} s; live from now on`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
