import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { rawRows } from '../../../db/raw.ts';
import type { ManualClock } from '../../../server/clock.ts';
import type { RPCClient } from '../../../server/ocpp/rpc.ts';
import { engineName } from '../../helpers/db.ts';
import { gate } from '../../helpers/gate.ts';
import { scrape } from '../../helpers/metrics.ts';
import { bootedCharger, createOcppTestApp, rawExchange, type OcppTestApp } from '../../helpers/ocpp.ts';

interface Item {
  id: number;
  at: string;
  direction: 'in' | 'out';
  messageType: string;
  messageId: string | null;
  action: string | null;
  payload: unknown;
  errorCode: string | null;
  durationMs: number | null;
  size: number;
}

const SECRET_KEY = 'S3cr3t-AuthKey-0123456789abcdef';

/** A counter's value in a /metrics scrape (0 when absent). */
function metric(text: string, name: string): number {
  const line = text.split('\n').find((l) => l.startsWith(name + ' ') || l.startsWith(name + '{'));
  return line ? Number(line.split(' ').pop()) : 0;
}

/** A viewer's API token: unlike a browser session it outlives the days a retention test moves the clock by. */
const viewerTokens = new WeakMap<OcppTestApp, Record<string, string>>();
async function viewer(t: OcppTestApp): Promise<Record<string, string>> {
  let headers = viewerTokens.get(t);
  if (!headers) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: await t.as('admin'),
      payload: { name: 'message-log-reader', role: 'viewer' },
    });
    assert.equal(res.statusCode, 201, res.body);
    headers = { authorization: `Bearer ${res.json().token as string}` };
    viewerTokens.set(t, headers);
  }
  return headers;
}

async function messages(t: OcppTestApp, id: string, query = ''): Promise<{ items: Item[]; nextBefore: number | null }> {
  const res = await t.app.inject({ url: `/api/chargers/${id}/messages${query}`, headers: await viewer(t) });
  assert.equal(res.statusCode, 200, res.body);
  return res.json();
}

