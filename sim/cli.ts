import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { DEFAULT_ID_TAGS } from './charge-point.ts';
import { ScaledClock } from './clock.ts';
import { Fleet } from './fleet.ts';
import { apiUrlFor, curlLines, register, type RegistrationPlan } from './registration.ts';
import type { SimEvent } from './types.ts';

const USAGE = `usage: npm run simulate -- --url ws://127.0.0.1:8000/ocpp [options]
  --chargers N           how many chargers (ids PREFIX0001...)          default 10
  --ids a,b,c            explicit charger ids instead of --chargers/--prefix
  --prefix P             id prefix                                      default SIM
  --secret S             HTTP Basic secret (OCPP security profile 1) of every charger
                         default: a random one, printed at start
  --id-tags a,b,c        the drivers' id tags                           default ${DEFAULT_ID_TAGS.join(',')}
  --token T              admin API token (or env CHARGEOPS_TOKEN): register the chargers and
                         id tags through the REST API before connecting (ones that exist stay)
  --api URL              the REST API                                   default from --url (http://host:port)
  --speed X              simulated time runs X times faster             default 1
  --seed N               PRNG seed: the same seed replays the same run  default 1
  --history-days D       back-fill D days of past sessions first        default 0
  --history-sample S     seconds between back-filled MeterValues        default 3600
  --history-concurrency K chargers back-filling at once                 default 8
  --phases 1|3|mixed                                                    default mixed
  --tz ZONE              site time zone for the day/night pattern
  --quiet                only the periodic summary

A chargeops server refuses chargers it does not know and answers Invalid to unknown id
tags. Without --token the simulator prints the curl lines that register both; with it,
it registers them itself.`;

export function parseCli(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: 'string', default: 'ws://127.0.0.1:8000/ocpp' },
      chargers: { type: 'string', default: '10' },
      ids: { type: 'string' },
      prefix: { type: 'string', default: 'SIM' },
      secret: { type: 'string' },
      'id-tags': { type: 'string' },
      token: { type: 'string' },
      api: { type: 'string' },
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
  const idTags = values['id-tags']?.split(',').filter(Boolean) ?? [...DEFAULT_ID_TAGS];
  if (idTags.length === 0 || idTags.some((t) => t.length > 20))
    throw new Error('--id-tags must name at least one tag of at most 20 characters (OCPP 1.6 §7.28 IdToken)');
  const api = values.api ?? apiUrlFor(values.url!);
  return {
    help: values.help!,
    quiet: values.quiet!,
    url: values.url!,
    ids: values.ids?.split(',').filter(Boolean),
    count: num('chargers', 1),
    prefix: values.prefix!,
    secret: values.secret ?? randomBytes(12).toString('base64url'),
    secretGiven: values.secret !== undefined,
    idTags,
    token: values.token ?? process.env.CHARGEOPS_TOKEN,
    api: api.replace(/\/+$/, ''),
    speed: num('speed', 0.001),
    seed: values.seed!,
    historyDays: num('history-days', 0),
    historySampleS: num('history-sample', 60),
    historyConcurrency: num('history-concurrency', 1),
    phases: (values.phases === 'mixed' ? 'mixed' : Number(values.phases)) as 1 | 3 | 'mixed',
    timeZone: values.tz,
  };
}

export type CliArgs = ReturnType<typeof parseCli>;

/**
 * Before connecting: with a token, registers the chargers and id tags through
 * the REST API; without one, prints the curl lines that do it. Either way the
 * operator sees the ids, the secret and the tags.
 */
export async function prepareServer(
  args: CliArgs,
  ids: string[],
  log: (line: string) => void,
  fetchFn: typeof fetch = fetch,
): Promise<void> {
  const plan: RegistrationPlan = {
    apiUrl: args.api,
    chargers: ids.map((id) => ({ id, secret: args.secret })),
    idTags: args.idTags,
  };
  log(
    `chargers ${ids.join(', ')} with secret ${args.secret}${args.secretGiven ? '' : ' (generated: pass --secret to keep one)'}; id tags ${args.idTags.join(', ')}`,
  );
  if (args.token) {
    const { created, existing } = await register(plan, args.token, fetchFn);
    log(`registered through ${args.api}: ${created.length} new, ${existing.length} there already`);
    if (existing.some((name) => name.startsWith('charger ')))
      log('a charger registered before keeps its old secret: if it differs, pass that one with --secret');
    return;
  }
  log(
    `a chargeops server must know them first; with an admin API token in $CHARGEOPS_TOKEN (POST ${args.api}/api/tokens), run:`,
  );
  for (const line of curlLines(plan)) log(`  ${line}`);
  log('(or start the simulator with --token, and it registers them itself)');
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
  try {
    await prepareServer(
      args,
      fleet.chargePoints.map((cp) => cp.id),
      (line) => console.log(line),
    );
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
  const started = Date.now();
  const summary = setInterval(() => {
    const s = fleet.summary();
    console.log(
      `[${Math.round((Date.now() - started) / 1000)}s] online ${s.online}/${s.chargers} charging ${s.charging} calls ${s.calls} queued ${s.queued} history sessions ${fleet.historySessions}`,
    );
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
  if (args.historyDays > 0)
    console.log(
      `history back-fill done: ${fleet.historySessions} sessions in ${Math.round((Date.now() - started) / 1000)} s; live from now on`,
    );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
