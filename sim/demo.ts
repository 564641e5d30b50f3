import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../db/client.ts';
import { buildApp } from '../server/app.ts';
import { hashSecret } from '../server/auth/password.ts';
import { createUser } from '../server/auth/user-service.ts';
import { loadConfig } from '../server/config.ts';
import { createBulkHistoryRepository } from '../db/repositories/bulk-history.ts';
import { ScaledClock } from './clock.ts';
import { formatEvent } from './cli.ts';
import { DEMO_FIRST_SESSIONS, DEMO_SITE, SEED_CHARGER_IDS } from './demo-site.ts';
import { Fleet } from './fleet.ts';
import { applySite, loginHeaders } from './site-setup.ts';

/** Demo drivers' RFID cards, registered on the authorization list: one per charger, so no card is in two sessions at once (ConcurrentTx). */
export const DEMO_ID_TAGS = SEED_CHARGER_IDS.map((_, i) => `D${String(i + 1).padStart(7, '0')}`);

interface DemoCredentials {
  adminPassword: string;
  chargerSecret: string;
}

/** Generated once per data directory and kept there, so a second run can print the same login. */
function credentials(dataDir: string): DemoCredentials {
  const file = join(dataDir, 'demo-credentials.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as DemoCredentials;
  const creds = {
    adminPassword: randomBytes(9).toString('base64url'),
    chargerSecret: randomBytes(12).toString('base64url'),
  };
  writeFileSync(file, JSON.stringify(creds, null, 2), { mode: 0o600 });
  return creds;
}

/**
 * `npm run demo` (docs/PRODUCT.md §8): the server on the embedded database in ./data-demo,
 * an admin login, the seed's chargers registered with Basic-auth secrets, a
 * year of history written in bulk on the first run, then live sessions.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      speed: { type: 'string', default: '1' },
      'history-days': { type: 'string', default: '365' },
      seed: { type: 'string', default: '2015' },
    },
  });
  const config = loadConfig({ ...process.env, DATA_DIR: process.env.DATA_DIR || './data-demo' });
  mkdirSync(config.dataDir, { recursive: true });
  const creds = credentials(config.dataDir);
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: join(config.dataDir, 'pgdata') });
  const app = await buildApp(config, { database, logger: { level: 'warn' } });
  await app.listen({ port: config.port, host: config.host });
  const now = app.clock.now();

  if (!(await app.repos.users.findByUsername('admin')))
    await createUser(app.repos.users, { username: 'admin', password: creds.adminPassword, role: 'admin' });
  const secretHash = await hashSecret(creds.chargerSecret); // one hash for all demo chargers: one scrypt, not eighteen
  let registered = 0;
  for (const id of SEED_CHARGER_IDS)
    if (await app.repos.chargers.create({ id, secretHash, description: 'demo (simulated)' }, now)) registered++;
  // The drivers' cards: without them on the authorization list every Authorize answers Invalid.
  for (const idTag of DEMO_ID_TAGS) await app.repos.idTags.create({ idTag, description: 'demo driver' }, now);

  const port = (app.server.address() as AddressInfo).port; // PORT=0 picks a free one
  const address = `http://${config.host}:${port}`;
  console.log(`chargeops demo at ${address}/overview/  (API docs ${address}/docs)`);
  console.log(`login: admin / ${creds.adminPassword}   (kept in ${join(config.dataDir, 'demo-credentials.json')})`);
  console.log(
    `${SEED_CHARGER_IDS.length} chargers (${registered} newly registered), OCPP at ws://${config.host}:${port}/ocpp/<id>, secret ${creds.chargerSecret}`,
  );

  // A year of finished sessions, written in bulk before the chargers connect, so
  // every page has history at once and what moves from then on is live. (The
  // OCPP back-fill of the same history takes ~20 minutes: `npm run simulate -- --history-days`.)
  const marker = join(config.dataDir, 'demo-history.done');
  const historyDays = existsSync(marker) ? 0 : Number(values['history-days']);
  if (historyDays > 0) {
    const started = Date.now();
    const sessions = SEED_CHARGER_IDS.length * historyDays * 2;
    const o = {
      prefix: 'DEMO',
      chargers: SEED_CHARGER_IDS.length,
      ids: SEED_CHARGER_IDS,
      idTags: DEMO_ID_TAGS,
      sessions,
      samplesPerSession: 6,
      // Sessions last up to 3 h: end the history before now so none finishes in the future.
      endAt: new Date(now.getTime() - 4 * 3600_000),
      days: historyDays,
      tz: config.siteTz,
    };
    const bulk = createBulkHistoryRepository(database.db);
    await bulk.sessions(o);
    await bulk.samples(o, 1, 2_147_483_647); // every session of these chargers
    await bulk.rollups(o);
    writeFileSync(marker, new Date().toISOString());
    console.log(
      `history: ${sessions.toLocaleString()} sessions over ${historyDays} days written in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  }
  // Load management on, with limits that bind at busy hours, a circuit and varied wiring (sim/demo-site.ts):
  // written once per data directory through the REST API, so later changes on the Settings and Devices pages stay.
  const loadMarker = join(config.dataDir, 'demo-load.done');
  if (!existsSync(loadMarker)) {
    try {
      await applySite(app, await loginHeaders(app, 'admin', creds.adminPassword), DEMO_SITE);
      writeFileSync(loadMarker, new Date().toISOString());
      const { A, B, C } = DEMO_SITE.limits;
      console.log(
        `load management: distribution on, ${A}/${B}/${C} A per phase, circuit "${DEMO_SITE.circuits[0]!.name}" 40 A; three- and single-phase chargers on varied rotations`,
      );
    } catch (err) {
      console.log(`load management not set up: ${(err as Error).message}`);
    }
  }
  const wiring = new Map(DEMO_SITE.chargers.map((c) => [c.id, c]));
  const fleet = new Fleet({
    url: `ws://${config.host}:${port}/ocpp`,
    ids: SEED_CHARGER_IDS,
    idTags: DEMO_ID_TAGS,
    secret: creds.chargerSecret,
    seed: values.seed!,
    clock: new ScaledClock(Number(values.speed)),
    // Each simulated charger as it is wired, and with its own driver's card.
    chargerOptions: (id) => {
      const w = wiring.get(id)!;
      return {
        phases: w.phases,
        maxAmps: w.maxAmps,
        minAmps: w.minAmps,
        idTags: [DEMO_ID_TAGS[SEED_CHARGER_IDS.indexOf(id)]!],
      };
    },
    historyDays: 0,
    timeZone: config.siteTz,
    onEvent: (e) => {
      if (e.kind === 'session-start' || e.kind === 'session-stop' || e.kind === 'error') console.log(formatEvent(e));
    },
  });
  const shutdown = async () => {
    await fleet.stop();
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());

  // A sample every 10 s rather than a real charger's usual 60, so the details chart visibly moves
  // (the operator can change it back with ChangeConfiguration on the Devices page).
  for (const cp of fleet.chargePoints) cp.config.change('MeterValueSampleInterval', '10');
  await fleet.start();
  // So the live views move from the first minute: six three-phase cars plugged in already, more than 90 A per phase asks.
  for (const id of DEMO_FIRST_SESSIONS) {
    const cp = fleet.chargePoints.find((x) => x.id === id)!;
    const c = cp.connectors[0];
    if (c && !c.session) void cp.startSession(c, { idTag: cp.randomIdTag(), plugS: 45 * 60 });
  }
  console.log(
    `live: ${DEMO_FIRST_SESSIONS.length} chargers are charging now, balanced within the site's limits; from here on drivers plug in on their own; Ctrl-C stops`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
