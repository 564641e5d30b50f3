import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import ocpp from 'ocpp-rpc';
import { Fleet } from '../../sim/fleet.ts';
import type { SimEvent } from '../../sim/types.ts';
import { startRecordingServer, type Received, type RecordingServer } from '../helpers/ocpp-server.ts';
import { SteppedClock } from '../helpers/stepped-clock.ts';

// ocpp-rpc is CommonJS: Node's ESM loader sees only its default export.
const { createRPCError } = ocpp;

// OCPP 1.6 §4.10 and §3.16: a transaction message answered with a CALLERROR is
// tried TransactionMessageAttempts times, TransactionMessageRetryInterval × n
// seconds after the n-th failure; a StartTransaction is never given up.
const ID = 'OBX0001';
const T0 = Date.parse('2026-03-15T08:00:00Z');
let server: RecordingServer | undefined;
let fleet: Fleet | undefined;

afterEach(async () => {
  await fleet?.stop();
  await server?.close();
  fleet = server = undefined;
});

async function setup() {
  const clock = new SteppedClock(new Date(T0));
  const events: SimEvent[] = [];
  server = await startRecordingServer({ heartbeatInterval: 3600 });
  fleet = new Fleet({
    url: server.url,
    count: 1,
    prefix: 'OBX',
    seed: 11,
    clock,
    phases: 1,
    liveSessions: false,
    onEvent: (e) => events.push(e),
  });
  await fleet.start();
  await server.waitFor((r) => r.identity === ID && r.action === 'StatusNotification' && r.params.connectorId === 1);
  return { clock, events, server, cp: fleet.chargePoints[0]! };
}

const seconds = (clock: SteppedClock) => (clock.now().getTime() - T0) / 1000;
const sampleAt = (r: Received) =>
  (Date.parse((r.params.meterValue as { timestamp: string }[])[0]!.timestamp) - T0) / 1000;
const internalError = () => {
  throw createRPCError('InternalError', 'database unavailable');
};

async function configure(s: RecordingServer, key: string, value: string) {
  assert.deepEqual(await s.command(ID, 'ChangeConfiguration', { key, value }), { status: 'Accepted' });
}

test('GetConfiguration shows the retry keys with defaults that ride out a 100 s outage; ChangeConfiguration checks them', async () => {
  const { server: s } = await setup();
  const read = await s.command(ID, 'GetConfiguration', {
    key: ['TransactionMessageAttempts', 'TransactionMessageRetryInterval'],
  });
  assert.deepEqual(read.configurationKey, [
    { key: 'TransactionMessageAttempts', readonly: false, value: '5' },
    { key: 'TransactionMessageRetryInterval', readonly: false, value: '10' },
  ]);
  assert.deepEqual(
    await s.command(ID, 'ChangeConfiguration', { key: 'TransactionMessageAttempts', value: '0' }),
    { status: 'Rejected' },
    'at least one try',
  );
  assert.deepEqual(
    await s.command(ID, 'ChangeConfiguration', { key: 'TransactionMessageRetryInterval', value: 'soon' }),
    { status: 'Rejected' },
  );
});

test('a failing StartTransaction is retried at interval × attempt, then at the last interval, never dropped; the messages behind it keep their order and its transactionId', async () => {
  const { clock, server: s, events } = await setup();
  await configure(s, 'TransactionMessageAttempts', '3');
  await configure(s, 'TransactionMessageRetryInterval', '7');
  await configure(s, 'MeterValueSampleInterval', '20');
  const startsAt: number[] = [];
  s.intercept.set('StartTransaction', () => {
    startsAt.push(seconds(clock));
    return startsAt.length <= 5 ? internalError() : undefined; // five CALLERRORs, more than the 3 attempts allow
  });

  assert.deepEqual(await s.command(ID, 'RemoteStartTransaction', { idTag: 'T1', connectorId: 1 }), {
    status: 'Accepted',
  });
  await s.waitFor((r) => r.action === 'StartTransaction');
  // waits after the 1st and 2nd failure: 7 s × 1, 7 s × 2; then the last interval (14 s) for as long as it takes
  for (const [i, wait] of [7, 14, 14, 14, 14].entries()) {
    await clock.sleeping(wait * 1000);
    await clock.advance(wait * 1000);
    await s.waitFor(() => s.calls(ID, 'StartTransaction').length === i + 2);
  }
  assert.deepEqual(startsAt, [0, 7, 21, 35, 49, 63]);
  const starts = s.calls(ID, 'StartTransaction');
  assert.ok(
    starts.every((r) => JSON.stringify(r.params) === JSON.stringify(starts[0]!.params)),
    'the very same message each time',
  );

  // The samples taken meanwhile (0, 20, 40, 60 s) were held behind it and go now, in order, with its id.
  await s.waitFor(() => s.calls(ID, 'MeterValues').length === 4);
  const meter = s.calls(ID, 'MeterValues');
  assert.deepEqual(meter.map(sampleAt), [0, 20, 40, 60]);
  assert.ok(meter.every((m) => m.params.transactionId === 1));
  assert.ok(s.received.indexOf(meter[0]!) > s.received.indexOf(starts.at(-1)!), 'none overtook the StartTransaction');

  assert.deepEqual(await s.command(ID, 'RemoteStopTransaction', { transactionId: 1 }), { status: 'Accepted' });
  const stop = await s.waitFor((r) => r.action === 'StopTransaction');
  assert.equal(stop.params.transactionId, 1, 'the real transactionId, not -1');
  assert.equal(stop.params.reason, 'Remote');
  assert.ok(!events.some((e) => e.detail.includes('dropped')));
});

