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
import { ScaledClock } from './clock.ts';
import { formatEvent } from './cli.ts';
import { Fleet } from './fleet.ts';

/** The seed's chargers (seed 004 §2.12 charger id list). */
export /** Demo drivers' RFID cards, registered on the authorization list. */
const DEMO_ID_TAGS = ['D0000001', 'D0000002', 'D0000003', 'D0000004', 'D0000005', 'D0000006'];

const SEED_CHARGER_IDS = [
  '00504001',
  ...Array.from({ length: 8 }, (_, i) => `1024500${i + 1}`),
  ...Array.from({ length: 8 }, (_, i) => `2150900${i + 1}`),
  '60303001',
];

interface DemoCredentials {
  adminPassword: string;
  chargerSecret: string;
}

/** Generated once per data directory and kept there, so a second run can print the same login. */
function credentials(dataDir: string): DemoCredentials {
  const file = join(dataDir, 'demo-credentials.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as DemoCredentials;
  const creds = { adminPassword: randomBytes(9).toString('base64url'), chargerSecret: randomBytes(12).toString('base64url') };
  writeFileSync(file, JSON.stringify(creds, null, 2), { mode: 0o600 });
  return creds;
}

/**
 * `npm run demo` (SPEC §8): the server on the embedded database in ./data-demo,
 * an admin login, the seed's chargers registered with Basic-auth secrets, a
 * year of history back-filled on the first run, then live sessions.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { speed: { type: 'string', default: '1' }, 'history-days': { type: 'string', default: '365' }, seed: { type: 'string', default: '2015' } } });
  const config = loadConfig({ ...process.env, DATA_DIR: process.env.DATA_DIR || './data-demo' });
  mkdirSync(config.dataDir, { recursive: true });
  const creds = credentials(config.dataDir);
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: join(config.dataDir, 'pgdata') });
  const app = await buildApp(config, { database, logger: { level: 'warn' } });
  await app.listen({ port: config.port, host: config.host });
  const now = app.clock.now();

  if (!(await app.repos.users.findByUsername('admin'))) await createUser(app.repos.users, { username: 'admin', password: creds.adminPassword, role: 'admin' });
  const secretHash = await hashSecret(creds.chargerSecret); // one hash for all demo chargers: one scrypt, not eighteen
  let registered = 0;
  for (const id of SEED_CHARGER_IDS) if (await app.repos.chargers.create({ id, secretHash, description: 'demo (simulated)' }, now)) registered++;
  // The drivers' cards: without them on the authorization list every Authorize answers Invalid.
  for (const idTag of DEMO_ID_TAGS) await app.repos.idTags.create({ idTag, description: 'demo driver' }, now);

  const port = (app.server.address() as AddressInfo).port; // PORT=0 picks a free one
  const address = `http://${config.host}:${port}`;
  console.log(`chargeops demo at ${address}/overview/  (API docs ${address}/docs)`);
  console.log(`login: admin / ${creds.adminPassword}   (kept in ${join(config.dataDir, 'demo-credentials.json')})`);
  console.log(`${SEED_CHARGER_IDS.length} chargers (${registered} newly registered), OCPP at ws://${config.host}:${port}/ocpp/<id>, secret ${creds.chargerSecret}`);

  const marker = join(config.dataDir, 'demo-history.done');
  const historyDays = existsSync(marker) ? 0 : Number(values['history-days']);
  const fleet = new Fleet({
    url: `ws://${config.host}:${port}/ocpp`,
    ids: SEED_CHARGER_IDS,
    idTags: DEMO_ID_TAGS,
    secret: creds.chargerSecret,
    seed: values.seed!,
    clock: new ScaledClock(Number(values.speed)),
    phases: 1,
    historyDays,
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

  if (historyDays > 0) console.log(`back-filling ${historyDays} days of sessions (first run only)...`);
  const progress = setInterval(() => console.log(`history: ${fleet.historySessions} sessions so far`), 15_000);
  const started = Date.now();
  await fleet.start();
  clearInterval(progress);
  if (historyDays > 0) {
    writeFileSync(marker, new Date().toISOString());
    console.log(`history done: ${fleet.historySessions} sessions in ${Math.round((Date.now() - started) / 1000)} s`);
  }
  console.log('live: chargers now plug in and charge on their own; Ctrl-C stops');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
