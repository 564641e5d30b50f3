import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ScaledClock } from '../../sim/clock.ts';
import { Fleet } from '../../sim/fleet.ts';
import { startRecordingServer, type Received } from '../helpers/ocpp-server.ts';

const TO = new Date('2026-03-15T00:00:00Z');
const TX_ACTIONS = new Set(['Authorize', 'StartTransaction', 'MeterValues', 'StopTransaction']);

async function backfill(seed: number, days: number) {
  const server = await startRecordingServer({ heartbeatInterval: 3600 });
  const fleet = new Fleet({
    url: server.url,
    count: 2,
    prefix: 'HIS',
    seed,
    clock: new ScaledClock(1),
    historyDays: days,
    historyTo: TO,
    historySampleS: 1800,
    timeZone: 'Asia/Shanghai',
    liveSessions: false,
  });
  await fleet.start();
  await fleet.stop();
  await server.close();
  assert.deepEqual(server.validationFailures, []);
  return { received: server.received, sessions: fleet.historySessions };
}

const txLog = (received: Received[], id: string) =>
  received
    .filter((r) => r.identity === id && TX_ACTIONS.has(r.action))
    .map((r) => ({ action: r.action, params: r.params }));

test('history mode sends days of past sessions as real StartTransaction/MeterValues/StopTransaction calls', async () => {
  const days = 4;
  const { received, sessions } = await backfill(42, days);
  const starts = received.filter((r) => r.action === 'StartTransaction');
  const stops = received.filter((r) => r.action === 'StopTransaction');
  assert.equal(starts.length, sessions);
  assert.equal(stops.length, sessions);
  assert.ok(sessions >= 2 * days && sessions <= 2 * days * 8, `a few sessions per charger per day (${sessions})`);
  const from = TO.getTime() - days * 86400_000;
  for (const r of [...starts, ...stops]) {
    const t = Date.parse(r.params.timestamp as string);
    assert.ok(t >= from && t < TO.getTime(), 'timestamps in the back-filled past');
  }
  const startDays = new Set(starts.map((s) => (s.params.timestamp as string).slice(0, 10)));
  assert.ok(startDays.size >= days - 1, 'spread over the days');

  for (const id of ['HIS0001', 'HIS0002']) {
    const log = received.filter(
      (r) => r.identity === id && (r.action === 'StartTransaction' || r.action === 'StopTransaction'),
    );
    for (let i = 0; i < log.length; i += 2) {
      const [start, stop] = [log[i]!, log[i + 1]!];
      assert.equal(start.action, 'StartTransaction');
      assert.equal(stop.action, 'StopTransaction');
      assert.ok(Date.parse(stop.params.timestamp as string) > Date.parse(start.params.timestamp as string));
      assert.ok((stop.params.meterStop as number) >= (start.params.meterStart as number));
      if (i + 2 < log.length)
        assert.ok(
          (log[i + 2]!.params.meterStart as number) >= (stop.params.meterStop as number),
          'the register carries over',
        );
    }
    const meterTimes = received
      .filter((r) => r.identity === id && r.action === 'MeterValues')
      .map((r) => Date.parse((r.params.meterValue as { timestamp: string }[])[0]!.timestamp));
    assert.ok(meterTimes.length > log.length, 'meter values between start and stop');
    assert.ok(
      meterTimes.every((t, i) => i === 0 || t >= meterTimes[i - 1]!),
      'in time order',
    );
  }
});

test('the same seed replays the same sessions; another seed does not', async () => {
  const a = await backfill(9, 2);
  const b = await backfill(9, 2);
  const c = await backfill(10, 2);
  for (const id of ['HIS0001', 'HIS0002']) {
    assert.ok(txLog(a.received, id).length > 0);
    assert.deepEqual(txLog(b.received, id), txLog(a.received, id));
  }
  assert.notDeepEqual(txLog(c.received, 'HIS0001'), txLog(a.received, 'HIS0001'));
});
