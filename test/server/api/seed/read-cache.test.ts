import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ReadCache, topicsOf } from '../../../../server/api/seed/read-cache.ts';
import { ManualClock } from '../../../../server/clock.ts';
import { gate } from '../../../helpers/gate.ts';

describe('ReadCache: shared dashboard answers that events make stale at once', () => {
  it('serves an answer until an event of its topic, and keeps answers of other topics', async () => {
    const c = new ReadCache(new ManualClock());
    let n = 0;
    const load = async () => `v${++n}`;
    assert.equal(await c.get('states', ['states'], load), 'v1');
    assert.equal(await c.get('states', ['states'], load), 'v1');
    assert.equal(await c.get('energy', ['sessions'], load), 'v2');
    c.invalidate(
      topicsOf({
        type: 'status',
        chargerId: 'A',
        at: '',
        connectorId: 1,
        status: 'Charging',
        errorCode: 'NoError',
        state: 'Charging',
      }),
    );
    assert.equal(await c.get('states', ['states'], load), 'v3', 'a status event drops the state answers');
    assert.equal(await c.get('energy', ['sessions'], load), 'v2', 'and leaves the energy answers');
  });

  it('a load that began before an event is answered but not kept', async () => {
    const c = new ReadCache(new ManualClock());
    const slow = gate<string>();
    const first = c.get('k', ['sessions'], () => slow.promise);
    c.invalidate(['sessions']); // a stop committed while the load was reading
    slow.open('before-the-stop');
    assert.equal(await first, 'before-the-stop');
    assert.equal(await c.get('k', ['sessions'], async () => 'after-the-stop'), 'after-the-stop');
  });

  it('concurrent misses share one load; a miss after an event does not join a load from before it', async () => {
    const c = new ReadCache(new ManualClock());
    const slow = gate<string>();
    let loads = 0;
    const load = () => {
      loads += 1;
      return slow.promise;
    };
    const a = c.get('k', ['states'], load);
    const b = c.get('k', ['states'], load);
    c.invalidate(['states']);
    const fresh = c.get('k', ['states'], async () => 'fresh');
    slow.open('old');
    assert.deepEqual(await Promise.all([a, b, fresh]), ['old', 'old', 'fresh']);
    assert.equal(loads, 1);
  });

  it('what no event announces is re-read after the TTL', async () => {
    const clock = new ManualClock();
    const c = new ReadCache(clock, 2000);
    let n = 0;
    const load = async () => `v${++n}`;
    assert.equal(await c.get('k', ['states'], load), 'v1');
    clock.advance(1999);
    assert.equal(await c.get('k', ['states'], load), 'v1');
    clock.advance(1);
    assert.equal(await c.get('k', ['states'], load), 'v2');
  });

  it('keeps at most its byte budget, dropping the oldest answers, and never one answer over a quarter of it', async () => {
    const c = new ReadCache(new ManualClock(), 2000, 100);
    const body = (n: number, ch: string) => async () => ch.repeat(n);
    for (const [k, n] of [
      ['a', 25],
      ['b', 20],
      ['c', 25],
      ['d', 25],
    ] as const)
      await c.get(k, ['sessions'], body(n, k));
    assert.equal(c.size, 95);
    await c.get('e', ['sessions'], body(20, 'e')); // 115 > 100: 'a' goes
    assert.equal(c.size, 90);
    assert.equal(await c.get('a', ['sessions'], body(1, 'x')), 'x', 'the oldest was dropped');
    assert.equal(await c.get('b', ['sessions'], body(1, 'y')), 'b'.repeat(20), 'the newer ones were kept');
    assert.equal(await c.get('big', ['sessions'], body(26, 'z')), 'z'.repeat(26), 'answered');
    assert.equal(await c.get('big', ['sessions'], body(1, 'q')), 'q', 'but not kept: over a quarter of the budget');
  });

  it('maps events to what they change: stops move sessions, boots the registry too, meter values, commands sent and load pictures nothing', () => {
    const at = '2026-01-01T00:00:00Z';
    assert.deepEqual(
      topicsOf({
        type: 'transaction.stopped',
        chargerId: 'A',
        at,
        transactionId: 1,
        energyWh: 5,
        reason: null,
        cause: 'charger',
      }),
      ['sessions'],
    );
    assert.deepEqual(
      topicsOf({
        type: 'transaction.started',
        chargerId: 'A',
        at,
        transactionId: 1,
        connectorId: 1,
        idTag: 'T',
        sessionNumber: 1,
      }),
      ['sessions'],
    );
    assert.deepEqual(
      topicsOf({ type: 'meter', chargerId: 'A', at, connectorId: 1, transactionId: 1, timestamp: at, values: [] }),
      [],
    );
    assert.deepEqual(topicsOf({ type: 'charger.changed', chargerId: 'A', at, change: 'deleted' }), [
      'registry',
      'states',
      'sessions',
    ]);
    assert.deepEqual(topicsOf({ type: 'charger.changed', chargerId: 'A', at, change: 'created' }), [
      'registry',
      'states',
    ]);
    assert.deepEqual(topicsOf({ type: 'boot', chargerId: 'A', at, registration: 'Accepted' }), ['states', 'registry']);
    assert.deepEqual(topicsOf({ type: 'offline', chargerId: 'A', at }), ['states']);
    // vchcommand is the last action received from the charger: a command sent to it (a load profile too) shows nowhere.
    assert.deepEqual(
      topicsOf({
        type: 'command',
        chargerId: 'A',
        at,
        commandId: 1,
        action: 'SetChargingProfile',
        outcome: 'answered',
      }),
      [],
    );
    assert.deepEqual(
      topicsOf({
        type: 'load.changed',
        at,
        load: { at, enabled: true, phases: [], circuits: [], sessions: [] } as never,
      }),
      [],
    );
  });
});