describe(`OCPP message log on ${engineName}`, () => {
  let t: OcppTestApp;
  let cp: RPCClient;
  before(async () => {
    t = await createOcppTestApp({ config: { ocppCommandTimeoutMs: 3000 } });
    cp = await bootedCharger(t, 'CP1');
    // The charger takes 250 ms (on the injected clock) to answer a Reset.
    cp.handle('Reset', async () => {
      (t.clock as ManualClock).advance(250);
      return { status: 'Accepted' };
    });
    cp.handle('ChangeConfiguration', async () => ({ status: 'Accepted' }));
    cp.handle('GetConfiguration', async () => ({
      configurationKey: [
        { key: 'AuthorizationKey', readonly: false, value: SECRET_KEY },
        { key: 'HeartbeatInterval', readonly: false, value: '300' },
      ],
    }));
    cp.handle('DataTransfer', async () => ({ status: 'Accepted' }));
  });
  after(() => t.close());

  const command = async (action: string, payload: object) => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/chargers/CP1/commands/${action}`,
      headers: await t.as('operator'),
      payload,
    });
    assert.equal(res.statusCode, 200, res.body);
  };

  it('holds every frame in order, both directions, each answer linked to its call with its action and duration', async () => {
    await cp.call('Heartbeat', {});
    await command('Reset', { type: 'Soft' });
    // A CALL the schema refuses: its CALLERROR carries the call's action.
    const answer = await rawExchange(cp, '[2,"bad-1","Heartbeat",{"unexpected":1}]');
    assert.equal(answer[0], 4);
    await t.app.messageLog.flush();

    const { items } = await messages(t, 'CP1');
    const oldestFirst = [...items].reverse();
    assert.deepEqual(
      oldestFirst.map((m) => [m.direction, m.messageType, m.action]),
      [
        ['in', 'CALL', 'BootNotification'],
        ['out', 'CALLRESULT', 'BootNotification'],
        ['in', 'CALL', 'Heartbeat'],
        ['out', 'CALLRESULT', 'Heartbeat'],
        ['out', 'CALL', 'Reset'],
        ['in', 'CALLRESULT', 'Reset'],
        ['in', 'CALL', 'Heartbeat'],
        ['out', 'CALLERROR', 'Heartbeat'],
      ],
    );
    assert.ok(
      items.every((m, i) => i === 0 || m.id < items[i - 1]!.id),
      'newest first, by id',
    );
    const reset = oldestFirst[4]!;
    const resetAnswer = oldestFirst[5]!;
    assert.equal(resetAnswer.messageId, reset.messageId);
    assert.equal(resetAnswer.durationMs, 250, "the answer's time since its call, on the injected clock");
    assert.deepEqual(reset.payload, { type: 'Soft' });
    assert.deepEqual(resetAnswer.payload, { status: 'Accepted' });
    assert.equal(reset.durationMs, null);
    const error = oldestFirst[7]!;
    assert.equal(error.messageId, 'bad-1');
    assert.equal(error.errorCode, (error.payload as { errorCode: string }).errorCode);
    assert.match(error.errorCode ?? '', /Violation/);
    assert.ok(error.size > 0);
    assert.equal(oldestFirst[6]!.size, '[2,"bad-1","Heartbeat",{"unexpected":1}]'.length);
  });

  it('filters by action, direction, errors and message id, and pages by before', async () => {
    const heartbeats = await messages(t, 'CP1', '?action=Heartbeat');
    assert.equal(heartbeats.items.length, 4);
    assert.ok(heartbeats.items.every((m) => m.action === 'Heartbeat'));
    const out = await messages(t, 'CP1', '?direction=out');
    assert.ok(out.items.length >= 4 && out.items.every((m) => m.direction === 'out'));
    const errors = await messages(t, 'CP1', '?errors=true');
    assert.deepEqual(
      errors.items.map((m) => m.messageId),
      ['bad-1'],
    );
    const pair = await messages(t, 'CP1', '?messageId=bad-1');
    assert.deepEqual(
      pair.items.map((m) => m.messageType),
      ['CALLERROR', 'CALL'],
    );

    const all = (await messages(t, 'CP1', '?limit=500')).items;
    const seen: number[] = [];
    let before: number | null = null;
    do {
      const page: { items: Item[]; nextBefore: number | null } = await messages(
        t,
        'CP1',
        `?limit=3${before === null ? '' : `&before=${before}`}`,
      );
      assert.ok(page.items.length <= 3);
      seen.push(...page.items.map((m) => m.id));
      before = page.nextBefore;
    } while (before !== null);
    assert.deepEqual(
      seen,
      all.map((m) => m.id),
      'the pages together are the whole log, newest first, without overlap',
    );
  });

  it('refuses an unknown or malformed query field with a 400 naming it, and an unknown charger with 404', async () => {
    const viewer = await t.as('viewer');
    const unknown = await t.app.inject({ url: '/api/chargers/CP1/messages?actoin=Heartbeat', headers: viewer });
    assert.equal(unknown.statusCode, 400, unknown.body);
    assert.equal(unknown.json().fields.actoin, 'is not an accepted field');
    const bad = await t.app.inject({ url: '/api/chargers/CP1/messages?direction=sideways', headers: viewer });
    assert.equal(bad.statusCode, 400);
    assert.ok('direction' in bad.json().fields, bad.body);
    const missing = await t.app.inject({ url: '/api/chargers/NOPE/messages', headers: viewer });
    assert.equal(missing.statusCode, 404);
    const anonymous = await t.app.inject({ url: '/api/chargers/CP1/messages' });
    assert.equal(anonymous.statusCode, 401);
  });

  it('stores no secret: ChangeConfiguration, GetConfiguration answers and DataTransfer are redacted', async () => {
    await command('ChangeConfiguration', { key: 'AuthorizationKey', value: SECRET_KEY });
    await command('GetConfiguration', { key: ['AuthorizationKey', 'HeartbeatInterval'] });
    await command('DataTransfer', {
      vendorId: 'evpower',
      messageId: 'credentials',
      data: JSON.stringify({ user: 'ops', password: SECRET_KEY }),
    });
    await t.app.messageLog.flush();
    const [leaks] = await rawRows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from ocpp_messages where payload::text like ${'%' + SECRET_KEY.slice(0, 12) + '%'}`,
    );
    assert.equal(leaks!.n, 0, 'the key appears in no stored row');

    const change = (await messages(t, 'CP1', '?action=ChangeConfiguration&direction=out')).items[0]!;
    assert.deepEqual(change.payload, { key: 'AuthorizationKey', value: '[redacted]' });
    const conf = (await messages(t, 'CP1', '?action=GetConfiguration&direction=in')).items[0]!;
    assert.deepEqual(conf.payload, {
      configurationKey: [
        { key: 'AuthorizationKey', readonly: false, value: '[redacted]' },
        { key: 'HeartbeatInterval', readonly: false, value: '300' },
      ],
    });
    const audit = await t.app.inject({ url: '/api/chargers/CP1/commands?limit=500', headers: await viewer(t) });
    assert.doesNotMatch(audit.body, new RegExp(SECRET_KEY.slice(0, 12)), 'nor does the command audit');
    const data = (await messages(t, 'CP1', '?action=DataTransfer&direction=out')).items[0]!;
    assert.deepEqual(JSON.parse((data.payload as { data: string }).data), { user: 'ops', password: '[redacted]' });
  });

  it('writes in batches: frames captured while a write is in flight go together in the next one', async () => {
    const real = t.app.repos.ocppMessages.insertMany;
    const held = gate();
    let calls = 0;
    t.app.repos.ocppMessages.insertMany = async (rows) => {
      calls++;
      await held.promise;
      return real(rows);
    };
    try {
      const beforeRows = metric(await scrape(t), 'chargeops_message_log_rows_total');
      for (let i = 0; i < 20; i++) await cp.call('Heartbeat', {});
      const flushed = t.app.messageLog.flush();
      held.open();
      await flushed;
      const after = await scrape(t);
      assert.equal(metric(after, 'chargeops_message_log_rows_total') - beforeRows, 40);
      assert.ok(calls <= 2, `40 frames in ${calls} inserts`);
    } finally {
      t.app.repos.ocppMessages.insertMany = real;
    }
  });
});