test('a MeterValues answered with CALLERRORs is dropped only after TransactionMessageAttempts tries; the next one goes through', async () => {
  const { clock, server: s, events } = await setup();
  await configure(s, 'TransactionMessageAttempts', '3');
  const triesAt: number[] = [];
  s.intercept.set('MeterValues', (r) => {
    if (sampleAt(r) !== 0) return undefined;
    triesAt.push(seconds(clock));
    return internalError(); // the first sample always fails
  });
  assert.deepEqual(await s.command(ID, 'RemoteStartTransaction', { idTag: 'T1', connectorId: 1 }), {
    status: 'Accepted',
  });
  await s.waitFor((r) => r.action === 'MeterValues');
  for (const [i, wait] of [10, 20].entries()) {
    await clock.sleeping(wait * 1000);
    await clock.advance(wait * 1000);
    await s.waitFor(() => s.calls(ID, 'MeterValues').length === i + 2);
  }
  assert.deepEqual(triesAt, [0, 10, 30], '10 s × 1, 10 s × 2 between the three tries');
  const dropped = await waitForEvent(events, (e) => e.detail.startsWith('MeterValues dropped after 3 CALLERRORs'));
  assert.equal(dropped.chargerId, ID);
  assert.ok(!clock.pending.some((due) => due < T0 + 60_000), 'no fourth try is scheduled');

  await clock.advance(30_000); // the next sample, at 60 s
  const next = await s.waitFor((r) => r.action === 'MeterValues' && sampleAt(r) === 60);
  assert.equal(next.params.transactionId, 1);
  assert.equal(s.calls(ID, 'MeterValues').filter((r) => sampleAt(r) === 0).length, 3, 'tried exactly three times');
});

test('a 20 s outage (every transaction message answered InternalError) loses no MeterValues with the default settings', async () => {
  const { clock, server: s, events, cp } = await setup();
  await configure(s, 'MeterValueSampleInterval', '4');
  const outage = (at: number) => at >= 5 && at < 25;
  const accepted: Received[] = [];
  let refused = 0;
  for (const action of ['StartTransaction', 'MeterValues', 'StopTransaction']) {
    s.intercept.set(action, (r) => {
      if (outage(seconds(clock))) {
        refused++;
        return internalError();
      }
      if (action === 'MeterValues') accepted.push(r);
      return undefined;
    });
  }
  assert.deepEqual(await s.command(ID, 'RemoteStartTransaction', { idTag: 'T1', connectorId: 1 }), {
    status: 'Accepted',
  });
  await s.waitFor((r) => r.action === 'MeterValues');
  await waitUntil(() => !cp.outbox.sending);
  // One minute, sample by sample (every 4 s; the retries at 18 and 38 s fall between samples).
  // Each step waits until the server has answered what was sent, so the outage is judged at the time of sending.
  for (let i = 0; i < 15; i++) {
    await clock.sleeping(4000);
    await clock.advance(4000);
    await waitUntil(() => !cp.outbox.sending);
  }
  assert.equal(seconds(clock), 60);
  await waitUntil(() => accepted.length === 16 && clock.pending.length > 0);
  assert.equal(refused, 2, 'the sample of 8 s, refused at 8 s and again at 18 s, accepted at 38 s');
  assert.deepEqual(
    accepted.map(sampleAt),
    Array.from({ length: 16 }, (_, i) => i * 4),
    'every sample, once, in order',
  );
  assert.ok(accepted.every((m) => m.params.transactionId === 1));
  assert.ok(!events.some((e) => e.detail.includes('dropped')), 'nothing given up');
});

function waitForEvent(events: SimEvent[], pred: (e: SimEvent) => boolean): Promise<SimEvent> {
  return waitUntil(() => events.find(pred));
}

/** Polls a condition on the event loop (no timers of real time), failing after 10 s. */
async function waitUntil<T>(fn: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setImmediate(r));
  }
}
