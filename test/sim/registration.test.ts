import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { DEFAULT_ID_TAGS } from '../../sim/charge-point.ts';
import { parseCli, prepareServer } from '../../sim/cli.ts';
import { ScaledClock } from '../../sim/clock.ts';
import { Fleet } from '../../sim/fleet.ts';
import { createOcppTestApp, nextEvent, type OcppTestApp } from '../helpers/ocpp.ts';

// `npm run simulate` against a fresh chargeops server: the chargers and the
// drivers' id tags must be registered first, or every handshake is refused
// and every Authorize answered Invalid (OCPP 1.6 §4.1).
const run = promisify(execFile);
let t: OcppTestApp;
let token: string;
let apiUrl: string;

before(async () => {
  t = await createOcppTestApp();
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/tokens',
    headers: await t.as('admin'),
    payload: { name: 'simulator', role: 'admin' },
  });
  assert.equal(res.statusCode, 201);
  token = res.json<{ token: string }>().token;
  apiUrl = t.endpoint.replace(/^ws:/, 'http:').replace(/\/ocpp$/, '');
});
after(() => t.close());

async function get<T>(url: string): Promise<T> {
  const res = await t.app.inject({ method: 'GET', url, headers: await t.as('admin') });
  assert.equal(res.statusCode, 200, res.body);
  return res.json<T>();
}

test('--token registers the chargers and id tags through the REST API, again without complaint; the fleet then charges', async () => {
  const args = parseCli([
    '--url',
    t.endpoint,
    '--chargers',
    '2',
    '--prefix',
    'REG',
    '--secret',
    'reg-secret-1',
    '--token',
    token,
  ]);
  assert.equal(args.api, apiUrl, 'the API beside the OCPP endpoint');
  const log: string[] = [];
  await prepareServer(args, ['REG0001', 'REG0002'], (l) => log.push(l));
  assert.ok(
    log.some((l) => l.includes('6 new, 0 there already')),
    log.join('\n'),
  );
  const chargers = await get<{ id: string; hasSecret: boolean; registration: string }[]>('/api/chargers');
  assert.deepEqual(
    chargers.filter((c) => c.id.startsWith('REG')).map((c) => [c.id, c.hasSecret, c.registration]),
    [
      ['REG0001', true, 'Accepted'],
      ['REG0002', true, 'Accepted'],
    ],
  );
  const tags = await get<{ idTag: string }[]>('/api/id-tags');
  for (const tag of DEFAULT_ID_TAGS)
    assert.ok(
      tags.some((x) => x.idTag === tag),
      tag,
    );

  log.length = 0;
  await prepareServer(args, ['REG0001', 'REG0002'], (l) => log.push(l));
  assert.ok(
    log.some((l) => l.includes('0 new, 6 there already')),
    'idempotent',
  );

  // The registered charger connects with its secret, and a driver's default card charges.
  const fleet = new Fleet({
    ...args,
    url: t.endpoint,
    ids: ['REG0001'],
    clock: new ScaledClock(600, t.clock.now()),
    phases: 1,
    liveSessions: false,
  });
  try {
    const booted = nextEvent(t, (e) => e.type === 'boot' && e.chargerId === 'REG0001');
    await fleet.start();
    await booted;
    const cp = fleet.chargePoints[0]!;
    const stopped = nextEvent(t, (e) => e.type === 'transaction.stopped' && e.chargerId === 'REG0001', 15_000);
    await cp.startSession(cp.connectors[0]!, { idTag: DEFAULT_ID_TAGS[0]!, plugS: 600 });
    await stopped;
    const page = await get<{ items: { idTag: string; stoppedAt: string | null; meterStop: number | null }[] }>(
      '/api/transactions?charger_id=REG0001',
    );
    assert.equal(page.items.length, 1);
    assert.equal(page.items[0]!.idTag, DEFAULT_ID_TAGS[0]);
    assert.ok(page.items[0]!.stoppedAt && page.items[0]!.meterStop !== null);
  } finally {
    await fleet.stop();
  }
});

test('a token the server refuses stops the start with its answer', async () => {
  const args = parseCli(['--url', t.endpoint, '--ids', 'BAD0001', '--token', 'co_not-a-token']);
  await assert.rejects(
    prepareServer(args, ['BAD0001'], () => {}),
    /answered 401/,
  );
  const chargers = await get<{ id: string }[]>('/api/chargers');
  assert.ok(!chargers.some((c) => c.id === 'BAD0001'), 'nothing registered');
});

test('without a token it prints curl lines that, run as printed, register everything', async () => {
  const args = parseCli([
    '--url',
    t.endpoint,
    '--ids',
    'CURL0001,CURL0002',
    '--secret',
    "it's-a-secret",
    '--id-tags',
    'C0000001',
  ]);
  const log: string[] = [];
  await prepareServer({ ...args, token: undefined }, ['CURL0001', 'CURL0002'], (l) => log.push(l));
  const lines = log.filter((l) => l.trimStart().startsWith('curl ')).map((l) => l.trim());
  assert.equal(lines.length, 3);
  for (const line of lines) {
    const { stdout } = await run('bash', ['-c', `${line} -o /dev/null -w '%{http_code}'`], {
      env: { ...process.env, CHARGEOPS_TOKEN: token },
    });
    assert.equal(stdout, '201', line);
  }
  const chargers = await get<{ id: string }[]>('/api/chargers');
  assert.ok(['CURL0001', 'CURL0002'].every((id) => chargers.some((c) => c.id === id)));
  assert.ok((await get<{ idTag: string }[]>('/api/id-tags')).some((x) => x.idTag === 'C0000001'));
  // The quoted secret survived the shell: the charger connects with it.
  const fleet = new Fleet({
    ...args,
    url: t.endpoint,
    ids: ['CURL0001'],
    clock: new ScaledClock(1, t.clock.now()),
    liveSessions: false,
  });
  try {
    const booted = nextEvent(t, (e) => e.type === 'boot' && e.chargerId === 'CURL0001');
    await fleet.start();
    await booted;
  } finally {
    await fleet.stop();
  }
});