describe(`OCPP message log with a stalled writer on ${engineName}`, () => {
  let t: OcppTestApp;
  before(async () => {
    t = await createOcppTestApp({
      config: { messageLog: { ...testMessageLog(), queueMaxRows: 100, flushMs: 1 } },
    });
  });
  after(() => t.close());

  it('answers every OCPP call while the log cannot write, dropping and counting what does not fit', async () => {
    const real = t.app.repos.ocppMessages.insertMany;
    const stalled = gate();
    let writes = 0;
    t.app.repos.ocppMessages.insertMany = async (rows) => {
      writes++;
      await stalled.promise;
      return real(rows);
    };
    try {
      const cp = await bootedCharger(t, 'CP9');
      // Were OCPP held for the log, these would never be answered: every write is stalled.
      for (let i = 0; i < 200; i++) {
        const res = (await cp.call('Heartbeat', {})) as { currentTime: string };
        assert.equal(res.currentTime, t.clock.now().toISOString());
      }
      assert.ok(writes >= 1, 'the writer tried and is stuck');
    } finally {
      stalled.open();
      await t.app.messageLog.flush();
      t.app.repos.ocppMessages.insertMany = real;
    }
    const dropped = metric(await scrape(t), 'chargeops_message_log_dropped_total{reason="queue_full"}');
    const kept = (await messages(t, 'CP9', '?limit=500')).items.length;
    assert.ok(dropped > 0, 'frames beyond the queue bound were dropped and counted');
    assert.ok(kept >= 100, `the queue's 100 were written once the writer came back (${kept})`);
    assert.equal(kept + dropped, 402, 'each of the 402 frames is either stored or counted as dropped');
  });
});

describe(`OCPP message log retention on ${engineName}`, () => {
  let t: OcppTestApp;
  let cp: RPCClient;
  before(async () => {
    t = await createOcppTestApp({ config: { messageLog: { ...testMessageLog(), maxRowsPerCharger: 100 } } });
    cp = await bootedCharger(t, 'CP5');
  });
  after(() => t.close());

  it("prunes a charger's rows beyond its cap, oldest first, and rows older than the retention period", async () => {
    for (let i = 0; i < 59; i++) await cp.call('Heartbeat', {});
    await t.app.messageLog.flush();
    const newest = (await messages(t, 'CP5', '?limit=100')).items;
    const pruned = await t.app.messageLog.prune();
    assert.deepEqual(pruned, { age: 0, perCharger: 20 }, '120 rows, 100 kept');
    assert.deepEqual(
      (await messages(t, 'CP5', '?limit=500')).items.map((m) => m.id),
      newest.map((m) => m.id),
      'the newest 100 are the ones kept',
    );

    (t.clock as ManualClock).advance(7 * 86_400_000 + 1);
    await cp.call('Heartbeat', {});
    await t.app.messageLog.flush();
    const swept = await t.app.messageLog.prune();
    assert.equal(swept.age, 100, 'older than 7 days');
    const left = (await messages(t, 'CP5')).items;
    assert.deepEqual(
      left.map((m) => m.messageType),
      ['CALLRESULT', 'CALL'],
    );
    assert.equal(left[0]!.at, t.clock.now().toISOString());
  });
});

/** The message log settings of the test config, for a test to override some. */
function testMessageLog() {
  return {
    enabled: true,
    retentionDays: 7,
    maxRowsPerCharger: 200_000,
    queueMaxRows: 20_000,
    queueMaxChars: 32 * 1024 * 1024,
    flushMs: 250,
  };
}
