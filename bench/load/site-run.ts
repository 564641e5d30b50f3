import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase, type Database } from '../../db/client.ts';
import { createRepositories } from '../../db/repositories/index.ts';
import { createScratchDatabase, type ScratchDatabase } from '../../db/scratch-database.ts';
import { buildApp } from '../../server/app.ts';
import { hashSecret } from '../../server/auth/password.ts';
import { createUser } from '../../server/auth/user-service.ts';
import { loadConfig } from '../../server/config.ts';
import type { ChargePoint } from '../../sim/charge-point.ts';
import { ScaledClock } from '../../sim/clock.ts';
import { Fleet } from '../../sim/fleet.ts';
import { Rng } from '../../sim/random.ts';
import { applySite, loginHeaders } from '../../sim/site-setup.ts';
import { SiteMeter, type SiteFigures } from './site-metrics.ts';
import { phaseMap, siteSetup, type SitePlan } from './site-plan.ts';

export interface RunOptions {
  plan: SitePlan;
  distribution: 0 | 1;
  /** Simulated seconds per real second, for the server and the chargers alike. */
  speed: number;
  /** An admin URL of a PostgreSQL server for a throwaway database; absent: PGlite in a temporary directory. */
  pgUrl?: string | undefined;
  log: (line: string) => void;
}

export interface RunResult extends SiteFigures {
  distribution: 0 | 1;
  engine: string;
  sessions: number;
  stops: number;
  turnedAway: number;
  realSeconds: number;
}

/** The database of one run: PGlite in a temporary directory, or a throwaway PostgreSQL database. */
async function runDatabase(
  pgUrl: string | undefined,
): Promise<{ database: Database; dataDir: string; dispose: () => Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'chargeops-site-'));
  let scratch: ScratchDatabase | undefined;
  if (pgUrl) scratch = await createScratchDatabase(pgUrl, `chargeops_site_${randomBytes(4).toString('hex')}`);
  const database = await openDatabase(scratch ? { databaseUrl: scratch.url } : { dataDir: join(dataDir, 'pgdata') });
  return {
    database,
    dataDir,
    async dispose() {
      await database.close();
      await scratch?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * One run of the simulated site: the real server in this process on the
 * run's own database, its clock and every simulated charger's on one
 * ScaledClock (`speed` × real time), the site's wiring and limits set
 * through the REST API, then Poisson arrivals for `durationS` simulated
 * seconds, measured from the chargers' own draw (bench/load/site-metrics.ts).
 */
export async function runSite(o: RunOptions): Promise<RunResult> {
  const { plan } = o;
  const setupStarted = performance.now();
  const site = siteSetup(plan, o.distribution);
  const db = await runDatabase(o.pgUrl);
  const repos = createRepositories(db.database.db);
  const clock = new ScaledClock(o.speed, new Date(Math.floor(Date.now() / 1000) * 1000));
  const now = clock.now();
  const password = randomBytes(12).toString('base64url');
  const secret = randomBytes(12).toString('base64url');
  const secretHash = await hashSecret(secret); // one scrypt for all chargers
  await createUser(repos.users, { username: 'bench', password, role: 'admin' });
  const cards = new Map(site.chargers.map((c, i) => [c.id, `SITE-CARD-${i + 1}`]));
  for (const c of site.chargers) {
    await repos.chargers.create({ id: c.id, secretHash, description: 'site bench (simulated)' }, now);
    await repos.idTags.create({ idTag: cards.get(c.id)!, description: 'site bench driver' }, now);
  }

  const config = loadConfig({ DATA_DIR: db.dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', SITE_TZ: 'UTC' });
  const app = await buildApp(config, { database: db.database, clock, logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  await applySite(app, await loginHeaders(app, 'bench', password), site);
  const port = (app.server.address() as AddressInfo).port;
  o.log(`  server up and site configured in ${((performance.now() - setupStarted) / 1000).toFixed(1)} s`);

  const meter = new SiteMeter(
    site.limits,
    site.chargers.map((c) => ({ id: c.id, map: phaseMap(c) })),
  );
  const wiring = new Map(site.chargers.map((c) => [c.id, c]));
  let measuring = false;
  let stops = 0;
  const fleet: Fleet = new Fleet({
    url: `ws://127.0.0.1:${port}/ocpp`,
    ids: site.chargers.map((c) => c.id),
    secret,
    seed: plan.seed,
    clock,
    liveSessions: false,
    chargerOptions: (id) => {
      const w = wiring.get(id)!;
      return { phases: w.phases, maxAmps: w.maxAmps, minAmps: w.minAmps, idTags: [cards.get(id)!] };
    },
    onDraw: (e) => measuring && meter.change(e, performance.now()),
    onEvent: (e) => {
      if (e.kind === 'error') o.log(`  ${e.chargerId}: ${e.detail}`);
      if (e.kind !== 'session-stop' || !measuring) return;
      stops++;
      meter.stopped(e.chargerId, e.at.getTime(), performance.now(), draws(fleet.chargePoints));
    },
  });
  for (const cp of fleet.chargePoints) cp.config.change('MeterValueSampleInterval', String(plan.meterIntervalS));
  const booting = performance.now();
  await fleet.start();
  o.log(
    `  ${fleet.summary().online} chargers online on ${db.database.engine} in ${((performance.now() - booting) / 1000).toFixed(1)} s, distribution ${o.distribution ? 'on' : 'off'}`,
  );

  const started = performance.now();
  const t0 = clock.now().getTime();
  const end = t0 + plan.durationS * 1000;
  measuring = true;
  const arrivals = arrive(fleet.chargePoints, clock, plan, t0, end, cards);
  // Every simulated second, on the second, the draw of every charger. When the event loop falls behind
  // (a loaded machine), the sample is taken late and the seconds missed are not sampled (seconds sampled < durationS).
  let logged = 0;
  for (let next = t0 + 1000; next <= end;) {
    await clock.sleep(next - clock.now().getTime());
    const at = clock.now().getTime();
    meter.sample(at, draws(fleet.chargePoints));
    next = Math.max(next, at - ((at - t0) % 1000)) + 1000;
    if (at - t0 >= logged + 600_000) {
      logged += 600_000;
      o.log(`  ${logged / 1000} s simulated: ${fleet.summary().charging} sessions`);
    }
  }
  measuring = false;
  meter.close(end);
  const a = await arrivals;
  const realSeconds = (performance.now() - started) / 1000;
  const stopping = performance.now();
  await fleet.stop();
  await app.close();
  await db.dispose();
  o.log(`  stopped in ${((performance.now() - stopping) / 1000).toFixed(1)} s`);
  return {
    distribution: o.distribution,
    engine: db.database.engine,
    ...meter.figures(),
    sessions: a.sessions,
    turnedAway: a.turnedAway,
    stops,
    realSeconds,
  };
}

function draws(cps: ChargePoint[]) {
  return cps.flatMap((cp) => cp.presentDraw().map((draw) => ({ chargerId: cp.id, draw })));
}

/**
 * The drivers: `openingCars` at uniform instants in the first two minutes,
 * then a Poisson stream of `arrivalsPerHour`; each takes a free charger at
 * random (none free: turned away) and stays an exponential time, at least
 * 5 minutes. Seeded, so both runs see the same drivers.
 */
async function arrive(
  cps: ChargePoint[],
  clock: ScaledClock,
  plan: SitePlan,
  t0: number,
  end: number,
  cards: Map<string, string>,
) {
  const rng = new Rng(`${plan.seed}:arrivals`);
  const times = Array.from({ length: plan.openingCars }, () => t0 + rng.next() * 120_000).sort((a, b) => a - b);
  for (let t = t0 + 120_000; ;) {
    t += (-Math.log(1 - rng.next()) / plan.arrivalsPerHour) * 3_600_000;
    if (t >= end) break;
    times.push(t);
  }
  let sessions = 0;
  let turnedAway = 0;
  for (const at of times) {
    const plugS = 300 + -Math.log(1 - rng.next()) * Math.max(0, plan.meanPlugMin * 60 - 300);
    const pick = rng.next();
    await clock.sleep(at - clock.now().getTime());
    const free = cps.filter(
      (cp) =>
        cp.isOnline &&
        cp.connectors[0]!.status === 'Available' &&
        !cp.connectors[0]!.session &&
        !cp.connectors[0]!.starting,
    );
    const cp = free[Math.floor(pick * free.length)];
    if (!cp) {
      turnedAway++;
      continue;
    }
    sessions++;
    void cp.startSession(cp.connectors[0]!, { idTag: cards.get(cp.id)!, plugS });
  }
  return { sessions, turnedAway };
}
